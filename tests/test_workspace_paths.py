"""Issue 25: authorstats writes, replaces, locks and deletes only the workspace's own files, never through a symbolic
link in it (a workspace shared through git or an archive keeps its links), and the next run that holds the workspace
lock removes what a killed run left (temporary files, the database's scratch folder).

Each test runs the command line. "Outside" is a folder beside the workspace; ``snapshot`` records every file, folder
and link under it (kind, size, modification time in nanoseconds, content digest, link target), so a write, a
replacement, a deletion or a temporary file made and removed there (which changes the folder's time) shows.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.shell import store

runner = CliRunner()
TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"
ONE_ROW = "author,title,year\nlecun,Energy-based models for everything,2021\n"
TABLES = ("report", "--tables-only", "--author", "lecun")
LEFT = (".lecun.jsonl.", ".authorstats", ".publications.csv.")  # what a killed import or report leaves, any version


def snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every entry below ``root`` (links not followed): what it is, its size and time, and its bytes' digest."""
    found: dict[str, tuple[object, ...]] = {".": ("folder", root.lstat().st_mtime_ns)}
    for folder, folders, files in os.walk(root):
        for name in [*folders, *files]:
            path = Path(folder) / name
            info = path.lstat()
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = ("link", os.readlink(path), info.st_mtime_ns)
            elif path.is_dir():
                found[key] = ("folder", info.st_mtime_ns)
            else:
                found[key] = ("file", info.st_size, info.st_mtime_ns, hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def file_entries(root: Path) -> dict[str, tuple[object, ...]]:
    """The files of ``snapshot`` (a folder's time changes with the temporary files a refused run removed)."""
    return {name: entry for name, entry in snapshot(root).items() if entry[0] == "file"}


def one_error_line(result, code: ExitCode = ExitCode.OUTPUT) -> str:
    """The run's one line: exit ``code``, no traceback, one `Error:` line and nothing after it."""
    assert result.exit_code == int(code), result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    return errors[0]


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the workspace holding a file someone cares about."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("somebody's file\n", encoding="utf-8")
    return folder


def one_row_csv(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(ONE_ROW, encoding="utf-8")
    return path


# --- issue 25, case 2: the three reproductions ------------------------------------------------------------------


def test_a_lock_file_linked_outside_is_refused_and_neither_the_target_nor_the_link_changes(
    workspace, tmp_path, outside
):
    """On main, `import` wrote "PID import TIME" into keep.txt, then removed the link."""
    lock = workspace / "data" / ".lock"
    lock.parent.mkdir()
    lock.symlink_to(outside / "keep.txt")
    before = snapshot(outside)

    result = runner.invoke(app, ["import", str(one_row_csv(tmp_path)), "-w", str(workspace)])

    line = one_error_line(result)
    assert f"{lock} is a symbolic link (to {outside / 'keep.txt'})" in line
    assert f"Remove the link (rm {lock};" in line
    assert snapshot(outside) == before
    assert lock.is_symlink()
    assert not (workspace / "data" / "raw").exists()  # refused before anything was written


@pytest.mark.slow  # a report (about a second)
def test_a_report_file_linked_outside_is_refused_and_its_target_kept(workspace, outside):
    """On main, `report` replaced keep.txt with the new summary.md and left the link in place."""
    summary = workspace / "reports" / "summary.md"
    summary.parent.mkdir()
    summary.symlink_to(outside / "keep.txt")
    before = snapshot(outside)

    result = runner.invoke(app, [*TABLES, "-w", str(workspace)])

    line = one_error_line(result)
    assert f"{summary} is a symbolic link" in line and f"rm {summary}" in line
    assert snapshot(outside) == before
    assert summary.is_symlink()
    assert sorted(p.name for p in (workspace / "reports").iterdir()) == ["summary.md"]  # none of the report
    assert not (workspace / "data" / "processed" / "authorstats.db").exists()


def test_a_manifest_entry_under_a_folder_link_is_refused_and_nothing_is_deleted(workspace, outside):
    """On main, `report` deleted keep.txt: the manifest listed reports/evil/keep.txt with keep.txt's digest, and its
    check looked at the path's parts, never at links."""
    (workspace / "reports").mkdir()
    (workspace / "reports" / "evil").symlink_to(outside)
    listed = workspace / "data" / "processed" / "report_manifest.json"
    listed.parent.mkdir(parents=True)
    digest = hashlib.sha256((outside / "keep.txt").read_bytes()).hexdigest()
    listed.write_text(json.dumps({"files": {"reports/evil/keep.txt": digest}}), encoding="utf-8")
    before = snapshot(outside)

    result = runner.invoke(app, [*TABLES, "-w", str(workspace)])

    line = one_error_line(result)
    evil = workspace / "reports" / "evil"
    assert f"{evil / 'keep.txt'} is under {evil}, a symbolic link (to {outside})" in line
    assert f"rm {evil};" in line and "link the whole --workspace folder instead" in line
    assert snapshot(outside) == before
    assert sorted(p.name for p in (workspace / "reports").iterdir()) == ["evil"]  # refused before writing


def test_a_workspace_folder_that_is_itself_a_link_is_used(workspace, tmp_path):
    """The --workspace folder is the user's choice: it may be a link (to keep the data on another disk)."""
    link = tmp_path / "ws-link"
    link.symlink_to(workspace)

    result = runner.invoke(app, ["import", str(one_row_csv(tmp_path)), "-w", str(link), "--author", "lecun"])

    assert result.exit_code == 0, result.output
    assert (workspace / "data" / "raw" / "import" / "lecun.jsonl").is_file()


# --- issue 25, case 10: what a killed run left ------------------------------------------------------------------


def ended_pid() -> int:
    """The id of no running process, as a killed run's is."""
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_the_next_run_holding_the_lock_removes_what_killed_runs_left_and_nothing_else(workspace, tmp_path, outside):
    """On main, only `report` removed leftovers, only temporary files, and only in reports/, reports/authors/ and
    data/processed/: the database's scratch folder and data/raw's temporary files stayed for good."""
    dead, live = ended_pid(), os.getppid()  # the parent of these tests runs: its files are "being written"
    raw = workspace / "data" / "raw" / "import"
    processed = workspace / "data" / "processed"
    left = {
        raw / f".lecun.jsonl.{dead}.k2j4h5g6.authorstats.tmp": "file",
        raw / ".partial" / f".lecun.json.{dead}.a1b2c3d4.authorstats.tmp": "file",
        processed / f".authorstats.db.{dead}.q9w8e7r6.authorstats.tmp": "folder",  # the database's scratch
        processed / ".authorstats-db.x1y2z3w4": "folder",  # the scratch folder as main names it
        workspace / "reports" / f".index.html.{dead}.abcdefgh.authorstats.bak": "file",
        workspace / "reports" / "authors" / f".lecun.html.{dead}.abcdefgh.authorstats.tmp": "file",
        workspace / "data" / f".labels.csv.{dead}.zzzzzzzz.authorstats.tmp": "file",
        workspace / f".authors.toml.{dead}.yyyyyyyy.authorstats.tmp": "file",
        workspace / "reports" / f".old.png.{dead}.linklink.authorstats.tmp": "link to a file outside",
        processed / f".authorstats.db.{dead}.linkdirr.authorstats.tmp": "link to a folder outside",
    }
    for path, kind in left.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if kind == "folder":
            path.mkdir()
            (path / "authorstats.db").write_bytes(b"\0" * 100_000)
        elif kind == "file":
            path.write_bytes(b"\0" * 100_000)
        else:
            path.symlink_to(outside / "keep.txt" if "file" in kind else outside)
    kept = {
        raw / f".lecun.jsonl.{live}.k2j4h5g6.authorstats.tmp",  # a run still writing it
        raw / "notes.authorstats.tmp",  # not one of ours
        workspace / "elsewhere" / f".x.{dead}.abcdefgh.authorstats.tmp",  # not a folder authorstats writes
    }
    for path in kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("keep\n", encoding="utf-8")
    before = snapshot(outside)

    result = runner.invoke(app, ["import", str(one_row_csv(tmp_path)), "-w", str(workspace)])

    assert result.exit_code == 0, result.output
    assert [str(p) for p in left if os.path.lexists(p)] == []
    assert all(p.read_text(encoding="utf-8") == "keep\n" for p in kept)
    assert snapshot(outside) == before


# A run of the command line that blocks, for good, where `kill -9` hurts most: the import once its whole temporary
# file is written and synced (before the rename), the report once the database is built in its scratch folder.
KILLED = """
    import os, sys, time
    from pathlib import Path
    marker = Path({marker!r})
    def block(*args, **kwargs):
        marker.write_text("blocked")
        time.sleep(600)
    if {what!r} == "import":
        real_fsync = os.fsync
        def fsync(fd):
            real_fsync(fd)
            block()
        os.fsync = fsync
    else:
        from authorstats.shell import database
        real_build = database.build_database
        def build(tables, path):
            real_build(tables, path)
            block()
        database.build_database = build
    from authorstats.cli import main
    sys.argv = ["authorstats", *{args!r}]
    main()
"""


@pytest.mark.slow  # a real process, killed
@pytest.mark.parametrize("what", ["import", "report"])
def test_kill_9_leaves_scratch_that_the_next_run_removes(workspace, tmp_path, what):
    """On main, both stayed: 54 MB of data/raw/import/.*.authorstats.tmp after a killed 1M-row import, 36 MB of
    data/processed/.authorstats-db.*/ after a report killed while building the database."""
    args = (
        ["import", str(one_row_csv(tmp_path)), "-w", str(workspace)]
        if what == "import"
        else ["report", "-w", str(workspace), "--tables-only"]
    )
    marker = tmp_path / "blocked"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    code = textwrap.dedent(KILLED.format(marker=str(marker), what=what, args=args))
    child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), child.communicate(timeout=30)
    finally:
        child.kill()
        child.wait(30)
    left = sorted(p.relative_to(workspace) for p in workspace.rglob(".*") if p.name.startswith(LEFT))
    assert left, "the killed run had left nothing to remove"
    if what == "report":  # the database's scratch folder, holding the database built
        assert any((workspace / p / "authorstats.db").is_file() for p in left), left

    again = runner.invoke(app, args)

    assert again.exit_code == 0, again.output
    assert [p for p in workspace.rglob(".*") if p.name.startswith(LEFT)] == []


# --- the sweep: every path a command writes, replaced by a link ---------------------------------------------------

FILLED_REVIEW = "correct_topic,title,source_id\nOther,Energy-based models for everything,\n"


def _prepare(root: Path, tmp_path: Path) -> None:
    """A workspace where every command below can run: one imported record, a report, a review to fill."""
    for args in (
        ["import", str(one_row_csv(tmp_path)), "--author", "lecun"],
        [*TABLES],
        ["review", "--below", "1"],
    ):
        result = runner.invoke(app, [*args, "-w", str(root)])
        assert result.exit_code == 0, result.output


def _commands(tmp_path: Path) -> dict[str, list[str]]:
    filled = tmp_path / "filled.csv"  # named by the user: outside the workspace
    filled.write_text(FILLED_REVIEW, encoding="utf-8")
    return {
        "import": ["import", str(one_row_csv(tmp_path)), "--author", "lecun"],
        "report": ["report", "--author", "lecun", "--no-clouds", "--dpi", "50"],
        "report --tables-only": [*TABLES],
        "review": ["review", "--below", "1"],
        "review --apply": ["review", "--apply", str(filled)],
    }


def _written(before: dict[str, tuple[object, ...]], after: dict[str, tuple[object, ...]]) -> set[str]:
    """Files a run made or changed (what changed in a folder shows in its files)."""
    return {name for name, entry in after.items() if entry[0] == "file" and before.get(name) != entry and name != "."}


@pytest.mark.slow  # dozens of runs, several of them reports
@pytest.mark.parametrize("command", ["import", "report", "report --tables-only", "review", "review --apply"])
def test_a_link_at_any_path_a_command_writes_is_refused_and_nothing_outside_changes(tmp_path, command, monkeypatch):
    """Each file the command writes, each folder it writes in, its lock files and the report manifest are, one at a
    time, a link to a copy outside the workspace (what a shared workspace can hold): every run ends with one line and
    exit 5, no traceback, no file of the workspace changed, and nothing outside changed, not even a folder's time.
    Then, with leftovers of killed runs that are links in every folder it writes in, the run succeeds and nothing
    outside changes either."""
    template = tmp_path / "template"
    template.mkdir()
    _prepare(template, tmp_path)
    args = _commands(tmp_path)[command]

    # what the command writes: found by running it once (plus the lock files, which exist only while it runs), as
    # the files it changed and every file it went to write (one already holding the same bytes is left as it is)
    probe = tmp_path / "probe"
    shutil.copytree(template, probe, symlinks=True)
    before = snapshot(probe)
    meant: set[str] = set()
    real_write = store._atomic_write

    def recording(path, *rest, **options):
        meant.add(Path(path).relative_to(probe).as_posix())
        return real_write(path, *rest, **options)

    with monkeypatch.context() as patched:
        patched.setattr(store, "_atomic_write", recording)
        result = runner.invoke(app, [*args, "-w", str(probe)])
    assert result.exit_code == 0, result.output
    files = _written(before, snapshot(probe)) | meant
    if command.startswith(("import", "report", "review --apply")):
        files |= {"data/.lock", "data/.oslock"}
    if command.startswith("report"):
        files.add("data/processed/report_manifest.json")
        # and what the report keeps unchanged without writing it (its database, when its tables are the same)
        files |= set(json.loads((probe / "data/processed/report_manifest.json").read_text(encoding="utf-8"))["files"])
    assert files
    folders = {str(parent) for name in files for parent in Path(name).parents if str(parent) != "."}

    outcomes = {}
    for n, (name, kind) in enumerate(sorted([(f, "file") for f in files] + [(f, "folder") for f in folders])):
        root, out = tmp_path / f"ws{n}", tmp_path / f"out{n}"
        shutil.copytree(template, root, symlinks=True)
        out.mkdir()
        target = root / name
        copy = out / Path(name).name
        if kind == "folder":  # the folder's content moved outside, the folder a link to it
            shutil.move(str(target), str(copy))
        else:  # the file (or a stand-in) outside, a link at its place
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                shutil.move(str(target), str(copy))
            elif (probe / name).is_file():  # a file the command makes: what it would write
                shutil.copy2(probe / name, copy)
            else:
                copy.write_text("somebody's file\n", encoding="utf-8")
        target.symlink_to(copy)
        before, files_before = snapshot(out), file_entries(root)

        result = runner.invoke(app, [*args, "-w", str(root)])

        line = one_error_line(result)
        outcomes[name] = (
            snapshot(out) == before and file_entries(root) == files_before,
            "symbolic link" in line and f"rm {target}" in line,
            target.is_symlink(),
        )
    locks = {"data/.lock", "data/.oslock"} if command != "review" else set()
    reports = {"data/processed/authorstats.db", "data/processed/report_manifest.json", "reports/summary.md"}
    assert {"data", *locks, *(reports if command.startswith("report") else ())} <= set(outcomes)
    assert {name: got for name, got in outcomes.items() if got != (True, True, True)} == {}

    # leftovers of killed runs that are links, in every folder the command writes in: removed as links, or kept
    root, out = tmp_path / "ws-leftovers", tmp_path / "out-leftovers"
    shutil.copytree(template, root, symlinks=True)
    shutil.copytree(template, out / "copy", symlinks=True)
    dead = ended_pid()
    for n, folder in enumerate(sorted(folders)):
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / f".x{n}.csv.{dead}.abcdefgh.authorstats.tmp").symlink_to(out / "copy")
        (root / folder / f".y{n}.csv.{dead}.abcdefgh.authorstats.bak").symlink_to(out / "copy" / "data")
    before = snapshot(out)

    result = runner.invoke(app, [*args, "-w", str(root)])

    assert result.exit_code == 0, result.output
    assert snapshot(out) == before
