"""One writing run at a time in a workspace: the others refuse at once (exit 6) and nothing is ever lost.

The lock is real (filelock, taken by real processes); nothing here mocks it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import files_under
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.models import Author, Publication, YearWindow
from authorstats.shell import fetch, store
from authorstats.sources import Page, Source

runner = CliRunner()
HINTON = Author(key="hinton", name="Geoffrey Hinton", scholar_id="JicYPdAAAAAJ")
ONE_ROW = "author,title,year\nlecun,{title},2021\n"


class HeldOpen(Source):
    """A paged source that stops after its first page until released: a fetch caught mid-run."""

    name = "scholar"

    def __init__(self) -> None:
        self.first_page_sent = threading.Event()
        self.release = threading.Event()

    def pages(self, author, window, cursor=None):
        yield Page([Publication(author=author.key, title="First page paper", year=2021, source="scholar")], "p2")
        self.first_page_sent.set()
        assert self.release.wait(30)
        yield Page([Publication(author=author.key, title="Second page paper", year=2022, source="scholar")], None)


@pytest.fixture
def running_fetch(workspace):
    """A fetch of hinton holding the workspace lock in a thread, half-way through."""
    source = HeldOpen()
    outcome = {}
    thread = threading.Thread(
        target=lambda: outcome.setdefault(
            "report",
            fetch.run(
                store.Workspace(workspace), [HINTON], YearWindow(2021, 2022), source=source, echo=lambda line: None
            ),
        )
    )
    thread.start()
    assert source.first_page_sent.wait(30)
    yield source, outcome, thread
    source.release.set()
    thread.join(30)


def busy_line(result) -> str:
    assert result.exit_code == int(ExitCode.BUSY), result.output
    assert "Traceback" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    return line


def lock_files(workspace: Path) -> list[str]:
    return sorted(p.name for p in (workspace / "data").glob(".*lock*"))


def one_row_csv(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.write_text(ONE_ROW.format(title=title), encoding="utf-8")
    return path


def imported_titles(workspace: Path) -> list[str]:
    raw = store.Workspace(workspace).raw_file("import", "lecun")
    if not raw.exists():
        return []
    return [json.loads(line)["title"] for line in raw.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_second_fetch_refuses_while_the_first_runs_and_the_first_finishes_alone(workspace, running_fetch):
    source, outcome, thread = running_fetch
    holder = workspace / "data" / ".lock"
    during = files_under(workspace)

    line = busy_line(runner.invoke(app, ["fetch", "-w", str(workspace), "--source", "scholar", "--author", "hinton"]))

    assert f"another authorstats run ({os.getpid()} fetch, started " in line and str(workspace) in line
    assert "Wait for it to finish" in line and f"ps -p {os.getpid()}" in line and str(holder) in line
    assert files_under(workspace) == during  # the refused run wrote nothing, not even the lock

    source.release.set()
    thread.join(30)
    assert outcome["report"].done == 1
    records = list(store.read_jsonl(store.Workspace(workspace).raw_file("scholar", "hinton")))
    assert [r.title for r in records] == ["First page paper", "Second page paper"]
    assert lock_files(workspace) == []  # let go: nothing left behind


def test_import_refuses_while_a_fetch_runs(workspace, tmp_path, running_fetch):
    path = one_row_csv(tmp_path, "list.csv", "Convolutional nets")
    during = files_under(workspace)

    busy_line(runner.invoke(app, ["import", str(path), "-w", str(workspace)]))

    assert files_under(workspace) == during


# --- a lock held by another process -------------------------------------------------------------

HOLDER = textwrap.dedent("""
    import multiprocessing, os, sys, time
    from pathlib import Path
    from authorstats.shell import lock, store

    def worker():
        time.sleep(120)  # a picture worker outliving a killed report

    with lock.workspace_lock(store.Workspace(Path(sys.argv[1])), sys.argv[2]):
        child = None
        if sys.argv[3] == "fork":
            child = multiprocessing.get_context("fork").Process(target=worker)
            child.start()
        print(os.getpid(), child.pid if child else "", flush=True)
        sys.stdin.readline()
""")


@contextlib.contextmanager
def held_elsewhere(workspace: Path, command: str = "fetch", worker: str = "none"):
    """Another authorstats process holding the workspace lock until the block ends (or it is killed)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(workspace), command, worker],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        pids = holder.stdout.readline().split()
        assert pids, holder.communicate(timeout=30)
        yield holder, [int(pid) for pid in pids]
    finally:
        if holder.poll() is None:
            holder.stdin.close()
            holder.wait(30)
        for pid in [int(pid) for pid in pids[1:]]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def review_file(tmp_path: Path) -> Path:
    path = tmp_path / "review.csv"
    path.write_text("title,source_id,topic,confidence,correct_topic\nA paper,,Other,0.1,Other\n", encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("command", ["import", "report", "fetch", "review --apply"])
def test_every_writing_command_refuses_while_another_process_holds_the_lock(workspace, tmp_path, command):
    args = {
        "import": ["import", str(one_row_csv(tmp_path, "list.csv", "Convolutional nets"))],
        "report": ["report", "--no-clouds"],
        "fetch": ["fetch", "--source", "scholar", "--author", "hinton"],
        "review --apply": ["review", "--apply", str(review_file(tmp_path))],
    }[command]
    with held_elsewhere(workspace, "import") as (_, (pid,)):
        during = files_under(workspace)

        result = runner.invoke(app, [*args, "-w", str(workspace)])

        line = busy_line(result)
        assert f"another authorstats run ({pid} import, started " in line and f"ps -p {pid}" in line
        assert files_under(workspace) == during
        assert not (workspace / "reports").exists()


@pytest.mark.slow
def test_the_lock_of_a_killed_run_is_free_at_once(workspace, tmp_path):
    with held_elsewhere(workspace, "import") as (holder, (pid,)):
        holder.kill()
        holder.wait(30)
        assert (workspace / "data" / ".lock").read_text(encoding="utf-8").startswith(f"{pid} import ")

        result = runner.invoke(
            app, ["import", str(one_row_csv(tmp_path, "list.csv", "After the kill")), "-w", str(workspace)]
        )

    assert result.exit_code == 0, result.output
    assert imported_titles(workspace) == ["After the kill"]
    assert lock_files(workspace) == []


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="report forks its picture workers on Linux only")
def test_workers_a_killed_run_forked_do_not_keep_its_lock(workspace, tmp_path):
    with held_elsewhere(workspace, "report", worker="fork") as (holder, (pid, worker)):
        holder.kill()
        holder.wait(30)
        os.kill(worker, 0)  # the worker outlives its parent

        result = runner.invoke(
            app, ["import", str(one_row_csv(tmp_path, "list.csv", "Workers left")), "-w", str(workspace)]
        )

    assert result.exit_code == 0, result.output


def dead_pid() -> str:
    return subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()


@pytest.mark.parametrize("left", ["999999 import\n", "1 fetch\n", "", "dead"])
def test_a_lock_file_of_the_old_format_blocks_nothing(workspace, tmp_path, left):
    old = workspace / "data" / ".lock"
    old.parent.mkdir()
    old.write_text(f"{dead_pid()} fetch\n" if left == "dead" else left, encoding="utf-8")

    result = runner.invoke(
        app, ["import", str(one_row_csv(tmp_path, "list.csv", "Convolutional nets")), "-w", str(workspace)]
    )

    assert result.exit_code == 0, result.output
    assert imported_titles(workspace) == ["Convolutional nets"]
    assert lock_files(workspace) == []


# Started at one wall-clock moment, so that the runs meet at the lock instead of after each other's start-up.
TOGETHER = textwrap.dedent("""
    import sys, time
    at = float(sys.argv.pop(1))
    if sys.argv[1] == "hold":  # take the lock alone and say when it was held
        from pathlib import Path
        from authorstats.errors import WorkspaceBusyError
        from authorstats.shell import lock, store
        time.sleep(max(0.0, at - time.time()))
        try:
            with lock.workspace_lock(store.Workspace(Path(sys.argv[2])), "import"):
                start = time.time()
                time.sleep(0.3)
                print("held", start, time.time())
        except WorkspaceBusyError:
            print("busy")
    else:  # an authorstats command
        from authorstats.cli import main
        time.sleep(max(0.0, at - time.time()))
        main()
""")


def run_together(*commands: list[str]) -> list[tuple[int, str, str]]:
    at = str(time.time() + 4)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", TOGETHER, at, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for command in commands
    ]
    return [(run.wait(120), *run.communicate()) for run in runs]


def stale_lock(workspace: Path) -> None:
    (workspace / "data").mkdir()
    (workspace / "data" / ".lock").write_text("999999 import\n", encoding="utf-8")


@pytest.mark.slow
def test_runs_started_together_over_a_stale_lock_never_hold_it_at_the_same_time(workspace):
    stale_lock(workspace)

    outcomes = run_together(*[["hold", str(workspace)] for _ in range(6)])

    assert all(code == 0 for code, _, _ in outcomes), outcomes
    held = sorted(tuple(map(float, out.split()[1:])) for _, out, _ in outcomes if out.startswith("held"))
    assert held and len(held) + sum(out.strip() == "busy" for _, out, _ in outcomes) == 6
    assert all(end <= next_start for (_, end), (next_start, _) in zip(held, held[1:])), held


@pytest.mark.slow
def test_concurrent_imports_over_a_stale_lock_never_lose_a_record(workspace, tmp_path):
    """Issue 12, case 1: six imports into one author's file at once; every run that says "saved" is on disk."""
    stale_lock(workspace)
    titles = [f"Concurrent paper {n}" for n in range(6)]
    files = [one_row_csv(tmp_path, f"list{n}.csv", title) for n, title in enumerate(titles)]

    outcomes = run_together(*[["import", str(path), "-w", str(workspace)] for path in files])

    on_disk = imported_titles(workspace)
    for title, (code, out, err) in zip(titles, outcomes):
        assert code in (0, int(ExitCode.BUSY)), err
        if code == 0:
            assert "lecun: 1 publications" in out and title in on_disk
        else:
            (line,) = err.strip().splitlines()
            assert line.startswith("Error: another authorstats run") and title not in on_disk
    assert sorted(on_disk) == sorted(t for t, (code, _, _) in zip(titles, outcomes) if code == 0)
    assert lock_files(workspace) == []


# --- a workspace the lock cannot be taken in ---------------------------------------------------------


def test_a_data_path_that_is_a_file_is_exit_5(workspace, tmp_path):
    (workspace / "data").write_text("not a folder", encoding="utf-8")

    result = runner.invoke(app, ["import", str(one_row_csv(tmp_path, "list.csv", "X")), "-w", str(workspace)])

    assert result.exit_code == int(ExitCode.OUTPUT), result.output
    assert f"{workspace / 'data'} is a file, not a folder" in result.stderr


def test_a_lock_path_that_is_a_folder_is_exit_5(workspace, tmp_path):
    (workspace / "data" / ".lock").mkdir(parents=True)

    result = runner.invoke(app, ["import", str(one_row_csv(tmp_path, "list.csv", "X")), "-w", str(workspace)])

    assert result.exit_code == int(ExitCode.OUTPUT), result.output
    assert f"cannot write {workspace / 'data' / '.lock'}" in result.stderr
    assert imported_titles(workspace) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_workspace_is_exit_5(workspace, tmp_path):
    workspace.chmod(0o555)
    try:
        result = runner.invoke(app, ["import", str(one_row_csv(tmp_path, "list.csv", "X")), "-w", str(workspace)])
    finally:
        workspace.chmod(0o755)

    assert result.exit_code == int(ExitCode.OUTPUT), result.output
    assert "permission denied" in result.stderr and "writable --workspace" in result.stderr


# --- stress: eight writers at once over a stale lock, twenty times (issue 12, case 1 and "Done when") ----------

# One process imports authorstats (and what report draws with) once, then forks the eight runs at the same
# instant: each is a real process running the command line's main(), and they meet at the lock together
# instead of after each other's start-up (which would also cost ~0.5 s of CPU each, 160 times).
EIGHT_AT_ONCE = textwrap.dedent("""
    import json, os, sys
    import pandas  # noqa: F401
    from matplotlib.backends import backend_agg  # noqa: F401
    from authorstats.cli import main

    runs, out = json.loads(sys.argv[1]), sys.argv[2]
    pids = []
    for number, args in enumerate(runs):
        pid = os.fork()
        if pid == 0:
            for fd, name in ((1, "out"), (2, "err")):
                os.dup2(os.open(f"{out}/{number}.{name}", os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
            sys.argv = ["authorstats", *args]
            code = 1
            try:
                main()
                code = 0
            except SystemExit as end:
                code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        pids.append(pid)
    print(json.dumps([os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]))
""")

# The issue asks for 20 rounds; they passed in 6 min 45 s on the shared two-CPU test machine (4 rounds: 80 s), far
# over the suite's budget, so the suite runs 3 and AUTHORSTATS_STRESS_ROUNDS=20 runs the full stress test.
ROUNDS = int(os.environ.get("AUTHORSTATS_STRESS_ROUNDS", "3"))


def summary_column(summary: str, name: str) -> int:
    """The sum of ``name``'s column in summary.md's first table (papers per topic and author)."""
    table = summary.split("## Papers per topic and author", 1)[1].split("\n## ", 1)[0]
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in table.splitlines()
        if line.startswith("|")
    ]
    column = rows[0].index(name)
    return sum(int(row[column]) for row in rows[2:] if row[0] != "Total")


def assert_report_whole(workspace: Path) -> None:
    import pandas as pd

    reports = workspace / "reports"
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert index.rstrip().endswith("</html>") and "Yann LeCun" in index
    counts = pd.read_csv(reports / "topic_counts.csv")
    processed = pd.read_csv(workspace / "data" / "processed" / "publications.csv")
    lecun = int(counts.loc[counts["author"] == "lecun", "count"].sum())
    assert lecun == int((processed["author"] == "lecun").sum())
    assert lecun == summary_column((reports / "summary.md").read_text(encoding="utf-8"), "Yann LeCun")


@pytest.mark.slow
@pytest.mark.stress
@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks the eight runs from one prepared process")
def test_stress_eight_writers_over_a_stale_lock_many_times(workspace, tmp_path):
    """Seven imports of different one-row CSVs and one report, started together over a stale old-format lock,
    ROUNDS times in one workspace: every record a run reported as saved is on disk, every report is whole."""
    saved: list[str] = []
    reports_written = 0
    for round_ in range(ROUNDS):
        (workspace / "data").mkdir(exist_ok=True)
        (workspace / "data" / ".lock").write_text("999999 import\n", encoding="utf-8")
        titles = [f"Stress paper {round_}-{n}" for n in range(7)]
        runs = [
            ["import", str(one_row_csv(tmp_path, f"r{round_}_{n}.csv", t)), "-w", str(workspace)]
            for n, t in enumerate(titles)
        ]
        runs.insert(round_ % 8, ["report", "-w", str(workspace), "-a", "lecun", "--no-clouds", "--dpi", "50"])
        out = tmp_path / f"out{round_}"
        out.mkdir()

        done = subprocess.run(
            [sys.executable, "-c", EIGHT_AT_ONCE, json.dumps(runs), str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )

        assert done.returncode == 0, done.stderr
        codes = json.loads(done.stdout)
        for number, (args, code) in enumerate(zip(runs, codes)):
            stdout = (out / f"{number}.out").read_text(encoding="utf-8")
            stderr = (out / f"{number}.err").read_text(encoding="utf-8")
            assert code in (0, int(ExitCode.BUSY)), (args, code, stderr)
            if code == int(ExitCode.BUSY):
                (line,) = [line for line in stderr.splitlines() if line.startswith("Error: ")]
                assert line.startswith("Error: another authorstats run") and "Traceback" not in stderr
            elif args[0] == "import":
                assert "lecun: 1 publications" in stdout, stdout
                saved.append(titles[number - (number > round_ % 8)])
            else:
                reports_written += 1
                assert_report_whole(workspace)
        assert sorted(set(saved) - set(imported_titles(workspace))) == []
        assert lock_files(workspace) == []
        assert not [p for p in workspace.rglob(".*") if p.name.endswith((".tmp", ".bak"))]
    assert saved and sorted(imported_titles(workspace)) == sorted(saved)
    if reports_written:
        assert_report_whole(workspace)
