"""The workspace: its folders and files, and the one check that a path authorstats writes, renames, locks or deletes
is the workspace's own (no symbolic link on the way out of it)."""

from __future__ import annotations

import errno
import os
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

from authorstats.errors import OutputError


@dataclass(frozen=True)
class Workspace:
    """A folder holding ``data/raw``, ``data/processed`` and ``reports``."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def labels(self) -> Path:
        """Manual topic corrections, applied on every report."""
        return self.root / "data" / "labels.csv"

    @property
    def roster(self) -> Path:
        """The user's own roster, copied from the bundled one by `authors resolve` when it writes an id."""
        return self.root / "authors.toml"

    def raw_file(self, source: str, author: str) -> Path:
        return self.raw / source / f"{author}.jsonl"

    def manifest_file(self, source: str) -> Path:
        """What `fetch` got from ``source`` per author: window, time, requests, records."""
        return self.raw / source / "manifest.json"

    def partial_file(self, source: str, author: str) -> Path:
        """Records an unfinished fetch got so far, kept apart from ``raw_file`` until it completes."""
        return self.raw / source / ".partial" / f"{author}.jsonl"

    def partial_state(self, source: str, author: str) -> Path:
        """Where an unfinished fetch resumes (window, cursor, profile) beside its ``partial_file``."""
        return self.raw / source / ".partial" / f"{author}.json"

    def raw_sources(self) -> list[str]:
        """Sources with at least one raw file, in name order."""
        if not self.raw.is_dir():
            return []
        return sorted(p.name for p in self.raw.iterdir() if p.is_dir() and any(p.glob("*.jsonl")))


def require_workspace(workspace: Workspace) -> Workspace:
    """Refuse a ``--workspace`` that is not an existing folder (a typo must not scatter new folders)."""
    root = Path(workspace.root)
    if not root.is_dir():
        problem = "is a file, not a folder" if root.exists() else "does not exist"
        raise OutputError(
            f"workspace {root} {problem}", f"Create the folder first (mkdir {root}) or pass an existing --workspace"
        )
    return workspace


def contained(workspace: Workspace, path: Path) -> Path:
    """``path``, one of the workspace's own files or folders that authorstats is about to write, rename over, lock
    or delete; refused (exit 5) when it lies outside the workspace or passes through a symbolic link in it.

    This is the one check for every such path (reports, the database and its scratch folder, data/raw and
    data/processed, the lock, the report manifest's removals, leftovers). A workspace shared through git or an
    archive keeps its links, so ``reports -> /elsewhere`` or ``data/.lock -> ~/.bashrc`` would otherwise send a
    write or a deletion out of it. Every part below the workspace folder that exists is looked at, not followed
    (the ``--workspace`` folder itself may be a link: the user named it). What does not exist yet is made as a
    real folder or file. Paths the user names (``-o FILE``, ``--roster FILE``) are the user's choice and are not
    checked here.
    """
    root = os.path.abspath(workspace.root)
    full = os.path.abspath(path)
    relative = os.path.relpath(full, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep) or os.path.isabs(relative):
        raise OutputError(
            f"{path} is outside the workspace {workspace.root}",
            "authorstats writes only inside its workspace; this is a bug, please report it",
        )
    current, shown = root, Path(workspace.root)
    for part in Path(relative).parts if relative != os.curdir else ():
        current, shown = os.path.join(current, part), shown / part
        try:
            mode = os.lstat(current).st_mode
        except (FileNotFoundError, NotADirectoryError):
            break  # made below as a real folder or file
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {_describe(exc)}", "Fix the folder's permissions") from exc
        if stat.S_ISLNK(mode):
            raise _through_link(shown, Path(path))
    return Path(path)


def _through_link(link: Path, path: Path) -> OutputError:
    """The refusal of a workspace path that passes through the symbolic link ``link``."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    folder = link != path
    what = f"{path} is under {link}, a symbolic link" if folder else f"{link} is a symbolic link"
    return OutputError(
        f"{what} (to {target}); authorstats never writes, replaces or deletes through a link in its workspace",
        f"Remove the link (rm {shlex.quote(str(link))}; what it points to is kept) and run the command again"
        + ("; to keep the data on another disk, link the whole --workspace folder instead" if folder else ""),
    )


def _describe(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    return exc.strerror or str(exc)
