"""`authorstats report` again with nothing changed: the last report is left as it is, not made again.

A report is a function of its inputs: the workspace's records and labels (everything under data/ but the
report's own data/processed/), the files its options name (roster, taxonomy, stop words, venue aliases,
reference, baseline) and the options themselves, authorstats' code and bundled data, the installed packages,
matplotlib's settings, the day and SOURCE_DATE_EPOCH. ``check`` takes a SHA-256 of all of them under the
workspace lock, before the report reads anything. After a report, the command files that key with what it printed
(``remember``: data/processed/report_run.json, beside the manifest). The next `report` with the same key, finding the
manifest it wrote and every file that manifest lists holding the bytes the report wrote, prints the same tables
again and writes nothing: the files are exactly those a new run would write, but for the time index.html says it
was written. Anything else (a new key, a changed or missing file, a manifest another run wrote) makes the report
again. Reading every input costs a few milliseconds for the bundled data, about a second for a million records.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.errors import WorkspaceBusyError
from authorstats.models import utc_now
from authorstats.shell import lock, manifest, store

if TYPE_CHECKING:
    from authorstats.shell.report import ReportRequest, SaveOptions

NAME = "report_run.json"
_FORMAT = "authorstats report run 1"  # a new layout of the key or the file: every report is made again once
_LOCKS = frozenset({".lock", ".oslock"})  # data/: the workspace lock's own files


@dataclass(frozen=True)
class Replay:
    """What the last report printed and where its files are, to say again when nothing has changed."""

    written_at: str  # when that report was made (UTC, ISO 8601)
    notes: list[str]  # on stderr: where the records came from
    body: list[str]  # on stdout: each author's table, the comparison
    files: int  # how many files it wrote
    index: Path | None  # reports/index.html (none: --tables-only)
    summary: Path | None  # reports/summary.md


def run_file(workspace: store.Workspace) -> Path:
    return workspace.processed / NAME


def check(
    workspace: store.Workspace, request: ReportRequest, save: SaveOptions, *, reuse: bool = True
) -> tuple[str | None, Replay | None]:
    """The key of everything the report of ``request`` and ``save`` in ``workspace`` depends on, and, with
    ``reuse``, the last report when it was made from the same and its files are as it wrote them; both read under
    the workspace lock. The key is None when an input cannot be read plainly (a symbolic link under data/, an
    unreadable file) or another run holds the workspace: then the report is made, and says what is wrong."""
    try:
        with lock.workspace_lock(workspace, "report"):
            store.contained(workspace, run_file(workspace))  # a link there: refused before the report writes a file
            key = _key(workspace, request, save)
            return key, (last_report(workspace, key) if key is not None and reuse else None)
    except (OSError, WorkspaceBusyError):
        return None, None


def _key(workspace: store.Workspace, request: ReportRequest, save: SaveOptions) -> str | None:
    from authorstats.shell.picture_cache import matplotlib_settings

    digest = hashlib.sha256()

    def add(*parts: object) -> None:
        for part in parts:
            digest.update(str(part).encode("utf-8", "surrogateescape") + b"\0")

    add(_FORMAT, Path(workspace.root).resolve(), today().isoformat())
    add("SOURCE_DATE_EPOCH", os.environ.get("SOURCE_DATE_EPOCH"))
    add(repr(_without_paths(request)), repr(_without_paths(dataclasses.replace(save, redraw=False))))  # same files
    named = [request.roster, request.taxonomy, request.stopwords, request.venues, request.baseline]
    if request.reference not in (None, "none"):
        named.append(Path(str(request.reference)))
    for path in named:
        add("named file", path, _file_digest(Path(path)) if path is not None else None)
    add("roster in the workspace", _file_digest(workspace.roster))
    for name, path in _inputs(workspace):
        if path.is_symlink():
            return None
        add(name, _file_digest(path))
    add("python", sys.version, "packages", *_packages(), "matplotlib settings", matplotlib_settings())
    for name, path in _tree(package_folder(), skip=frozenset({"__pycache__"})):
        add("authorstats", name, _file_digest(path))
    return digest.hexdigest()


def today() -> dt.date:
    """The day: a window's check (a year in the future) depends on it."""
    return dt.date.today()


def package_folder() -> Path:
    """authorstats' own code and bundled data."""
    import authorstats

    return Path(authorstats.__file__).parent


def _without_paths(options: ReportRequest | SaveOptions) -> dict[str, object]:
    """The options, with each path as the absolute path it names (a relative one depends on the folder)."""
    return {
        name: str(Path(value).resolve()) if isinstance(value, os.PathLike) else value
        for name, value in sorted(dataclasses.asdict(options).items())
    }


def _file_digest(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "a folder"


def _inputs(workspace: store.Workspace) -> Iterator[tuple[str, Path]]:
    """Every file under data/ (records, labels, fetch state) but the report's own data/processed/ and the lock's."""
    for name, path in _tree(workspace.root / "data", skip_at_top=frozenset({"processed"})):
        if name not in _LOCKS:
            yield name, path


def _tree(
    folder: Path, skip: frozenset[str] = frozenset(), skip_at_top: frozenset[str] = frozenset()
) -> Iterator[tuple[str, Path]]:
    """Each file below ``folder``, and each symbolic link to a folder (os.walk does not go down one), as (relative
    POSIX name, path) in name order; folders named in ``skip`` are passed over, those in ``skip_at_top`` only
    directly under ``folder``."""
    for root, folders, files in os.walk(folder):
        here = Path(root)
        passed = skip | skip_at_top if here == folder else skip
        folders[:] = sorted(f for f in folders if f not in passed)
        links = [f for f in folders if (here / f).is_symlink()]
        for name in sorted([*files, *links]):
            yield (here / name).relative_to(folder).as_posix(), here / name


def _packages() -> list[str]:
    """The installed distributions, by the names of their metadata folders (name and version)."""
    found: list[str] = []
    for entry in sys.path:
        try:
            found += [n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info"))]
        except OSError:
            continue
    return sorted(found)


def last_report(workspace: store.Workspace, key: str) -> Replay | None:
    """The last report, when it was made from inputs with this ``key`` and its files are as it wrote them (the
    caller holds the workspace lock)."""
    stored = store.read_json(run_file(workspace), default=None)
    if not isinstance(stored, dict) or stored.get("inputs") != key:
        return None
    try:
        if manifest.file_digest(manifest.manifest_path(workspace)) != stored.get("manifest"):
            return None  # another report (the library's run_report) wrote its files since
        files = manifest.read(workspace)
    except OSError:
        return None
    if not files or any(manifest.file_digest(workspace.root / n) != d for n, d in files.items()):
        return None
    notes, body = _lines(stored.get("notes")), _lines(stored.get("body"))
    if notes is None or not body:
        return None

    def listed(name: object) -> Path | None:
        return workspace.root / name if isinstance(name, str) and name in files else None

    return Replay(
        str(stored.get("written_at", "")),
        notes,
        body,
        len(files),
        listed("reports/index.html"),
        listed("reports/summary.md"),
    )


def _lines(value: object) -> list[str] | None:
    """``value`` when it is a list of lines as the file holds them, else None."""
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return [str(line) for line in value]
    return None


def remember(
    workspace: store.Workspace, key: str | None, written_manifest: str, notes: Sequence[str], body: Sequence[str]
) -> None:
    """File ``key`` with what the report printed, for the next one to say again if nothing changes; nothing when
    another run holds the workspace or wrote a manifest since this report's (``written_manifest``, its SHA-256)."""
    if key is None:
        return
    try:
        with lock.workspace_lock(workspace, "report"):
            if manifest.file_digest(manifest.manifest_path(workspace)) != written_manifest:
                return
            store.write_json(
                run_file(workspace),
                {
                    "about": "What the last `authorstats report` was made from (a digest) and printed: the next "
                    "report with the same inputs and files says it again and writes nothing.",
                    "inputs": key,
                    "manifest": written_manifest,
                    "written_at": utc_now(),
                    "notes": list(notes),
                    "body": list(body),
                },
                workspace=workspace,
            )
    except (OSError, WorkspaceBusyError):
        return  # the next report is made again: nothing lost
