"""The file writes of the shell: atomic writes (alone or all or nothing), JSON Lines, reading the files users name.
The workspace's layout and the check that a path is its own are shell/workspace.py's, named here too."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from authorstats.errors import BadInputError, OutputError
from authorstats.models import Publication
from authorstats.shell.workspace import (  # the workspace's layout and paths, where the shell's modules find them
    Workspace as Workspace,
)
from authorstats.shell.workspace import _describe
from authorstats.shell.workspace import contained as contained
from authorstats.shell.workspace import require_workspace as require_workspace

log = logging.getLogger(__name__)


def read_input_text(path: Path, what: str, *, encoding: str = "utf-8", fix_encoding: str = "Save it as UTF-8") -> str:
    """The text of a file the user named; every way reading it can fail is one BadInputError."""
    path = Path(path)
    if path.is_dir():
        raise BadInputError(f"{what} {path} is a folder, not a file", f"Point to the {what} itself")
    try:
        return path.read_bytes().decode(encoding)
    except FileNotFoundError:
        raise BadInputError(f"{what} {path} does not exist", "Check the path") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{what} {path} is not UTF-8 text", fix_encoding) from None
    except OSError as exc:
        raise BadInputError(
            f"cannot read {what} {path}: {exc.strerror or exc}", "Check the path and permissions"
        ) from None


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0o666 less the umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@dataclass
class _Batch:
    """What all_or_nothing() holds back: (temporary file, target) pairs waiting for their rename, and the workspace
    whose own files every write in the block must be (None: no such rule)."""

    pending: list[tuple[str, Path]]
    workspace: Workspace | None


_staged: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar("authorstats_staged", default=None)


@contextlib.contextmanager
def all_or_nothing(workspace: Workspace | None = None) -> Iterator[None]:
    """Hold back every atomic write made inside the block until the block completes, then replace them all or none.

    Each file is written to its temporary name as usual; only when the block ends without an error
    (or Ctrl-C) are they all renamed into place. Otherwise the temporary files are deleted and every
    earlier file stays as it was, so an interrupted report leaves the previous report whole. A rename
    that fails part-way puts back every file already replaced (from a backup taken before the first
    rename) and removes every file that had no earlier version.

    With ``workspace``, every file written in the block is that workspace's own: each is checked by
    :func:`contained` before anything is written to it.
    """
    pending: list[tuple[str, Path]] = []
    token = _staged.set(_Batch(pending, workspace))
    try:
        yield
        _replace_all(pending)
        pending.clear()
    finally:
        _staged.reset(token)
        for tmp_name, _ in pending:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _replace_all(pending: list[tuple[str, Path]]) -> None:
    """Rename every staged file into place, or, if one rename fails, leave every target as it was."""
    backups: list[str | None] = []
    done: list[tuple[Path, str | None]] = []
    kept: set[str] = set()
    try:
        for tmp_name, path in pending:
            backups.append(_backup(tmp_name, path))
        for (tmp_name, path), backup in zip(pending, backups):
            try:
                os.replace(tmp_name, path)
            except OSError as exc:
                lost = _roll_back(done)
                kept.update(backup for _, backup in lost if backup)
                if lost:
                    names = ", ".join(f"{p} (the previous one is {b})" if b else str(p) for p, b in lost)
                    raise OutputError(
                        f"cannot write {path}: {_describe(exc)}; and could not put back {names}",
                        "Move the saved copies back by hand, then free some space or fix the permissions",
                    ) from exc
                raise OutputError(
                    f"cannot write {path}: {_describe(exc)}",
                    f"Free some space or make it writable; none of the {len(pending)} files was replaced: "
                    "the previous report was left as it was",
                ) from exc
            done.append((path, backup))
    finally:
        for backup in backups:
            if backup and backup not in kept:
                with contextlib.suppress(OSError):
                    os.unlink(backup)


def _backup(tmp_name: str, path: Path) -> str | None:
    """A second name for the file ``path`` holds now (a hard link, or a copy where links are refused), beside
    it; None when there is no file to keep."""
    if not os.path.lexists(path):
        return None
    backup = tmp_name[: -len(".tmp")] + ".bak"
    try:
        try:
            os.link(path, backup, follow_symlinks=False)
        except OSError:  # no hard links here (or an immutable file): a copy does
            shutil.copy2(path, backup, follow_symlinks=False)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(backup)
        raise OutputError(
            f"cannot write {path}: {_describe(exc)}",
            "Free some space or choose a writable location; the previous file was left as it was",
        ) from exc
    return backup


def _roll_back(done: list[tuple[Path, str | None]]) -> list[tuple[Path, str | None]]:
    """Undo the renames in ``done``, last first; returns the ones that could not be undone."""
    lost = []
    for path, backup in reversed(done):
        try:
            if backup is None:
                os.unlink(path)
            else:
                os.replace(backup, path)
        except OSError:
            lost.append((path, backup))
    return lost


def atomic_write_bytes(path: Path, data: bytes, *, workspace: Workspace | None = None) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    Either the whole new file is there afterwards or the old one is untouched. Inside
    :func:`all_or_nothing` the rename waits for the end of the block. ``workspace``: the workspace
    whose own file ``path`` is; it is refused when it passes through a symbolic link (:func:`contained`).
    Without it (a file the user named) a symbolic link is written through: its target is replaced (the
    temporary file beside it) and the link stays.
    """
    return _atomic_write(path, lambda handle: handle.write(data), workspace=workspace, data=data)


def _atomic_write(
    path: Path,
    fill: Callable[[BinaryIO], object],
    *,
    workspace: Workspace | None = None,
    data: bytes | None = None,
) -> Path:
    """What atomic_write_bytes promises, for content that ``fill`` writes into the open temporary file. ``data``:
    that content when known, so a file already holding exactly it is left as it is (nothing to write, sync or
    rename: a re-run's unchanged tables)."""
    path = Path(path)
    batch = _staged.get()
    if workspace is None and batch is not None:
        workspace = batch.workspace
    if workspace is not None:
        contained(workspace, path)
    if path.is_dir():
        raise OutputError(f"cannot write {path}: it is a folder", f"Name a file, e.g. {path / 'out.csv'}")
    target = _link_target(path)
    kind = _special_kind(target)
    if kind:
        raise OutputError(f"cannot write {path}: it is a {kind}, not a file", "Name a regular file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            f"cannot create folder {target.parent}: {_describe(exc)}",
            "Choose a writable location or fix the folder's permissions",
        ) from exc
    if data is not None and _holds(target, data):
        return path
    tmp_name = None
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.{os.getpid()}.", suffix=".authorstats.tmp", dir=target.parent
        )
        os.chmod(tmp_name, _mode_for(target))
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if batch is None:
            os.replace(tmp_name, target)
        else:
            batch.pending.append((tmp_name, target))
        tmp_name = None
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {_describe(exc)}",
            "Free some space or choose a writable location; the previous file was left as it was",
        ) from exc
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return path


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data``."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _link_target(path: Path) -> Path:
    """Where writing ``path`` lands: the final target of a symbolic link (which need not exist yet), else ``path``."""
    if not path.is_symlink():
        return path
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        return Path(os.path.realpath(path))  # a dangling link: its target is created, as a shell's > would
    except OSError as exc:
        raise OutputError(
            f"cannot write {path}: {_describe(exc)}", "Point the link at a file, or name another output"
        ) from exc


def _special_kind(path: Path) -> str | None:
    """What ``path`` is when it is neither a regular file nor a folder nor missing (a FIFO, a device, a socket)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    return None


def _write_output(path: Path, fill: Callable[[BinaryIO], object]) -> Path:
    """Write a file the user named: ``-`` is standard output, a FIFO or a device (``/dev/stdout``) is
    written to as it is, anything else atomically (a symbolic link through to its target)."""
    path = Path(path)
    if str(path) == "-":
        sys.stdout.flush()
        fill(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return path
    if _special_kind(path) or _through_proc(path):
        try:
            with open(path, "wb") as handle:
                fill(handle)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {_describe(exc)}", "Name a file or a writable device") from exc
        return path
    _check_output_folder(_link_target(path))
    return _atomic_write(path, fill)


def _through_proc(path: Path) -> bool:
    """Whether ``path`` is, or links to, one of this process's open files (/dev/stdout -> /proc/self/fd/1): the
    open file is written to (a ``>`` redirection of the shell), never replaced."""
    return path.is_symlink() and os.path.realpath(path).startswith("/proc/")


def atomic_write_text(path: Path, text: str, *, workspace: Workspace | None = None) -> Path:
    data = text.encode("utf-8")
    return _atomic_write(path, lambda handle: handle.write(data), workspace=workspace, data=data)


def write_output_text(path: Path, text: str) -> Path:
    """Write a file at a path the user named (``--output``): its folder must already exist.

    Folders inside a workspace are made as needed, but a mistyped ``--output`` must not scatter new
    folders about; it is an error that names the missing folder.
    """
    return _write_output(path, lambda handle: handle.write(text.encode("utf-8")))


def write_output_bytes(path: Path, data: bytes) -> Path:
    """write_output_text for bytes (a deck, a PDF)."""
    return _write_output(path, lambda handle: handle.write(data))


def _check_output_folder(path: Path) -> None:
    parent = path.parent
    if not parent.is_dir():
        problem = "is a file, not a folder" if parent.exists() else "does not exist"
        raise OutputError(
            f"cannot write {path}: the folder {parent} {problem}",
            f"Create it first (mkdir -p {parent}) or choose another --output",
        )


def dumps_jsonl(records: Iterable[Publication]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for r in records)


def write_jsonl(path: Path, records: Iterable[Publication], *, workspace: Workspace | None = None) -> Path:
    """Replace ``path`` atomically with ``records`` as JSON Lines."""
    return atomic_write_text(path, dumps_jsonl(records), workspace=workspace)


def read_jsonl(path: Path) -> Iterator[Publication]:
    """Read Publication records; a corrupt line is skipped with a warning naming file and line."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield Publication.from_dict(json.loads(line))
            except (ValueError, TypeError, AttributeError, OverflowError, RecursionError) as exc:
                log.warning("skipped %s line %d: not a valid record (%s)", path, number, exc)


def remove_files(*paths: Path, workspace: Workspace | None = None) -> None:
    """Delete ``paths`` (missing ones are fine), then their parent folders if that left them empty; with
    ``workspace``, each is first checked to be the workspace's own (:func:`contained`)."""
    for path in paths:
        path = Path(path) if workspace is None else contained(workspace, path)
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"cannot remove {path}: {_describe(exc)}", "Fix the folder's permissions") from exc
    for parent in {Path(p).parent for p in paths}:
        with contextlib.suppress(OSError):
            parent.rmdir()  # only succeeds when empty


def write_json(path: Path, data: object, *, workspace: Workspace | None = None) -> Path:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return atomic_write_text(path, text, workspace=workspace)


def read_json(path: Path, default: object = None) -> object:
    """Read a JSON file; a missing or unreadable one gives ``default`` (with a warning if corrupt)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return default
    except (ValueError, OSError) as exc:
        log.warning("ignored %s: %s", path, exc)
        return default
