"""Pure: a publications CSV's text (Publish or Perish, Zotero, by hand) as Publication records plus the
rows that could not be used, each with its line number and the problem.

Columns: ``author`` (roster key or display name), ``title``, ``year``; optional ``venue``, ``abstract``,
``doi``, ``citations``, under their own names or the common aliases below. Reading the file and writing
``data/raw/`` are the shell's job (``shell/importer.py``).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Sequence

from authorstats.errors import BadInputError
from authorstats.identifiers import normalise_doi
from authorstats.models import EARLIEST_YEAR, MAX_CITATIONS, Author, Publication
from authorstats.sources import SERVICE_NAMES
from authorstats.sources.snapshot import NAME as SNAPSHOT
from authorstats.text import fold

REQUIRED = ("author", "title", "year")
OPTIONAL = ("venue", "abstract", "doi", "citations")
# Other names the same columns have in common exports (Zotero, Publish or Perish); compared lower-case.
ALIASES = {"publication year": "year", "publication title": "venue", "journal": "venue", "booktitle": "venue",
           "abstract note": "abstract", "cites": "citations", "cited by": "citations"}
# Folders `fetch` writes; importing into them would mix hand-made lists with fetched ones.
RESERVED = {*SERVICE_NAMES, SNAPSHOT}
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


def check_source_name(name: str) -> str:
    """``name`` as a usable ``data/raw/`` folder for an imported list, or BadInputError saying why not."""
    name = (name or "").strip()
    if not _SOURCE_NAME.match(name):
        raise BadInputError(f"--source {name!r} is not a usable name",
                            "Use lower-case letters, digits, _ or -, e.g. --source zotero")
    if name in RESERVED:
        raise BadInputError(f"--source {name} is where `authorstats fetch` keeps its data",
                            "Pick another name for imported lists, e.g. --source pop or --source zotero")
    return name


def _columns(header: Sequence[str] | None, where: str) -> dict[str, str]:
    """Map our column names to the file's own header names."""
    if not header:
        raise BadInputError(f"{where} is empty", "Export the list as CSV with a header row such as author,title,year")
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
            f"{where} has no {', '.join(missing)} column (its columns: {', '.join(h for h in header if h)})",
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


def _check_width(cells: Sequence[str], width: int) -> None:
    """A row with more non-empty cells than the header has columns had a cell split (a comma in an unquoted
    title): refuse it rather than store shifted cells. Missing cells at the end are read as empty."""
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        raise ValueError(f"{len(cells)} fields but the header has {width} (a comma inside an unquoted title "
                         "or venue? Put that cell in double quotes)")


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
    if citations_text and not re.fullmatch(r"[0-9]+", citations_text):
        raise ValueError(f"citations {cell('citations')!r} is not a whole number")
    # Length first: int() refuses more than 4,300 digits with a message about Python, not the row.
    if citations_text and (len(citations_text.lstrip("0")) > 10 or int(citations_text) > MAX_CITATIONS):
        raise ValueError(f"citations {cell('citations')!r} is more than {MAX_CITATIONS:,}")
    doi = normalise_doi(cell("doi"))
    if doi and not _DOI.match(doi):
        raise ValueError(f"doi {cell('doi')!r} is not a DOI (they look like 10.1234/abc)")
    return Publication(
        author=key, title=title, year=year, source=source, venue=cell("venue"),
        citations=int(citations_text) if citations_text else None, abstract=cell("abstract"),
        doi=doi, fetched_at=fetched_at, extra={"imported_from": origin},
    )


def parse_csv(text: str, authors: Sequence[Author], source: str, *, where: str, origin: str,
              fetched_at: str, this_year: int) -> tuple[list[Publication], list[BadRow]]:
    """Good records and bad rows (with their line numbers) of a publications CSV's ``text``.

    ``where`` names the file in messages, ``origin`` is kept in each record's ``imported_from``;
    ``fetched_at`` stamps the records and ``this_year`` bounds their years. A file without the
    required columns, or without rows, is one BadInputError.
    """
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in some locales writes ';', some tools tabs
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = next(reader, None)
    columns = _columns(header, where)
    lookup = _author_lookup(authors)
    keys = ", ".join(sorted(a.key for a in authors))
    records, bad = [], []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                row = dict(zip(header, cells))
                try:
                    _check_width(cells, len(header))
                    records.append(parse_row(row, columns, lookup, keys, source, origin, fetched_at, this_year))
                except ValueError as exc:
                    bad.append(BadRow(line, str(exc)))
            line = reader.line_num + 1
    except csv.Error as exc:
        bad.append(BadRow(line, f"unreadable CSV from here on ({exc})"))
    if not records and not bad:
        raise BadInputError(f"{where} has a header but no rows", "Add one row per publication below the header")
    return records, bad
