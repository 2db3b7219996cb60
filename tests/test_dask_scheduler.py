"""`classify --scheduler` on something that is not a Dask scheduler (issue 25, case 6), through the command line.

Real servers on 127.0.0.1, each in a thread of this process that stops by itself: one that accepts and never
speaks (on main: classify waited past 420 s), one that speaks first as an SSH server does (on main: "Internal
error: MemoryError: Unable to allocate 2.82 EiB"), one that sends a well-framed message that is no Dask
handshake. classify runs as a child process; its timeout is a safety net only: the assertions are on the exit
code and the one line. Addresses of other schemes than tcp:// are refused at once (on main: an internal
TypeError).
"""

from __future__ import annotations

import contextlib
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode

pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parent.parent
SAFETY_NET = 120  # seconds; classify's own deadline is 20 s


@contextlib.contextmanager
def server(greet: Callable[[socket.socket], None], lifetime: float = SAFETY_NET) -> Iterator[str]:
    """A TCP server on 127.0.0.1 that calls ``greet`` on every connection and keeps it open; it stops when the
    block ends, or after ``lifetime`` seconds whatever happens. Yields its tcp:// address."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()
    held: list[socket.socket] = []

    def serve() -> None:
        ends = time.monotonic() + lifetime
        while not stop.is_set() and time.monotonic() < ends:
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(connection)
            with contextlib.suppress(OSError):
                greet(connection)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()


def silent(connection: socket.socket) -> None:
    """Accept and say nothing (an HTTP server waiting for a request, a stuck process)."""


def ssh(connection: socket.socket) -> None:
    """Speak first, as an SSH server does: its first 8 bytes read as a length are 2.8 EiB."""
    connection.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")


def framed_nonsense(connection: socket.socket) -> None:
    """A first message framed as Dask frames it (a length, a frame count, frame lengths), holding no handshake."""
    frame = b"\x92\x01\x02"  # msgpack [1, 2]
    body = struct.pack("QQ", 1, len(frame)) + frame
    connection.sendall(struct.pack("Q", len(body)) + body)


def classify(tmp_path: Path, scheduler: str) -> tuple[subprocess.CompletedProcess[str], float]:
    titles = tmp_path / "titles.csv"
    titles.write_text("title\nSelf-supervised learning of visual features\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    start = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "authorstats",
            "classify",
            str(titles),
            "-o",
            str(tmp_path / "out.csv"),
            "--scheduler",
            scheduler,
        ],
        capture_output=True,
        text=True,
        timeout=SAFETY_NET,
        env=env,
    )
    return done, time.monotonic() - start


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "Internal error" not in stderr
    return lines[0]


@pytest.mark.slow  # starts a process and waits out the 20 s deadline
def test_a_listener_that_never_speaks_is_exit_3_after_the_deadline(tmp_path):
    with server(silent) as address:
        done, took = classify(tmp_path, address)
    line = one_line(done.stderr)
    assert done.returncode == ExitCode.SOURCE_UNAVAILABLE, done.stderr
    assert line.startswith(f"Error: cannot reach the Dask scheduler at {address} (nothing within 20 s")
    assert "tcp://" in line and "--scheduler local" in line
    assert took < 60  # the deadline is 20 s; the rest is the child's start-up on a busy machine
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.slow  # starts a process
@pytest.mark.parametrize(
    "greet, why",
    [
        (ssh, "it answers, but not as a Dask scheduler: its first message would be"),
        (framed_nonsense, "it answers, but not as a Dask scheduler: its first message is not a Dask handshake"),
    ],
)
def test_a_server_that_speaks_something_else_is_exit_3_at_once(tmp_path, greet, why):
    with server(greet) as address:
        done, _ = classify(tmp_path, address)
    line = one_line(done.stderr)
    assert done.returncode == ExitCode.SOURCE_UNAVAILABLE, done.stderr
    assert line.startswith(f"Error: cannot reach the Dask scheduler at {address} ({why}")
    assert "--scheduler local" in line and not (tmp_path / "out.csv").exists()


@pytest.mark.slow  # starts a process
def test_a_server_that_closes_at_once_is_exit_3(tmp_path):
    with server(lambda connection: connection.close()) as address:
        done, _ = classify(tmp_path, address)
    line = one_line(done.stderr)
    assert done.returncode == ExitCode.SOURCE_UNAVAILABLE, done.stderr
    assert f"at {address} (it closed the connection without a word" in line


@pytest.mark.parametrize(
    "address, why, code",
    [
        ("tls://127.0.0.1:1", "is not a tcp:// address: authorstats does not connect to tls:// schedulers", 3),
        ("ucx://127.0.0.1:1", "is not a tcp:// address: authorstats does not connect to ucx:// schedulers", 3),
        ("inproc://10.0.0.5/1/1", "is not a tcp:// address: authorstats does not connect to inproc:// schedulers", 3),
        ("tcp://10.0.0.5", "names no port", 2),
        ("tcp://:8786", "names no host", 2),
    ],
)
def test_an_address_classify_cannot_use_is_refused_at_once(tmp_path, address, why, code):
    titles = tmp_path / "titles.csv"
    titles.write_text("title\nSelf-supervised learning of visual features\n", encoding="utf-8")

    result = CliRunner().invoke(app, ["classify", str(titles), "-o", str(tmp_path / "out.csv"), "--scheduler", address])

    assert result.exit_code == code, result.output  # a scheduler it cannot speak with: 3; a malformed address: 2
    line = one_line(result.stderr)
    assert line.startswith(f"Error: --scheduler '{address}' {why}") and "tcp://10.0.0.5:8786" in line
    assert not (tmp_path / "out.csv").exists()
