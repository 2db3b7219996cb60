"""Issue 12, cases 5 and 10: a report is replaced whole or not at all, and `-o` never replaces a link, FIFO or device.

Case 5 makes a real file unreplaceable (``chattr +i``, as root) or, where that is not possible, fails the one
rename of reports/index.html; every other file of the new report has been renamed by then, so without a
roll-back the workspace would hold a mix of the two reports.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import files_under
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode

runner = CliRunner()
TITLES = "title\nDeep residual learning for image recognition\nAttention is all you need\n"


def report(workspace: Path, years: str):
    return runner.invoke(app, ["report", "-w", str(workspace), "-y", years, "--no-clouds", "--dpi", "50"])


def one_error_line(result, code: ExitCode) -> str:
    assert result.exit_code == int(code), result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    return line


def our_leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if p.name.endswith((".tmp", ".bak"))]


def _chattr(flag: str, path: Path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


@contextlib.contextmanager
def unreplaceable(path: Path, monkeypatch, how: str):
    """``path`` cannot be replaced by a rename: immutable for real, or its one rename failing with EPERM."""
    if how == "chattr":
        if os.geteuid() != 0 or not _chattr("+i", path):
            pytest.skip("chattr +i needs root and a filesystem with immutable files")
        try:
            yield
        finally:
            _chattr("-i", path)
        return
    real = os.replace

    def replace(src, dst, **kwargs):
        if Path(dst) == path and str(src).endswith(".tmp"):
            raise PermissionError(1, "Operation not permitted", str(dst))
        return real(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace)
    yield


@pytest.mark.slow
@pytest.mark.parametrize("how", ["chattr", "failed rename"])
def test_a_failed_rename_leaves_the_previous_report_and_data_exactly_as_they_were(workspace, monkeypatch, how):
    first = report(workspace, "2021")
    assert first.exit_code == 0, first.output
    before = files_under(workspace)
    index = workspace / "reports" / "index.html"

    with unreplaceable(index, monkeypatch, how):
        line = one_error_line(report(workspace, "2022"), ExitCode.OUTPUT)

    assert f"cannot write {index}" in line and "left as it was" in line
    assert files_under(workspace) == before  # not one file of the 2022 report, and no new file either
    assert our_leftovers(workspace) == []


@pytest.mark.slow
def test_a_failed_rename_removes_the_files_the_new_report_added(workspace, monkeypatch):
    first = runner.invoke(
        app, ["report", "-w", str(workspace), "-y", "2021", "-a", "lecun", "--no-clouds", "--dpi", "50"]
    )
    assert first.exit_code == 0, first.output
    before = files_under(workspace)
    index = workspace / "reports" / "index.html"

    with unreplaceable(index, monkeypatch, "failed rename"):
        one_error_line(report(workspace, "2021"), ExitCode.OUTPUT)  # every author: new per-author files

    assert files_under(workspace) == before


# --- case 10: what -o names is written through, never replaced -----------------------------------------


@pytest.fixture
def titles(tmp_path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(TITLES, encoding="utf-8")
    return path


def classify(titles: Path, output: str):
    return runner.invoke(app, ["classify", str(titles), "-o", output])


def test_a_symlink_output_is_written_through_to_its_target(tmp_path, titles):
    (tmp_path / "elsewhere").mkdir()
    target = tmp_path / "elsewhere" / "real.csv"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(target)

    result = classify(titles, str(link))

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text(encoding="utf-8").startswith("title,topic,score,evidence,topics,confidence")
    assert "Attention is all you need" in target.read_text(encoding="utf-8")
    assert our_leftovers(tmp_path) == []


def test_a_dangling_symlink_output_creates_its_target(tmp_path, titles):
    link = tmp_path / "link.csv"
    link.symlink_to(tmp_path / "made.csv")

    result = classify(titles, str(link))

    assert result.exit_code == 0, result.output
    assert link.is_symlink() and (tmp_path / "made.csv").read_text(encoding="utf-8").startswith("title,topic")


def test_a_symlink_loop_is_exit_5(tmp_path, titles):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")

    line = one_error_line(classify(titles, str(tmp_path / "a.csv")), ExitCode.OUTPUT)

    assert f"cannot write {tmp_path / 'a.csv'}" in line
    assert (tmp_path / "a.csv").is_symlink() and (tmp_path / "b.csv").is_symlink()


def read_fifo(path: Path, into: list[bytes]) -> threading.Thread:
    thread = threading.Thread(target=lambda: into.append(path.read_bytes()), daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("through_link", [False, True])  # a link to a FIFO, as /dev/stdout is to a pipe
def test_a_fifo_output_is_streamed_to_and_stays_a_fifo(tmp_path, titles, through_link):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    named = fifo
    if through_link:
        named = tmp_path / "stdout"
        named.symlink_to(fifo)
    got: list[bytes] = []
    reader = read_fifo(fifo, got)

    result = classify(titles, str(named))
    reader.join(10)

    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and named.exists()
    assert got and got[0].decode().startswith("title,topic,score") and b"Attention is all you need" in got[0]
    assert our_leftovers(tmp_path) == []


def test_a_character_device_output_is_written_to_not_replaced(tmp_path, titles):
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
        null.write_bytes(b"")
    except OSError:
        pytest.skip("making or opening a device node needs root and a filesystem that allows devices")

    result = classify(titles, str(null))

    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert our_leftovers(tmp_path) == []


def test_dash_is_standard_output(tmp_path, titles, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = classify(titles, "-")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("title,topic,score,evidence,topics,confidence")
    assert not (tmp_path / "-").exists()


def test_dev_stdout_in_a_pipe_is_streamed_to(tmp_path, titles):
    """/dev/stdout as a link of our own (to /proc/self/fd/1): the real one is never at risk, even on old code."""
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc")

    done = subprocess.run(
        [sys.executable, "-m", "authorstats", "classify", str(titles), "-o", str(stdout)],
        capture_output=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith("title,topic,score") and b"Attention is all you need" in done.stdout
    assert stdout.is_symlink() and our_leftovers(tmp_path) == []


@pytest.mark.slow
def test_review_output_through_a_symlink_keeps_the_link(workspace, tmp_path):
    assert report(workspace, "2021").exit_code == 0
    target = tmp_path / "shared.csv"
    target.write_text("", encoding="utf-8")
    link = tmp_path / "review-link.csv"
    link.symlink_to(target)

    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "1", "-o", str(link)])

    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "correct_topic" in target.read_text(encoding="utf-8").splitlines()[0].split(",")
