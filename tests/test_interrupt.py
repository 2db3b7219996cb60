"""Ctrl-C and SIGTERM during `fetch` and `report`: exit 130, earlier raw data and reports intact, fetch resumes.

In-process tests raise KeyboardInterrupt from a patched step; subprocess tests send a real SIGTERM to a
run that is blocked half-way (Scholar's second page, or a chart being drawn).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import respx
from conftest import files_under
from scholar_pages import ScholarProfile, spread
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.models import Publication
from authorstats.shell import store
from authorstats.sources import scholar

pytestmark = pytest.mark.slow  # signals, killed processes and reports stopped half-way

runner = CliRunner()
TESTS = Path(__file__).parent
SRC = TESTS.parent / "src"
ROWS = spread({2022: 150, 2021: 150, 2020: 10})  # three pages of 100 rows for 2021-2022


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch):
    monkeypatch.setattr(scholar, "polite_sleep", lambda seconds: None)


@pytest.fixture
def earlier(workspace) -> Path:
    """A workspace with lecun fetched earlier and a report written earlier."""
    ws = store.Workspace(workspace)
    store.write_jsonl(
        ws.raw_file("scholar", "lecun"),
        [Publication(author="lecun", title="Energy-based models", year=2021, source="scholar")],
    )
    store.write_json(ws.manifest_file("scholar"), {"source": "scholar", "authors": {}})
    store.atomic_write_text(ws.reports / "index.html", "<html>the previous report</html>\n")
    store.atomic_write_text(ws.reports / "topic_counts.csv", "author,topic,count\nlecun,Other,1\n")
    return workspace


def interrupted_line(result) -> str:
    assert result.exit_code == int(ExitCode.INTERRUPTED), result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Interrupted")]
    assert len(lines) == 1
    return lines[0]


def fetch_hinton(workspace: Path):
    return runner.invoke(app, ["fetch", "-w", str(workspace), "--source", "scholar", "--author", "hinton"])


def test_ctrl_c_during_fetch_keeps_earlier_data_and_the_next_fetch_resumes(earlier):
    ws = store.Workspace(earlier)
    lecun_before = ws.raw_file("scholar", "lecun").read_bytes()
    profile = ScholarProfile(ROWS)

    def second_page_interrupted(request):
        if "cstart=100" in str(request.url):
            raise KeyboardInterrupt
        return profile.handler(request)

    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__startswith="https://scholar.google.com/citations").side_effect = second_page_interrupted
        line = interrupted_line(fetch_hinton(earlier))
    assert "run the command again" in line and "fetch resumes" in line

    assert ws.raw_file("scholar", "lecun").read_bytes() == lecun_before
    assert not ws.raw_file("scholar", "hinton").exists()  # nothing half-written where the result goes
    assert len(list(store.read_jsonl(ws.partial_file("scholar", "hinton")))) == 100  # page one is kept
    assert not (earlier / "data" / ".lock").exists()

    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__startswith="https://scholar.google.com/citations").side_effect = profile.handler
        result = fetch_hinton(earlier)

    assert result.exit_code == 0, result.output
    assert "resumed with 100 records kept from an interrupted run" in result.stderr
    assert profile.cstarts == [0, 100, 200, 300]  # the interrupted page and the rest; page one not twice
    assert [r.title for r in store.read_jsonl(ws.raw_file("scholar", "hinton"))] == [r.title for r in ROWS[:300]]
    assert ws.raw_file("scholar", "lecun").read_bytes() == lecun_before


def test_ctrl_c_during_report_leaves_the_previous_report_and_data_whole(earlier, monkeypatch):
    before = files_under(earlier)
    drawn: list[str] = []
    real = store.atomic_write_bytes

    # Charts are drawn in worker processes; the interruption comes while this process writes them.
    def interrupted_after_one_chart(path, data):
        if path.suffix == ".png":
            if drawn:
                raise KeyboardInterrupt
            drawn.append(path.name)
        return real(path, data)

    monkeypatch.setattr(store, "atomic_write_bytes", interrupted_after_one_chart)

    line = interrupted_line(runner.invoke(app, ["report", "-w", str(earlier), "--no-clouds", "--dpi", "50"]))

    assert "nothing was half-written" in line
    assert drawn  # the run was interrupted part-way, after writing some files of the new report
    assert files_under(earlier) == before
    assert not list(earlier.rglob("*.tmp"))


# --- a real SIGTERM, in a child process ------------------------------------------------------------

FETCH_CHILD = """
import sys, time
import httpx, respx
sys.path.insert(0, {tests!r})
from scholar_pages import ScholarProfile, spread
from authorstats.sources import scholar
from authorstats.cli import app

scholar.polite_sleep = lambda seconds: None
profile = ScholarProfile(spread({{2022: 150, 2021: 150, 2020: 10}}))

def handler(request):
    if "cstart=100" in str(request.url):
        open({marker!r}, "w").close()
        time.sleep(60)  # hangs until SIGTERM ends the run
    return profile.handler(request)

with respx.mock(assert_all_called=False) as mock:
    mock.get(url__startswith="https://scholar.google.com/citations").side_effect = handler
    app(["fetch", "-w", {workspace!r}, "--source", "scholar", "--author", "hinton", "--deadline", "120"])
"""

REPORT_CHILD = """
import time
from authorstats.render import charts
from authorstats.cli import app

real = charts.figure_bytes
drawn = []

def slow(fig, fmt):
    if drawn:
        open({marker!r}, "w").close()
        time.sleep(60)  # hangs until SIGTERM ends the run
    drawn.append(fmt)
    return real(fig, fmt)

charts.figure_bytes = slow
app(["report", "-w", {workspace!r}, "--no-clouds", "--dpi", "50"])
"""


def sigterm_child(code: str, marker: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(600):  # until the child is blocked half-way (at most 60 s)
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), child.communicate(timeout=30)
        child.send_signal(signal.SIGTERM)
        out, err = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return subprocess.CompletedProcess(child.args, child.returncode, out, err)


def test_sigterm_during_fetch_exits_130_and_the_next_fetch_resumes(earlier, tmp_path):
    ws = store.Workspace(earlier)
    lecun_before = ws.raw_file("scholar", "lecun").read_bytes()
    marker = tmp_path / "blocked"

    done = sigterm_child(FETCH_CHILD.format(tests=str(TESTS), marker=str(marker), workspace=str(earlier)), marker)

    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("Interrupted:") and "Traceback" not in done.stderr
    assert ws.raw_file("scholar", "lecun").read_bytes() == lecun_before
    assert not ws.raw_file("scholar", "hinton").exists() and not (earlier / "data" / ".lock").exists()
    profile = ScholarProfile(ROWS)
    with respx.mock(assert_all_called=False) as mock:
        mock.get(url__startswith="https://scholar.google.com/citations").side_effect = profile.handler
        result = fetch_hinton(earlier)
    assert result.exit_code == 0, result.output
    assert profile.cstarts == [100, 200, 300]  # resumed after the page the first run had
    assert len(list(store.read_jsonl(ws.raw_file("scholar", "hinton")))) == 300


def test_sigterm_during_report_leaves_the_previous_report_whole(earlier, tmp_path):
    before = files_under(earlier)
    marker = tmp_path / "blocked"

    done = sigterm_child(REPORT_CHILD.format(marker=str(marker), workspace=str(earlier)), marker)

    assert done.returncode == 130, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("Interrupted:") and "Traceback" not in done.stderr
    assert files_under(earlier) == before
    assert not list(earlier.rglob("*.tmp"))


# --- kill -9: nothing outlives the run, and the next run removes what it left ------------------------

KILLED_CHILD = """
import time
from authorstats.render import charts
from authorstats.shell import processes
from authorstats.cli import app

processes.cpu_count = lambda: 2  # picture workers even on a one-CPU machine
real = charts.figure_bytes
drawn = []

def slow(fig, fmt):
    if drawn:
        open({marker!r}, "w").close()
        time.sleep(60)  # a worker busy drawing when its run is killed
    drawn.append(fmt)
    return real(fig, fmt)

charts.figure_bytes = slow
app(["report", "-w", {workspace!r}, "--no-clouds", "--dpi", "50"])
"""


def children(pid: int) -> set[int]:
    """The processes ``pid`` started (Linux: /proc/PID/task/*/children)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.update(int(c) for c in (task / "children").read_text().split())
        except OSError:
            pass
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its new parent's wait is missing


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads the process tree from /proc (Linux)")
def test_kill_9_during_report_ends_its_workers_and_the_next_report_removes_its_temporary_files(earlier, tmp_path):
    """Issue 12, case 6."""
    marker = tmp_path / "blocked"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_CHILD.format(marker=str(marker), workspace=str(earlier)))],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    try:
        for _ in range(600):  # until a worker is drawing the second chart (at most 60 s)
            if marker.exists() or child.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), child.communicate(timeout=30)
        workers = children(child.pid)
        assert len(workers) >= 2
        child.kill()
        child.wait(30)

        deadline = time.monotonic() + 5
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [w for w in workers if alive(w)], "picture workers outlived their killed run"
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for worker in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker, signal.SIGKILL)
    left = sorted(p.name for p in earlier.rglob(".*.tmp"))
    assert left  # the killed run had written the new tables into temporary files
    assert (earlier / "reports" / "index.html").read_text() == "<html>the previous report</html>\n"

    result = runner.invoke(app, ["report", "-w", str(earlier), "--no-clouds", "--dpi", "50"])

    assert result.exit_code == 0, result.output
    assert not list(earlier.rglob("*.tmp")) and not list(earlier.rglob("*.bak"))


CLASSIFY_CHILD = """
import os, time
from authorstats.classification import parallel
from authorstats.cli import app

parallel.PARALLEL_FROM = 10  # the small file's chunks go to the persistent workers
real = parallel._classify_part

def slow(*part):
    with open({marker!r} + f".{{os.getpid()}}", "w") as note:
        note.write(str(os.getpid()))
    os.replace({marker!r} + f".{{os.getpid()}}", {marker!r})
    time.sleep(60)  # a worker busy with its part until SIGTERM ends the run
    return real(*part)

parallel._classify_part = slow
app(["classify", {titles!r}, "-o", {output!r}])
"""


@pytest.mark.slow
def test_sigterm_during_classify_ends_its_workers_without_a_traceback(tmp_path):
    titles = tmp_path / "titles.csv"
    titles.write_text("title,year\n" + "".join(f"Vision transformers {n},2021\n" for n in range(50)), encoding="utf-8")
    marker, output = tmp_path / "busy", tmp_path / "tagged.csv"
    done = sigterm_child(CLASSIFY_CHILD.format(marker=str(marker), titles=str(titles), output=str(output)), marker)
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr and "Interrupted" in done.stderr
    assert not output.exists()
    worker = int(marker.read_text(encoding="utf-8"))
    for _ in range(100):  # the worker the run was waiting for is ended with it
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError(f"worker {worker} outlived the run")
