"""Process-wide settings of a run: how many CPUs it may use, SIGTERM handled as Ctrl-C (in the main process, not in
workers), and workers that end when their parent dies."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from types import FrameType
from typing import Any, NoReturn


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where the system has one)."""
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _raise_interrupt(
    signum: int, frame: FrameType | None
) -> NoReturn:  # pragma: no cover - exercised through a subprocess test
    raise KeyboardInterrupt


def trap_sigterm() -> Any:
    """Make SIGTERM end the run as Ctrl-C does (KeyboardInterrupt); returns the handler to restore, or None
    when called outside the main thread (where no handler can be set)."""
    try:
        return signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread
        return None


def restore_sigterm(previous: Any) -> None:
    """Put back the SIGTERM handler trap_sigterm replaced."""
    if previous is not None:
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGTERM, previous)


def leave_signals_to_parent() -> None:
    """In a worker process: ignore Ctrl-C and let SIGTERM end it at once; the main process handles both
    and stops its workers (one message, no second traceback)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def start_worker(parent: int) -> None:
    """In a worker process: leave the signals to the parent, and end this worker when ``parent`` dies,
    however it dies (``kill -9``, an out-of-memory kill, SIGHUP), so no worker outlives its run."""
    leave_signals_to_parent()
    if not _death_signal(signal.SIGTERM):
        threading.Thread(target=_watch, args=(parent,), name="authorstats-parent-watch", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request above took effect
        os.kill(os.getpid(), signal.SIGTERM)


def _death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent ends (prctl PR_SET_PDEATHSIG); False elsewhere."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(1, signum, 0, 0, 0)) == 0  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return False


def _watch(parent: int, every: float = 0.5) -> None:  # pragma: no cover - where prctl is missing
    """Where the system cannot signal a parent's death: notice it (this process is handed to another parent)."""
    while os.getppid() == parent:
        time.sleep(every)
    os.kill(os.getpid(), signal.SIGTERM)
