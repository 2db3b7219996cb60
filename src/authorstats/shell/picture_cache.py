"""Reuse the pictures of the last report that would be drawn the same again.

Each picture job has a fingerprint (render.fingerprint): a SHA-256 of exactly what it draws, with the versions
of the libraries that draw and encode it and a digest of authorstats' drawing code. The manifest of the last
report (shell/manifest.py) keeps each picture file's fingerprint beside the SHA-256 of the bytes it wrote; a
picture whose fingerprint is unchanged and whose file still holds exactly those bytes is read back instead of
drawn. Anything else (a new fingerprint, a missing, changed or unreadable file) is drawn.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.errors import OutputError
from authorstats.render.jobs import PictureJob
from authorstats.shell import store

if TYPE_CHECKING:
    from authorstats.shell.painter import Painter

# The packages whose code draws or encodes a picture; a new version of any of them redraws every picture.
DRAWING_PACKAGES = ("authorstats", "matplotlib", "wordcloud", "pillow", "numpy")


def drawing_context() -> str:
    """What every picture also depends on besides its job: library versions, authorstats' drawing code (its
    render/ sources, so an edited chart is redrawn even before a version bump) and matplotlib's settings (a
    user's matplotlibrc, or a library caller's changes)."""
    return f"{_code_context()}\nmatplotlib settings {matplotlib_settings()}"


@functools.cache
def _code_context() -> str:
    from importlib import metadata

    import authorstats.render

    parts = []
    for name in DRAWING_PACKAGES:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} missing")
    code = hashlib.sha256()
    for source in sorted(Path(authorstats.render.__file__).parent.glob("*.py")):
        code.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    parts.append(f"render code {code.hexdigest()}")
    return "\n".join(parts)


# Settings no picture depends on (the backend: charts draw on an Agg canvas of their own) or that the drawing code
# sets itself (render.charts.matplotlib_ready, part of the render code's digest).
_NOT_SETTINGS = frozenset({"backend", "backend_fallback", "text.parse_math", "svg.fonttype"})


def matplotlib_settings(environ: Mapping[str, str] | None = None) -> str:
    """A digest of the settings matplotlib draws with beyond its own defaults (which its version fixes): the
    matplotlibrc files it reads at import (matplotlib.matplotlib_fname's places; every one found counts, a
    superset of the one it reads), and, when matplotlib is imported already, each setting changed since in this
    process. Read without importing matplotlib, so that a report reusing every picture never imports it."""
    import os
    import sys

    environ = os.environ if environ is None else environ
    home = Path(environ.get("HOME") or Path.home())
    places = [Path("matplotlibrc")]
    if environ.get("MATPLOTLIBRC"):
        places += [Path(environ["MATPLOTLIBRC"]), Path(environ["MATPLOTLIBRC"], "matplotlibrc")]
    if environ.get("MPLCONFIGDIR"):
        places.append(Path(environ["MPLCONFIGDIR"], "matplotlibrc"))
    places.append(Path(environ.get("XDG_CONFIG_HOME") or home / ".config", "matplotlib", "matplotlibrc"))
    places.append(home / ".matplotlib" / "matplotlibrc")
    if environ.get("LOCALAPPDATA"):
        places.append(Path(environ["LOCALAPPDATA"], "matplotlib", "matplotlibrc"))
    sha = hashlib.sha256()
    for place in places:
        with contextlib.suppress(OSError):
            if place.is_file():
                sha.update(str(place.resolve()).encode() + b"\0" + place.read_bytes() + b"\0")
    matplotlib = sys.modules.get("matplotlib")
    if matplotlib is not None and hasattr(matplotlib, "rc_params"):
        from_files = matplotlib.rc_params()
        live = matplotlib.rcParams  # read key by key: reading "backend" may make matplotlib pick one (importing pyplot)
        changed = sorted(
            (key, repr(live[key]))
            for key in list(live.keys())
            if key not in _NOT_SETTINGS and repr(live[key]) != repr(from_files.get(key))
        )
        if changed:  # none: the same digest as before matplotlib was imported
            sha.update(repr(changed).encode())
    return sha.hexdigest()


@dataclass(frozen=True)
class Plan:
    """Each job's fingerprint (None: it holds something that cannot be fingerprinted, and is always drawn) and
    whether the last report's file of it can be reused."""

    keys: list[str | None]
    reusable: list[bool]

    @property
    def to_draw(self) -> int:
        return self.reusable.count(False)


def plan(
    jobs: Sequence[PictureJob],
    files: Mapping[str, str],
    keys: Mapping[str, str],
    *,
    redraw: bool = False,
) -> Plan:
    """Which of ``jobs`` the last report drew the same: ``files`` and ``keys`` are its manifest's (workspace-
    relative name -> SHA-256 of the file, -> fingerprint). ``redraw``: reuse nothing."""
    from authorstats.render.fingerprint import Unhashable, job_key

    context = drawing_context()
    fingerprints: list[str | None] = []
    reusable = []
    for picture in jobs:
        try:
            key: str | None = job_key(picture.job, context)
        except Unhashable:
            key = None
        name = relative_name(picture)
        fingerprints.append(key)
        reusable.append(not redraw and key is not None and keys.get(name) == key and name in files)
    return Plan(fingerprints, reusable)


def relative_name(picture: PictureJob) -> str:
    """The picture's file as the manifest names it."""
    return f"reports/{picture.name}"


def read_reused(workspace: store.Workspace, picture: PictureJob, digest: str) -> bytes | None:
    """The last report's bytes of ``picture`` when its file still holds exactly what it wrote (SHA-256
    ``digest``); None when it is missing, changed, a link or unreadable: then it is drawn."""
    path = workspace.reports / picture.name
    try:
        store.contained(workspace, path)
        if path.is_symlink() or not path.is_file():
            return None
        data = path.read_bytes()
    except (OSError, OutputError):
        return None
    return data if hashlib.sha256(data).hexdigest() == digest else None


@dataclass(frozen=True)
class Painting:
    """Where a report's pictures come from: the caller's painter, or one started in ``stack`` with as many
    workers as the pictures left to draw need; and the last report's manifest, to reuse what is unchanged."""

    stack: contextlib.ExitStack
    painter: Painter | None
    files: Mapping[str, str]  # the last report's manifest: file -> SHA-256, picture file -> fingerprint
    keys: Mapping[str, str]

    def start(
        self, workspace: store.Workspace, jobs: Sequence[PictureJob], *, workers: int | None, redraw: bool
    ) -> Drawing:
        """Plan which of ``jobs`` to reuse and hand the others to the painter, which starts drawing them."""
        from authorstats.shell.painter import MIN_PARALLEL_JOBS
        from authorstats.shell.painter import Painter as Workers

        planned = plan(jobs, self.files, self.keys, redraw=redraw)
        painter = self.painter
        if painter is None:
            drawn = [p for p, reuse in zip(jobs, planned.reusable) if not reuse]
            clouds = any(p.part == "cloud" for p in drawn)  # wordcloud is loaded only when a cloud is drawn
            painter = self.stack.enter_context(Workers(workers if len(drawn) >= MIN_PARALLEL_JOBS else 1, clouds))
        return Drawing(workspace, jobs, painter, files=self.files, plan=planned)


class Drawing:
    """A report's pictures being drawn: the jobs to draw are with the painter from the start (its workers draw
    them while this process writes the tables); :meth:`results` gives every job's bytes in order, the reused
    ones read back from the last report's files."""

    def __init__(
        self,
        workspace: store.Workspace,
        jobs: Sequence[PictureJob],
        painter: Painter,
        *,
        files: Mapping[str, str],
        plan: Plan,
    ) -> None:
        self.workspace = workspace
        self.jobs = list(jobs)
        self.files = files
        self.plan = plan
        self.reused: list[str] = []  # file names of the pictures read back from the last report
        self.drawn: list[str] = []  # and of those drawn
        self._painted = painter.draw([p.job for p, reuse in zip(self.jobs, self.plan.reusable) if not reuse])

    def results(self) -> Iterator[tuple[PictureJob, bytes, bool]]:
        """Each job with its bytes and whether they are the last report's, read back from its file (which then
        needs no writing); in order. A job whose file turned out changed or missing is drawn here."""
        from authorstats.render import pictures

        for picture, reuse in zip(self.jobs, self.plan.reusable):
            data = read_reused(self.workspace, picture, self.files[relative_name(picture)]) if reuse else None
            if data is not None:
                self.reused.append(picture.name)
                yield picture, data, True
                continue
            data = pictures.draw(picture.job) if reuse else next(self._painted)
            self.drawn.append(picture.name)
            yield picture, data, False

    def keys(self) -> dict[str, str]:
        """The fingerprint of each picture, by workspace-relative name, for the manifest."""
        return {relative_name(p): key for p, key in zip(self.jobs, self.plan.keys) if key is not None}
