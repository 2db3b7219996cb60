"""What runs that ended mid-write left in a workspace (temporary files, backups, scratch folders), found by their
names and removed by the next run that holds the workspace lock."""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

from authorstats.shell.workspace import Workspace

log = logging.getLogger(__name__)

# Our temporary files (and the database's scratch folder): ".<name>.<pid>.<random>.authorstats.tmp", and the backup
# of a file being replaced ".<name>.<pid>.<random>.authorstats.bak", so the next run can tell a dead run's leftovers
# from anyone's files.
_LEFTOVER = re.compile(r"^\..+\.(\d+)\.[a-z0-9_]+\.authorstats\.(?:tmp|bak)$")
# The database's scratch folder as earlier versions named it: no process id, so only a run holding the workspace
# lock can tell it is a leftover (remove_leftovers).
_OLD_SCRATCH = re.compile(r"^\.authorstats-db\.[a-z0-9_]{8}$")


def remove_leftovers(workspace: Workspace) -> list[Path]:
    """Delete what runs that have ended left in the workspace (a ``kill -9``, an out-of-memory kill or a power cut
    between writing and renaming); returns what was removed. Called by the run that has just taken the workspace
    lock, so no other run is writing there.

    A leftover is a temporary file, backup or scratch folder named as ours (``.<name>.<pid>.<random>.authorstats.tmp``
    or ``.bak``) whose process no longer runs, so a write in progress is never touched, or a database scratch folder
    of an earlier version (``.authorstats-db.<random>``). They are looked for in the workspace folder, and in
    ``data/`` and ``reports/`` and every folder below them, but never through a symbolic link: a leftover that is a
    link is removed as a link, and what it points to is left as it is.
    """
    removed = []
    for top, below in ((workspace.root, False), (workspace.root / "data", True), (workspace.reports, True)):
        if os.path.islink(top):
            continue  # the workspace's own folders only (a write there is refused: contained())
        for folder, folders, files in os.walk(top):
            for name in [*folders, *files]:
                path = Path(folder) / name
                if _is_leftover(name) and _remove(path):
                    removed.append(path)
            folders[:] = [name for name in folders if not _is_leftover(name)]
            if not below:
                break
    return removed


def _is_leftover(name: str) -> bool:
    match = _LEFTOVER.match(name)
    if match is not None:
        return not _running(int(match.group(1)))
    return _OLD_SCRATCH.match(name) is not None


def _remove(path: Path) -> bool:
    """Delete a leftover: a folder with what it holds, anything else (a file, a link) as itself."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError as exc:
        log.warning("could not remove %s, left by an earlier run: %s", path, exc.strerror or exc)
        return False
    return True


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process, or one this system cannot name: leave its files alone
    return True
