"""Publications from a CSV file (e.g. exported from Publish or Perish or Zotero) into data/raw/<source>/.

Columns: ``author`` (roster key or display name), ``title``, ``year``; optional ``venue``, ``abstract``,
``doi``, ``citations``. A bad row is reported with its line number and skipped; good rows are kept.
Re-importing a file replaces the records that file gave before and keeps everything else.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from authorstats.shell import store
from authorstats.errors import BadInputError
from authorstats.text import fold
from authorstats.analysis.merge import normalise_doi
from authorstats.models import EARLIEST_YEAR, Author, Publication, utc_now

DEFAULT_SOURCE = "import"
REQUIRED = ("author", "title", "year")
OPTIONAL = ("venue", "abstract", "doi", "citations")
# Other names the same columns have in common exports (Zotero, Publish or Perish); compared lower-case.
ALIASES = {"publication year": "year", "publication title": "venue", "journal": "venue", "booktitle": "venue",
           "abstract note": "abstract", "cites": "citations", "cited by": "citations"}
# Folders `fetch` writes; importing into them would mix hand-made lists with fetched ones.
RESERVED = {"scholar", "openalex", "dblp", "snapshot"}
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# Real titles stay far below this; a longer "title" is usually a stray quote that swallowed many rows.
MAX_TITLE = 1000


@dataclass(frozen=True)
class BadRow:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass
class ImportResult:
    source: str
    added: dict[str, int] = field(default_factory=dict)  # author key -> records from this file
    kept: dict[str, int] = field(default_factory=dict)  # author key -> earlier records kept in the same file
    replaced: int = 0  # records of an earlier import of this same file, replaced
    files: list[Path] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)


def check_source_name(name: str) -> str:
    name = (name or "").strip()
    if not _SOURCE_NAME.match(name):
        raise BadInputError(f"--source {name!r} is not a usable name",
                            "Use lower-case letters, digits, _ or -, e.g. --source zotero")
    if name in RESERVED:
        raise BadInputError(f"--source {name} is where `authorstats fetch` keeps its data",
                            "Pick another name for imported lists, e.g. --source pop or --source zotero")
    return name


def _columns(header: Sequence[str] | None, path: Path) -> dict[str, str]:
    """Map our column names to the file's own header names."""
    if not header:
        raise BadInputError(f"{path} is empty", "Export the list as CSV with a header row such as author,title,year")
    found: dict[str, str] = {}
    for name in header:
        if name is None:
            continue
        ours = fold(name).replace("_", " ")
        ours = ALIASES.get(ours, ours)
        if ours in REQUIRED + OPTIONAL and ours not in found:
            found[ours] = name
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise BadInputError(
            f"{path} has no {', '.join(missing)} column (its columns: {', '.join(h for h in header if h)})",
            "Add the missing column(s); author holds a roster key or an author's name, e.g. lecun",
        )
    return found


def _author_lookup(authors: Sequence[Author]) -> dict[str, str]:
    lookup = {}
    for author in authors:
        lookup[fold(author.name)] = author.key
    for author in authors:  # keys win over names
        lookup[author.key.casefold()] = author.key
    return lookup


def parse_row(row: dict[str, str], columns: dict[str, str], lookup: dict[str, str], keys: str,
              source: str, origin: str, fetched_at: str, this_year: int) -> Publication:
    """One CSV row as a Publication; raises ValueError naming the problem."""
    def cell(name: str) -> str:
        column = columns.get(name)
        value = row.get(column) if column else None
        return " ".join(str(value).split()) if value is not None else ""

    who = cell("author")
    if not who:
        raise ValueError("no author")
    key = lookup.get(who.casefold()) or lookup.get(fold(who))
    if not key:
        raise ValueError(f"unknown author {who!r} (use a roster key: {keys})")
    title = cell("title")
    if not title:
        raise ValueError("no title")
    if len(title) > MAX_TITLE:
        raise ValueError(f"the title is {len(title):,} characters long, more than {MAX_TITLE:,} "
                         "(an unclosed quote in the CSV?)")
    year_text = cell("year")
    if not re.fullmatch(r"\d{4}", year_text):
        raise ValueError(f"year {year_text!r} is not a year" if year_text else "no year")
    year = int(year_text)
    if not EARLIEST_YEAR <= year <= this_year + 1:
        raise ValueError(f"year {year} is outside {EARLIEST_YEAR}-{this_year + 1}")
    citations_text = cell("citations").replace(",", "")
    if citations_text and not citations_text.isdigit():
        raise ValueError(f"citations {cell('citations')!r} is not a whole number")
    doi = normalise_doi(cell("doi"))
    if doi and not _DOI.match(doi):
        raise ValueError(f"doi {cell('doi')!r} is not a DOI (they look like 10.1234/abc)")
    return Publication(
        author=key, title=title, year=year, source=source, venue=cell("venue"),
        citations=int(citations_text) if citations_text else None, abstract=cell("abstract"),
        doi=doi, fetched_at=fetched_at, extra={"imported_from": origin},
    )


def read_csv(path: Path, authors: Sequence[Author], source: str) -> tuple[list[Publication], list[BadRow]]:
    """Good records and bad rows (with their line numbers) of a publications CSV."""
    path = Path(path)
    text = store.read_input_text(path, "CSV file", encoding="utf-8-sig", fix_encoding="Export or save the CSV as UTF-8")
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in some locales writes ';', some tools tabs
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    columns = _columns(header, path)
    lookup = _author_lookup(authors)
    keys = ", ".join(sorted(a.key for a in authors))
    fetched_at, this_year = utc_now(), dt.date.today().year
    records, bad = [], []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                row = dict(zip(header, cells))
                try:
                    records.append(parse_row(row, columns, lookup, keys, source, path.name, fetched_at, this_year))
                except ValueError as exc:
                    bad.append(BadRow(line, str(exc)))
            line = reader.line_num + 1
    except csv.Error as exc:
        bad.append(BadRow(line, f"unreadable CSV from here on ({exc})"))
    if not records and not bad:
        raise BadInputError(f"{path} has a header but no rows", "Add one row per publication below the header")
    return records, bad


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
