"""The list of files the last `report` wrote, so the next one removes those it no longer writes and nothing else."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from authorstats.shell import store

log = logging.getLogger(__name__)

NAME = "report_manifest.json"
# Only files under these folders of the workspace are ever listed, so a hand-edited manifest cannot
# send `report` deleting anything elsewhere; and none through a symbolic link (store.contained).
_FOLDERS = (("reports",), ("data", "processed"))


@dataclass
class Cleanup:
    """What a report did with the files an earlier report wrote and this one did not."""

    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # changed since they were written, or not removable


def manifest_path(workspace: store.Workspace) -> Path:
    return workspace.processed / NAME


def read(workspace: store.Workspace) -> dict[str, str]:
    """The files the last report wrote, as workspace-relative POSIX paths with the SHA-256 of what it wrote.

    A missing or unreadable manifest (a workspace from before manifests, or a damaged file) lists nothing:
    then no file is removed. The manifest itself, and each listed file that a symbolic link in the workspace
    would lead elsewhere (``reports/evil -> /elsewhere``), is refused (exit 5) before the report writes anything.
    """
    data = store.read_json(store.contained(workspace, manifest_path(workspace)), default={})
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    listed = {
        name: digest
        for name, digest in files.items()
        if isinstance(name, str) and isinstance(digest, str) and _allowed(name)
    }
    for name in listed:
        store.contained(workspace, workspace.root / name)
    return listed


def read_fingerprints(workspace: store.Workspace) -> dict[str, str]:
    """The fingerprint of each file the last report can reuse, by workspace-relative name: its pictures
    (shell/picture_cache.py) and its database (shell/database.py); nothing from a manifest without them or a
    damaged one."""
    data = store.read_json(store.contained(workspace, manifest_path(workspace)), default={})
    keys = data.get("fingerprints") if isinstance(data, dict) else None
    if not isinstance(keys, dict):
        return {}
    return {name: key for name, key in keys.items() if isinstance(name, str) and isinstance(key, str)}


def _allowed(name: str) -> bool:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or "\\" in name:
        return False
    return any(path.parts[: len(top)] == top and len(path.parts) > len(top) for top in _FOLDERS)


def _relative(workspace: store.Workspace, path: Path) -> str:
    return Path(path).relative_to(workspace.root).as_posix()


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file at ``path``; None when it is missing, a link or not a regular file."""
    try:
        if path.is_symlink() or not path.is_file():
            return None
        sha = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
        return sha.hexdigest()
    except OSError:
        return None


def replace(
    workspace: store.Workspace,
    previous: Mapping[str, str],
    written: Iterable[Path],
    fingerprints: Mapping[str, str] | None = None,
) -> Cleanup:
    """After a report's files are in place: remove each file ``previous`` lists that this run did not write and
    that still holds exactly what the earlier report wrote, then record ``written`` as the new manifest.

    A file someone changed or replaced since is kept (and named in ``Cleanup.kept``), as is any file that is
    not in a manifest. A file that cannot be removed stays listed, so a later report tries again. ``fingerprints``:
    the fingerprint of each picture and database written (workspace-relative name -> key), kept for the next
    report to reuse the files it would make the same.
    """
    now = {_relative(workspace, path): path for path in written}
    files = {name: file_digest(path) for name, path in now.items()}
    cleanup = Cleanup()
    for name, digest in sorted(previous.items()):
        if name in now:
            continue
        path = store.contained(workspace, workspace.root / name)
        if not os.path.lexists(path):
            continue
        if file_digest(path) != digest:
            cleanup.kept.append(path)
            continue
        try:
            path.unlink()
        except OSError as exc:
            log.warning("could not remove %s, which an earlier report wrote: %s", path, exc.strerror or exc)
            files[name] = digest
            cleanup.kept.append(path)
            continue
        cleanup.removed.append(path)
        _remove_empty_folders(workspace, path.parent)
    store.write_json(
        manifest_path(workspace),
        {
            "about": "Files `authorstats report` wrote; the next report removes those it does not write again.",
            "files": {name: digest for name, digest in sorted(files.items()) if digest},
            "fingerprints": {name: key for name, key in sorted((fingerprints or {}).items()) if files.get(name)},
        },
        workspace=workspace,
    )
    return cleanup


def _remove_empty_folders(workspace: store.Workspace, folder: Path) -> None:
    """Remove ``folder`` and its parents while they are empty, stopping at reports/ and data/processed/."""
    tops = {workspace.reports, workspace.processed}
    while folder not in tops and workspace.root in folder.parents:
        with contextlib.suppress(OSError):
            folder.rmdir()
            folder = folder.parent
            continue
        return
