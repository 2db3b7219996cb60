"""Two writing runs in one workspace: the second refuses at once (exit 6) and never interleaves its writes."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from typer.testing import CliRunner

from authorstats.shell import fetch

from authorstats.shell import store
from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.models import Author, Publication, YearWindow
from authorstats.sources import Page
from conftest import files_under

runner = CliRunner()
HINTON = Author(key="hinton", name="Geoffrey Hinton", scholar_id="JicYPdAAAAAJ")


class HeldOpen:
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
    thread = threading.Thread(target=lambda: outcome.setdefault("report", fetch.run(
        store.Workspace(workspace), [HINTON], YearWindow(2021, 2022), source=source, echo=lambda line: None)))
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


def test_a_second_fetch_refuses_while_the_first_runs_and_the_first_finishes_alone(workspace, running_fetch):
    source, outcome, thread = running_fetch
    lock = workspace / "data" / ".lock"
    during = files_under(workspace)

    line = busy_line(runner.invoke(app, ["fetch", "-w", str(workspace), "--source", "scholar", "--author", "hinton"]))

    assert "another authorstats run" in line and " fetch)" in line and str(workspace) in line
    assert "Wait for it to finish" in line and str(lock) in line
    assert files_under(workspace) == during  # the refused run wrote nothing, not even the lock

    source.release.set()
    thread.join(30)
    assert outcome["report"].done == 1
    records = list(store.read_jsonl(store.Workspace(workspace).raw_file("scholar", "hinton")))
    assert [r.title for r in records] == ["First page paper", "Second page paper"]
    assert not lock.exists()


def test_import_refuses_while_a_fetch_runs(workspace, tmp_path, running_fetch):
    path = tmp_path / "list.csv"
    path.write_text("author,title,year\nlecun,Convolutional nets,2021\n", encoding="utf-8")
    during = files_under(workspace)

    busy_line(runner.invoke(app, ["import", str(path), "-w", str(workspace)]))

    assert files_under(workspace) == during


def test_a_lock_left_by_a_process_that_died_is_taken_over_with_a_warning(workspace, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock = workspace / "data" / ".lock"
    lock.parent.mkdir()
    lock.write_text(f"{dead.stdout.strip()} fetch\n", encoding="utf-8")
    path = tmp_path / "list.csv"
    path.write_text("author,title,year\nlecun,Convolutional nets,2021\n", encoding="utf-8")

    result = runner.invoke(app, ["import", str(path), "-w", str(workspace)])

    assert result.exit_code == 0, result.output
    assert f"removed a stale lock left by process {dead.stdout.strip()}" in result.stderr
    assert not lock.exists()
