"""`authorstats serve`: a real Datasette server on 127.0.0.1, started as its own process and always stopped."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest
from browser import chromium, needs_chromium
from typer.testing import CliRunner

from authorstats.cli import app

runner = CliRunner()
START_TIMEOUT = 120  # seconds for the server to say where it listens (the machine may be busy)


@pytest.fixture(scope="module")
def reported(shared_report):
    """A workspace with the bundled snapshot's report, and so its database (conftest.py; serve only reads it)."""
    return shared_report[0]


class Served:
    """A running `authorstats serve`: its base URL and process; ``output()`` stops it and gives all it printed."""

    def __init__(self, process: subprocess.Popen[str], url: str, printed: list[str]) -> None:
        self.process, self.url, self.printed = process, url, printed

    def output(self) -> tuple[str, str]:
        """Stop the server; what it printed on stdout and on stderr."""
        stop(self.process)
        _, stderr = self.process.communicate()
        return "".join(self.printed), stderr


def stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serving(workspace: Path) -> Iterator[Served]:
    """`authorstats serve --no-open --port 0` on ``workspace`` in its own process, stopped at the end, also when a
    test fails."""
    process = subprocess.Popen(
        [sys.executable, "-m", "authorstats", "serve", "-w", str(workspace), "--no-open", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        lines: queue.Queue[str] = queue.Queue()
        printed: list[str] = []

        def read() -> None:
            for line in process.stdout:
                printed.append(line)
                lines.put(line)

        threading.Thread(target=read, daemon=True).start()
        try:
            first = lines.get(timeout=START_TIMEOUT)
        except queue.Empty:
            stderr = process.stderr.read() if process.poll() is not None else ""
            pytest.fail(f"serve printed nothing in {START_TIMEOUT} s; stderr: {stderr}")
        assert first.startswith("Serving ") and " at http://127.0.0.1:" in first, first
        url = first.split(" at ", 1)[1].split()[0]
        parts = urlsplit(url)
        yield Served(process, f"{parts.scheme}://{parts.netloc}", printed)
    finally:
        if process.poll() is None:
            stop(process)


@pytest.fixture(scope="module")
def server(reported):
    """The base URL of a server on the shared report."""
    with serving(reported) as served:
        yield served.url


def get_json(url: str) -> object:
    with urllib.request.urlopen(url, timeout=60) as response:
        assert response.status == 200
        return json.loads(response.read().decode("utf-8"))


def test_the_works_json_counts_what_the_table_says(server, reported):
    table = pd.read_csv(reported / "reports" / "lecun_topics.csv")
    expected = int(table.loc[table["Topic"] == "Self-Supervised", "Count"].iloc[0])
    data = get_json(f"{server}/authorstats/works.json?topic=Self-Supervised&author_key=lecun&_size=max")
    assert data["filtered_table_rows_count"] == expected == len(data["rows"])
    assert expected > 0


def test_the_canned_query_gives_the_seminar_table(server, reported):
    rows = get_json(f"{server}/authorstats/topic_table.json?author=hinton&start=2021&end=2022&_shape=array")
    table = pd.read_csv(reported / "reports" / "hinton_topics.csv")
    assert [(r["Topic"], r["Count"]) for r in rows] == list(zip(table["Topic"], table["Count"].astype(int)))


def test_metadata_names_the_tables_and_columns_in_words(server):
    metadata = get_json(f"{server}/-/metadata.json")
    works = metadata["databases"]["authorstats"]["tables"]["works"]
    assert works["facets"] == ["author_key", "topic", "year", "venue"]
    assert works["columns"]["year"] and works["description"]


@pytest.mark.slow
@needs_chromium
def test_the_works_page_shows_the_facets_in_a_browser(server, tmp_path):
    from selenium.webdriver.common.by import By

    browser = chromium(tmp_path / "profile")
    try:
        browser.get(f"{server}/authorstats/works")
        facets = [f.get_attribute("data-column") for f in browser.find_elements(By.CSS_SELECTOR, ".facet-info")]
        assert sorted(facets) == ["author_key", "topic", "venue", "year"]
        assert (
            "Yann LeCun 33" in browser.find_element(By.CSS_SELECTOR, ".facet-results").text
        )  # the author facet, by name
        assert browser.find_elements(By.CSS_SELECTOR, "input[name=_search]")  # the full-text search box
    finally:
        browser.quit()


def test_without_a_database_it_says_to_run_report_first(workspace):
    result = runner.invoke(app, ["serve", "-w", str(workspace), "--no-open"])
    assert result.exit_code == 2
    assert "authorstats report" in result.output and "first" in result.output


def test_without_datasette_it_gives_the_install_command(reported, monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "datasette" else real(name, *a))
    result = runner.invoke(app, ["serve", "-w", str(reported), "--no-open"])
    assert result.exit_code == 2
    assert "pip install 'authorstats[serve]'" in result.output


def test_a_port_in_use_is_exit_2(reported):
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "-w", str(reported), "--no-open", "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in result.output


def test_a_public_host_warns(reported, monkeypatch):
    import uvicorn

    from authorstats.shell import serve

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)  # the warning, not a public server
    monkeypatch.setattr(serve, "listen", lambda host, port: __import__("socket").create_server(("127.0.0.1", 0)))
    result = runner.invoke(app, ["serve", "-w", str(reported), "--no-open", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "warning: serving on 0.0.0.0" in result.stderr


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_local_hosts_do_not_warn(host):
    from authorstats.shell.serve import is_local

    assert is_local(host)
    assert not is_local("0.0.0.0") and not is_local("192.168.1.5")


def works_served(url: str) -> int:
    return int(get_json(f"{url}/authorstats/works.json?_size=0")["filtered_table_rows_count"])


def open_files(pid: int) -> list[str]:
    """What process ``pid`` holds open (Linux: /proc)."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            found.append(os.readlink(fd))
    return found


@pytest.mark.slow  # a server in its own process, and two reports
@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads the open files from /proc (Linux)")
def test_a_reload_after_report_shows_the_new_database_and_the_old_file_is_let_go(workspace):
    """Issue 25, case 7. On main, serve went on reading the replaced file: 120 works after `report --author lecun`
    had written 33, and three descriptors of `authorstats.db (deleted)` kept the old file's disk space."""
    assert runner.invoke(app, ["report", "-w", str(workspace), "--tables-only"]).exit_code == 0
    database = workspace / "data" / "processed" / "authorstats.db"
    with serving(workspace) as served:
        everyone = works_served(served.url)

        result = runner.invoke(app, ["report", "-w", str(workspace), "--tables-only", "--author", "lecun"])
        assert result.exit_code == 0, result.output
        with contextlib.closing(sqlite3.connect(database)) as connection:
            written = connection.execute("select count(*) from works").fetchone()[0]
        assert 0 < written < everyone

        assert [works_served(served.url) for _ in range(3)] == [written] * 3  # each reload
        held = [name for name in open_files(served.process.pid) if "authorstats.db" in name]
        assert held and all(name == str(database) for name in held), held  # none "(deleted)"


@pytest.mark.slow  # a server in its own process
def test_bad_requests_get_datasettes_error_pages_and_print_nothing(workspace):
    """Issue 25, case 11. On main, each bad request printed a Rich traceback with every frame's local variables:
    634 lines for these three."""
    assert runner.invoke(app, ["report", "-w", str(workspace), "--tables-only", "--author", "lecun"]).exit_code == 0
    with serving(workspace) as served:
        answers = {}
        for path in ("/nope", "/authorstats/works.json?_sort=nonexistent", "/authorstats/nosuchtable.json"):
            with pytest.raises(urllib.error.HTTPError) as error:
                urllib.request.urlopen(f"{served.url}{path}", timeout=60)
            body = error.value.read().decode("utf-8")
            answers[path] = (
                error.value.code,
                json.loads(body)["error"] if ".json" in path else "Database not found" in body,
            )
        stdout, stderr = served.output()

    assert answers == {
        "/nope": (404, True),
        "/authorstats/works.json?_sort=nonexistent": (500, "Cannot sort table by nonexistent"),
        "/authorstats/nosuchtable.json": (404, "Table not found"),
    }
    assert stdout.splitlines()[0].startswith("Serving ") and stdout.splitlines()[1:] == ["Stopped."], stdout
    assert stderr == ""
