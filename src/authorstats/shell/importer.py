"""`authorstats import`: read an exported list (authorstats CSV, Publish or Perish, Zotero, BibTeX, RIS) and
add its good rows to data/raw/<source>/<author>.jsonl.

The parsing (format detection, columns, validation, whose each row is, bad rows) is
``sources/import_formats.py`` and the modules it names; this module reads the file and writes. Re-importing a file
replaces the records that file gave before and keeps
everything else. A file is known by its full path, or by the name given with ``--name``: two exports
both called "Exported Items.csv" in different folders are two lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authorstats.errors import BadInputError
from authorstats.models import Author, Publication, utc_now
from authorstats.shell import store
from authorstats.sources.csv_import import check_source_name
from authorstats.sources.import_formats import UTF8, Parsed, check_format, decode_export, parse_export
from authorstats.sources.import_rows import BadRow

DEFAULT_SOURCE = "import"
# Kept in each record's ``extra``: the file's base name (for people), and what identifies the list.
FROM, PATH, NAME = "imported_from", "import_path", "import_name"


@dataclass
class ImportResult:
    source: str
    added: dict[str, int] = field(default_factory=dict)  # author key -> records from this file
    kept: dict[str, int] = field(default_factory=dict)  # author key -> earlier records kept in the same file
    replaced: int = 0  # records of an earlier import of this same file, replaced
    files: list[Path] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    warnings: list[BadRow] = field(default_factory=list)  # rows imported with something to check
    format: str = ""
    encoding: str = UTF8  # what the file was read as: another encoding than UTF-8 is worth a warning


def read_export(
    path: Path, authors: Sequence[Author], source: str, fmt: str | None = None, author: Author | None = None
) -> Parsed:
    """Records, bad rows and warnings (with their line numbers) of the exported list at ``path``."""
    path = Path(path)
    fmt = check_format(fmt)
    text, encoding = decode_export(_read_bytes(path), where=f"file to import {path}")
    parsed = parse_export(
        text,
        authors,
        source,
        file_name=path.name,
        where=str(path),
        fetched_at=utc_now(),
        this_year=dt.date.today().year,
        fmt=fmt,
        author=author,
        extra={FROM: path.name},
    )
    parsed.encoding = encoding
    return parsed


def _read_bytes(path: Path) -> bytes:
    """The bytes of the file to import; every way reading it can fail is one BadInputError."""
    what = "file to import"
    if path.is_dir():
        raise BadInputError(f"{what} {path} is a folder, not a file", f"Point to the {what} itself")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInputError(f"{what} {path} does not exist", "Check the path") from None
    except OSError as exc:
        raise BadInputError(
            f"cannot read {what} {path}: {exc.strerror or exc}", "Check the path and permissions"
        ) from None


def read_export_file(
    path: str | Path,
    *,
    roster: Sequence[Author],
    author: str | None = None,
    format: str | None = None,
    source: str = DEFAULT_SOURCE,
) -> Parsed:
    """The library's ``authorstats.read_export``: the records of an exported list (Publish or Perish, Zotero,
    BibTeX, RIS, authorstats CSV) as Publication objects with the rows skipped and warned about; writes nothing.
    ``author`` is a roster key (whose list it is); ``format`` overrides detection."""
    from authorstats.config.roster import select

    owner = select(roster, [author])[0] if author is not None else None
    return read_export(Path(path), roster, check_source_name(source), format, owner)


def _identity(path: Path, name: str | None) -> dict[str, str]:
    """What marks the records of this import: the ``--name`` if given, else the file's resolved path."""
    if name is not None:
        name = " ".join(name.split())
        if not name:
            raise BadInputError("--name is empty", "Name the list, e.g. --name 'zotero library', or leave --name out")
        return {NAME: name}
    return {PATH: str(path.resolve())}


def _same_list(extra: Mapping[str, Any], identity: Mapping[str, str]) -> bool:
    return (NAME in identity and extra.get(NAME) == identity[NAME]) or (
        PATH in identity and NAME not in extra and extra.get(PATH) == identity[PATH]
    )


def _gave_before(
    earlier: Sequence[Publication], new: Sequence[Publication], identity: Mapping[str, str], base_name: str
) -> set[int]:
    """Positions in ``earlier`` of the records this list gave before. Records written before imports kept
    their path only have a base name, which two files can share: those count only when the new import
    has the very same record, so replacing them cannot lose anything."""
    unchanged = {dataclasses.replace(r, fetched_at="") for r in new}
    return {
        i
        for i, r in enumerate(earlier)
        if _same_list(r.extra, identity)
        or (
            PATH not in r.extra
            and NAME not in r.extra
            and r.extra.get(FROM) == base_name
            and dataclasses.replace(r, fetched_at="") in unchanged
        )
    }


def import_file(
    path: Path,
    workspace: store.Workspace,
    authors: Sequence[Author],
    source: str = DEFAULT_SOURCE,
    name: str | None = None,
    *,
    fmt: str | None = None,
    author: Author | None = None,
) -> ImportResult:
    """Add an exported list's good rows to ``data/raw/<source>/<author>.jsonl``, keeping records already there.

    ``fmt`` names the file's format (detected when None); ``author`` is whose list it is (when None, each
    row goes to the roster authors it names). The records an earlier import of the same list gave (same
    ``name``, or when None the same file) are replaced; records of any other file are kept, whatever its name.
    """
    source = check_source_name(source)
    path = Path(path)
    identity = _identity(path, name)
    parsed = read_export(path, authors, source, fmt, author)
    records = parsed.records
    result = ImportResult(
        source=source, bad_rows=parsed.bad, warnings=parsed.warnings, format=parsed.format, encoding=parsed.encoding
    )
    if not records:
        return result
    by_author: dict[str, list[Publication]] = defaultdict(list)
    for record in records:
        by_author[record.author].append(dataclasses.replace(record, extra={**record.extra, **identity}))
    for key, new in by_author.items():
        target = workspace.raw_file(source, key)
        earlier = list(store.read_jsonl(target)) if target.exists() else []
        replaced = _gave_before(earlier, new, identity, path.name)
        others = [r for i, r in enumerate(earlier) if i not in replaced]
        result.replaced += len(earlier) - len(others)
        store.write_jsonl(target, others + new, workspace=workspace)
        result.added[key] = len(new)
        result.kept[key] = len(others)
        result.files.append(target)
    return result
