"""The workspace lock: one writing command at a time in a workspace."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Iterator

from authorstats.errors import OutputError, WorkspaceBusyError
from authorstats.shell.store import Workspace, _describe, require_workspace

log = logging.getLogger(__name__)


@contextlib.contextmanager
def workspace_lock(workspace: Workspace, command: str) -> Iterator[Path]:
    """Hold ``data/.lock`` for the duration of a writing command; refuse if another run holds it."""
    require_workspace(workspace)
    lock = workspace.root / "data" / ".lock"
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        owner = lock.read_text(encoding="utf-8", errors="replace").strip() if lock.exists() else ""
        pid = owner.split()[0] if owner else ""
        if pid.isdigit() and not _alive(int(pid)):
            log.warning("removed a stale lock left by process %s", pid)
            lock.unlink(missing_ok=True)
            with workspace_lock(workspace, command) as held:
                yield held
            return
        raise WorkspaceBusyError(
            f"another authorstats run ({owner or 'unknown'}) is using {workspace.root}",
            f"Wait for it to finish, or delete {lock} if no such run is alive",
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot create {lock}: {_describe(exc)}", "Use a writable --workspace") from exc
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(f"{os.getpid()} {command}\n")
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
