"""`authorstats report` again with nothing changed leaves the last report as it is and says it again; any change to
what the report is made from (records, labels, a named file, an option, the software, the day) or to one of its
files makes it again."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.shell import config_files, report, store, unchanged

runner = CliRunner()
SMALL = ["--dpi", "50", "--cloud-size", "400x200", "--author", "hinton"]
MADE = "Wrote "  # a report made: its closing line
KEPT = "Nothing has changed since the last report"


def _report(root: Path, *extra: str):
    result = runner.invoke(app, ["report", "--workspace", str(root), *SMALL, *extra])
    assert result.exit_code == 0, result.output
    return result


def _files(root: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each file of the workspace but the lock's: its inode, modification time and bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name not in (".lock", ".oslock"):
            stat = path.stat()
            found[path.relative_to(root).as_posix()] = (stat.st_ino, stat.st_mtime_ns, path.read_bytes())
    return found


@pytest.mark.slow
def test_a_second_report_with_nothing_changed_says_the_same_and_writes_nothing(workspace):
    first = _report(workspace)
    before = _files(workspace)
    again = _report(workspace)
    assert KEPT in again.stdout and MADE not in again.stdout
    assert _files(workspace) == before  # not one file written, renamed or touched
    tables = first.stdout.split("\n" + MADE)[0]
    assert again.stdout.startswith(tables)  # every table and the comparison, as the report printed them
    assert again.stdout.splitlines()[-1] == first.stdout.splitlines()[-1]  # Report: .../index.html
    assert again.stderr == first.stderr  # the note that the bundled snapshot was used
    assert f"its {len(json.loads((workspace / 'data/processed/report_manifest.json').read_text())['files'])} files" in (
        again.stdout
    )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Callable[[Path], list[str]]]]:
    """Each change a report depends on, as a step that makes it in the workspace and gives the options to run with."""
    taxonomy = tmp_path / "taxonomy.toml"
    code = tmp_path / "code"

    def label(root: Path) -> list[str]:
        _write(root / "data" / "labels.csv", 'title,source_id,topic\n"Some title",,Generation\n')
        return []

    def record_file(root: Path) -> list[str]:
        _write(root / "data" / "raw" / "notes.txt", "anything under data/ but data/processed/\n")
        return []

    def option(root: Path) -> list[str]:
        return ["--dpi", "60"]

    def named_file(root: Path) -> list[str]:
        with taxonomy.open("a", encoding="utf-8") as handle:
            handle.write("# edited in place: the same path, new bytes\n")
        return ["--taxonomy", str(taxonomy)]

    def edited_output(root: Path) -> list[str]:
        _write(root / "reports" / "hinton_topics.csv", "Topic,Count\nTotal,99\n")
        return []

    def removed_output(root: Path) -> list[str]:
        (root / "reports" / "hinton_table.png").unlink()
        return []

    def epoch(root: Path) -> list[str]:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        return []

    def day(root: Path) -> list[str]:
        monkeypatch.setattr(unchanged, "today", lambda: unchanged.dt.date(2031, 1, 2))
        return []

    def software(root: Path) -> list[str]:
        (code / "render.py").write_text("# a new drawing\n", encoding="utf-8")
        return []

    def library_run(root: Path) -> list[str]:
        report.run_report(root, report.ReportRequest(authors=["hinton"]), report.SaveOptions(chart_dpi=50, workers=1))
        return []

    def redraw(root: Path) -> list[str]:
        return ["--redraw"]

    return [
        ("a label correction", label),
        ("a file under data/", record_file),
        ("an option", option),
        ("a named file edited in place", named_file),
        ("a report file edited", edited_output),
        ("a report file removed", removed_output),
        ("SOURCE_DATE_EPOCH", epoch),
        ("the day", day),
        ("authorstats' code", software),
        ("a report made by the library since", library_run),
        ("--redraw", redraw),
    ]


@pytest.mark.slow
def test_each_change_to_what_a_report_is_made_from_or_to_its_files_makes_it_again(workspace, tmp_path, monkeypatch):
    (tmp_path / "taxonomy.toml").write_text(config_files.read_taxonomy_text()[0], encoding="utf-8")
    code = tmp_path / "code"
    code.mkdir()
    (code / "render.py").write_text("# a drawing\n", encoding="utf-8")
    monkeypatch.setattr(unchanged, "package_folder", lambda: code)
    _report(workspace)
    options: list[str] = []
    for what, change in _changes(tmp_path, monkeypatch):
        assert KEPT in _report(workspace, *options).stdout, f"before {what}"
        options = [o for o in options if o != "--redraw"] + change(workspace)
        made = _report(workspace, *options)
        assert MADE in made.stdout and KEPT not in made.stdout, what
    assert KEPT in _report(workspace, "--dpi", "60", "--taxonomy", str(tmp_path / "taxonomy.toml")).stdout
    assert (workspace / "reports" / "hinton_table.png").is_file()  # made again after it was removed
    assert "Total,99" not in (workspace / "reports" / "hinton_topics.csv").read_text()  # and the edit undone


@pytest.mark.slow
def test_warnings_about_the_request_are_said_again_and_those_about_the_last_report_are_not(workspace):
    # the last report counted 100 works of hinton: this one, with 15 or fewer, warns that he lost most
    _write(workspace / "data" / "processed" / "publications.csv", "author,title\n" + "hinton,A work\n" * 100)
    first = _report(workspace, "--years", "2021")  # and the seminar's tables count 2021-2022: not compared
    shrunk = [line for line in first.stderr.splitlines() if "the last one counted 100" in line]
    assert len(shrunk) == 1 and "Warning: no comparison with the seminar's tables" in first.stderr
    again = _report(workspace, "--years", "2021")
    assert KEPT in again.stdout
    assert again.stderr.splitlines() == [line for line in first.stderr.splitlines() if line not in shrunk]


def test_a_symbolic_link_under_data_means_the_report_is_always_made(workspace, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (workspace / "data" / "raw").mkdir(parents=True)
    os.symlink(elsewhere, workspace / "data" / "raw" / "scholar")
    key, last = unchanged.check(store.Workspace(workspace), report.ReportRequest(), report.SaveOptions())
    assert key is None and last is None


def test_the_key_moves_with_the_records_and_stays_for_the_same_inputs(workspace):
    ws = store.Workspace(workspace)
    first, _ = unchanged.check(ws, report.ReportRequest(), report.SaveOptions())
    assert first is not None
    assert unchanged.check(ws, report.ReportRequest(), report.SaveOptions())[0] == first
    _write(workspace / "data" / "raw" / "openalex" / "hinton.jsonl", "{}\n")
    assert unchanged.check(ws, report.ReportRequest(), report.SaveOptions())[0] not in (None, first)
    assert unchanged.check(ws, report.ReportRequest(years="2021"), report.SaveOptions())[0] != first


@pytest.mark.parametrize(
    "stored",
    [
        "not json",
        "[]",
        '{"inputs": "other"}',
        '{"inputs": "KEY", "manifest": "0", "notes": [], "body": ["x"]}',
    ],
)
def test_a_damaged_or_foreign_run_file_makes_the_report_again(workspace, stored):
    ws = store.Workspace(workspace)
    _write(unchanged.run_file(ws), stored)
    assert unchanged.last_report(ws, "KEY") is None
