"""`authorstats import`: read a publications CSV and add its good rows to data/raw/<source>/<author>.jsonl.

The parsing (columns, aliases, validation, bad rows) is ``sources/csv_import.py``; this module reads
the file and writes. Re-importing a file replaces the records that file gave before and keeps
everything else.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from authorstats.models import Author, Publication, utc_now
from authorstats.shell import store
from authorstats.sources.csv_import import BadRow, check_source_name, parse_csv

DEFAULT_SOURCE = "import"


@dataclass
class ImportResult:
    source: str
    added: dict[str, int] = field(default_factory=dict)  # author key -> records from this file
    kept: dict[str, int] = field(default_factory=dict)  # author key -> earlier records kept in the same file
    replaced: int = 0  # records of an earlier import of this same file, replaced
    files: list[Path] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)


def read_csv(path: Path, authors: Sequence[Author], source: str) -> tuple[list[Publication], list[BadRow]]:
    """Good records and bad rows (with their line numbers) of the publications CSV at ``path``."""
    path = Path(path)
    text = store.read_input_text(path, "CSV file", encoding="utf-8-sig", fix_encoding="Export or save the CSV as UTF-8")
    return parse_csv(text, authors, source, where=str(path), origin=path.name, fetched_at=utc_now(),
                     this_year=dt.date.today().year)


def import_csv(path: Path, workspace: store.Workspace, authors: Sequence[Author],
               source: str = DEFAULT_SOURCE) -> ImportResult:
    """Add a CSV's good rows to ``data/raw/<source>/<author>.jsonl``, keeping records already there."""
    source = check_source_name(source)
    records, bad = read_csv(path, authors, source)
    result = ImportResult(source=source, bad_rows=bad)
    if not records:
        return result
    origin = Path(path).name
    by_author: dict[str, list[Publication]] = defaultdict(list)
    for record in records:
        by_author[record.author].append(record)
    for key, new in by_author.items():
        target = workspace.raw_file(source, key)
        earlier = list(store.read_jsonl(target)) if target.exists() else []
        others = [r for r in earlier if r.extra.get("imported_from") != origin]
        result.replaced += len(earlier) - len(others)
        store.write_jsonl(target, others + new)
        result.added[key] = len(new)
        result.kept[key] = len(others)
        result.files.append(target)
    return result
