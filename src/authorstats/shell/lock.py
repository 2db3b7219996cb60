"""The workspace lock: one writing command at a time in a workspace, held by the operating system."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from authorstats.errors import OutputError, WorkspaceBusyError
from authorstats.shell.leftovers import remove_leftovers
from authorstats.shell.workspace import Workspace, _describe, contained, require_workspace

log = logging.getLogger(__name__)


def lock_file(workspace: Workspace) -> Path:
    """The empty file the operating-system lock is taken on; it exists only while a run holds the lock."""
    return workspace.root / "data" / ".oslock"


def holder_file(workspace: Workspace) -> Path:
    """Who holds the lock ("PID command started-at"): written by the holder, removed when it lets go.

    It is read only while the lock is held, so one left by a killed run, or by an older authorstats
    whose lock was this file ("PID command"), blocks nothing: the next run overwrites it.
    """
    return workspace.root / "data" / ".lock"


@contextlib.contextmanager
def workspace_lock(workspace: Workspace, command: str) -> Iterator[Path]:
    """Hold the workspace lock while ``command`` writes; raise WorkspaceBusyError at once if another run holds it.

    It is an operating-system file lock (``flock`` on Unix, ``LockFileEx`` on Windows) taken with
    filelock: the system frees it when the holding process ends, however it ends (``kill -9`` too),
    and filelock closes it in forked workers, so no lock is ever stale and two runs never hold it.

    Both files must be the workspace's own (:func:`store.contained`: no symbolic link on the way). Once the
    lock is held, what runs that ended left in the workspace (temporary files, scratch folders) is removed.
    """
    require_workspace(workspace)
    path = contained(workspace, lock_file(workspace))
    contained(workspace, holder_file(workspace))
    if path.parent.exists() and not path.parent.is_dir():
        raise OutputError(
            f"{path.parent} is a file, not a folder",
            "Move it away: authorstats keeps the workspace's data in that folder",
        )
    for name in (path, holder_file(workspace)):
        if name.is_dir():
            raise OutputError(
                f"cannot write {name}: it is a folder, not a file",
                "Move it away: authorstats keeps its workspace lock in that file",
            )
    lock = FileLock(path, blocking=False)
    try:
        path.parent.mkdir(exist_ok=True)
        lock.acquire()
    except Timeout:
        raise _busy(workspace) from None
    except OSError as exc:
        raise OutputError(f"cannot create {path}: {_describe(exc)}", "Use a writable --workspace") from exc
    info = holder_file(workspace)
    try:
        started = datetime.datetime.now().astimezone().isoformat(timespec="seconds")
        try:
            info.write_text(f"{os.getpid()} {command} {started}\n", encoding="utf-8")
        except OSError as exc:
            raise OutputError(
                f"cannot write {info}: {_describe(exc)}", "Free some space, or use a writable --workspace"
            ) from exc
        for left in remove_leftovers(workspace):
            log.info("removed %s, left by an earlier run", left)
        yield info
    finally:
        with contextlib.suppress(OSError):
            info.unlink()
        # Removed while still held: a run that opened the file a moment ago then locks a file without a
        # name, which filelock does not count as taking the lock, so it never holds it beside the next run.
        with contextlib.suppress(OSError):
            path.unlink()
        lock.release()


def _busy(workspace: Workspace) -> WorkspaceBusyError:
    """The refusal, naming the run that holds the lock once it has said who it is."""
    path = holder_file(workspace)
    try:
        pid, command, started = _parse_holder(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return WorkspaceBusyError(
            f"another authorstats run is using {workspace.root}",
            "Wait for it to finish: the system frees the lock when that run ends, "
            f"so there is nothing to delete ({path} names the run)",
        )
    return WorkspaceBusyError(
        f"another authorstats run ({pid} {command}, started {started}) is using {workspace.root}",
        f"Wait for it to finish: the system frees the lock when process {pid} ends (`ps -p {pid}` shows whether "
        f"it still runs), so there is no need to delete {path}",
    )


def _parse_holder(text: str) -> tuple[int, str, str]:
    """(PID, command, started-at) from a holder file; ValueError when it is not one (being written, or damaged)."""
    pid, _, rest = text.strip().partition(" ")
    command, _, started = rest.rpartition(" ")
    if not pid.isdigit() or not command or not started:
        raise ValueError(text)
    return int(pid), command, started
