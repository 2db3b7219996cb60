"""Process-wide settings of a run: how many CPUs it may use, and SIGTERM handled as Ctrl-C (in the main process, not in workers)."""

from __future__ import annotations

import contextlib
import os
import signal
from typing import Any


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask where the system has one)."""
    with contextlib.suppress(AttributeError, OSError):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _raise_interrupt(signum, frame):  # pragma: no cover - exercised through a subprocess test
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
