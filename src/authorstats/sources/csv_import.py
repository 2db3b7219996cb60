"""Pure: publications CSVs as import entries: the authorstats CSV, Publish or Perish's and Zotero's exports.

The authorstats CSV has ``author`` (roster key or display name; or ``authors``, the paper's authors
separated by ";"), ``title`` and ``year``, and optional ``venue``, ``abstract``, ``doi``, ``citations``,
``url``, ``arxiv_id``, under their own names or the common aliases below. Publish or Perish and Zotero
CSVs are read by their own headers (see docs/import.md). Reading the file and writing ``data/raw/`` are
the shell's job (``shell/importer.py``).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.errors import BadInputError
from authorstats.models import Author, Publication
from authorstats.names import split_authors
from authorstats.source_names import SNAPSHOT
from authorstats.sources import SERVICE_NAMES
from authorstats.sources.import_rows import Assigner, BadRow, Entry, build_records
from authorstats.text import fold

if TYPE_CHECKING:
    import _csv  # csv.reader's type (csv does not export it)

__all__ = ["BadRow", "Layout", "LAYOUTS", "check_source_name", "csv_header", "csv_layout", "parse_csv", "read_entries"]

# Other names the authorstats CSV's columns have in common exports and in the bundled snapshot; lower-case.
ALIASES = {
    "publication year": "year",
    "publication title": "venue",
    "journal": "venue",
    "booktitle": "venue",
    "abstract note": "abstract",
    "cites": "citations",
    "cited by": "citations",
    "author key": "author",
    "arxiv id": "arxiv",
    "arxiv": "arxiv",
}
# Folders `fetch` writes; importing into them would mix hand-made lists with fetched ones.
RESERVED = {*SERVICE_NAMES, SNAPSHOT}
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# The longest cell a row may have: 1 MiB of text, far above a long abstract (a few thousand characters) or a
# Zotero note (a few hundred thousand); a longer one makes its row bad, never the rows after it.
MAX_CELL = 1 << 20
_QUERY_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2})?))?$")


@dataclass(frozen=True)
class Layout:
    """A CSV format: its label, and which header (folded) holds each Entry field."""

    name: str
    label: str
    columns: dict[str, str]  # Entry field (or a cell a field falls back on) -> folded header name
    separator: str | None  # between the names of the authors column; None: guessed per cell
    marks: frozenset[str]  # folded headers that together identify the format


POP = Layout(
    "pop",
    "Publish or Perish CSV",
    {
        "citations": "cites",
        "authors": "authors",
        "title": "title",
        "year": "year",
        "venue": "source",
        "url": "articleurl",
        "doi": "doi",
        "abstract": "abstract",
        "counted_at": "querydate",
    },
    ",",
    frozenset({"cites", "authors", "title", "year", "articleurl"}),
)
ZOTERO = Layout(
    "zotero",
    "Zotero CSV",
    {
        "authors": "author",
        "title": "title",
        "year": "publication year",
        "venue": "publication title",
        "url": "url",
        "doi": "doi",
        "abstract": "abstract note",
        "arxiv": "extra",
        "conference": "conference name",
        "item_type": "item type",
        "publisher": "publisher",
    },
    ";",
    frozenset({"key", "item type", "publication year", "author", "title"}),
)
OURS = Layout(
    "csv",
    "authorstats CSV: author,title,year",
    {
        name: name
        for name in ("who", "authors", "title", "year", "venue", "abstract", "doi", "citations", "url", "arxiv")
    },
    None,
    frozenset({"title"}),
)
LAYOUTS = {layout.name: layout for layout in (POP, ZOTERO, OURS)}


def check_source_name(name: str) -> str:
    """``name`` as a usable ``data/raw/`` folder for an imported list, or BadInputError saying why not."""
    name = (name or "").strip()
    if not _SOURCE_NAME.match(name):
        raise BadInputError(
            f"--source {name!r} is not a usable name", "Use lower-case letters, digits, _ or -, e.g. --source zotero"
        )
    if name in RESERVED:
        raise BadInputError(
            f"--source {name} is where `authorstats fetch` keeps its data",
            "Pick another name for imported lists, e.g. --source pop or --source zotero",
        )
    return name


def _reader(text: str) -> _csv.Reader:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)  # Excel in some locales writes ';', some tools tabs
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


@contextlib.contextmanager
def _cells_up_to(size: int) -> Iterator[None]:
    """Let the csv module read cells of up to ``size`` characters (its own limit, 131,072, is process-wide, and
    past it the reader fails in the middle of a row and reads the rest of that cell as rows); put the limit
    back after."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size))
    try:
        yield
    finally:
        csv.field_size_limit(before)


def csv_header(text: str) -> list[str]:
    """The header row of a CSV's text ([] when it has none or cannot be read)."""
    try:
        with _cells_up_to(len(text) + 1):
            return [h for h in next(_reader(text), []) if h is not None]
    except csv.Error:
        return []


def _folded(header: Sequence[str]) -> list[str]:
    return [fold(h).replace("_", " ") for h in header]


def csv_layout(header: Sequence[str]) -> Layout | None:
    """The layout a CSV header is written in: Publish or Perish, Zotero, else authorstats when it has one of
    its main columns (a missing one is then named); None for none of them."""
    folded = set(_folded(header))
    for layout in (POP, ZOTERO):
        if layout.marks <= folded:
            return layout
    ours = {ALIASES.get(h, h) for h in folded}
    return OURS if ours & {"author", "title", "year", "authors"} else None


def _columns(header: Sequence[str], layout: Layout, where: str, assigned: bool) -> dict[str, int]:
    """Entry field -> column index; BadInputError when a column the rows need is missing."""
    folded = _folded(header)
    found: dict[str, int] = {}
    if layout is OURS:
        for index, name in enumerate(folded):
            ours = ALIASES.get(name, name)
            ours = "who" if ours == "author" else ours
            if ours in layout.columns and ours not in found:
                found[ours] = index
    else:
        for field_name, column in layout.columns.items():
            if column in folded:
                found[field_name] = folded.index(column)
    missing = [name for name in ("title", "year") if name not in found]
    if not assigned and "who" not in found and "authors" not in found:
        missing.insert(0, "author" if layout is OURS else layout.columns["authors"])
    if missing:
        shown = [m if layout is OURS else layout.columns.get(m, m).title() for m in missing]
        raise BadInputError(
            f"{where} has no {', '.join(shown)} column (its columns: {', '.join(h for h in header if h)})",
            "Add the missing column(s); author holds a roster key or an author's name, e.g. lecun"
            if layout is OURS
            else f"Export the list again from {layout.label.rsplit(' ', 1)[0]} with all its columns, or name "
            "another format with --format",
        )
    return found


def _check_width(cells: Sequence[str], width: int) -> None:
    """A row with more non-empty cells than the header has columns had a cell split (a comma in an unquoted
    title): refuse it rather than store shifted cells. Missing cells at the end are read as empty."""
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        raise ValueError(
            f"{len(cells)} fields but the header has {width} (a comma inside an unquoted title "
            "or venue? Put that cell in double quotes)"
        )


def _check_cells(cells: Sequence[str]) -> None:
    """A cell longer than MAX_CELL makes its row bad (usually a quote that was never closed: the cell then
    holds the rows below it, which are not read either)."""
    longest = max((len(c) for c in cells), default=0)
    if longest > MAX_CELL:
        raise ValueError(
            f"a cell of {longest:,} characters, more than {MAX_CELL:,} (a quote that is never closed?); "
            "nothing of this row was imported"
        )


def _counted_at(text: str) -> str:
    """Publish or Perish's QueryDate ("2026-11-30 10:31:48", older versions "2026-11-30") as ISO 8601."""
    match = _QUERY_DATE.match(text)
    if not match:
        return ""
    return f"{match.group(1)}T{match.group(2)}" if match.group(2) else match.group(1)


def _entry(cells: Sequence[str], columns: dict[str, int], layout: Layout, line: int) -> Entry:
    def cell(name: str) -> str:
        index = columns.get(name)
        return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""

    # Zotero: a conference paper without proceedings title has its conference's name; a preprint's
    # repository ("arXiv") is its publisher.
    venue = cell("venue") or cell("conference") or (cell("publisher") if cell("item_type") == "preprint" else "")
    return Entry(
        line=line,
        title=cell("title"),
        year=cell("year"),
        authors=split_authors(cell("authors"), layout.separator),
        venue=venue,
        abstract=cell("abstract"),
        doi=cell("doi"),
        url=cell("url"),
        arxiv=cell("arxiv"),
        citations=cell("citations"),
        counted_at=_counted_at(cell("counted_at")),
        who=cell("who"),
    )


def read_entries(text: str, layout: Layout, *, where: str, assigned: bool = False) -> tuple[list[Entry], list[BadRow]]:
    """The rows of a CSV's ``text`` in ``layout`` as entries, and rows that could not be read at all.
    ``assigned``: an ``--author`` was given, so the file needs no author column."""
    with _cells_up_to(len(text) + 1):  # no cell is longer than the text: the reader never stops inside one
        reader = _reader(text)
        header = next(reader, None)
        if not header:
            raise BadInputError(
                f"{where} is empty", "Export the list as CSV with a header row such as author,title,year"
            )
        columns = _columns(header, layout, where, assigned)
        entries, bad = [], []
        line = reader.line_num + 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    try:
                        _check_width(cells, len(header))
                        _check_cells(cells)
                        entries.append(_entry(cells, columns, layout, line))
                    except ValueError as exc:
                        bad.append(BadRow(line, str(exc)))
                line = reader.line_num + 1
        except csv.Error as exc:
            bad.append(BadRow(line, f"unreadable CSV from here on ({exc})"))
    if not entries and not bad:
        raise BadInputError(f"{where} has a header but no rows", "Add one row per publication below the header")
    return entries, bad


def parse_csv(
    text: str, authors: Sequence[Author], source: str, *, where: str, origin: str, fetched_at: str, this_year: int
) -> tuple[list[Publication], list[BadRow]]:
    """Good records and bad rows (with their line numbers) of an authorstats CSV's ``text``, each row
    given to the roster author its author column names.

    ``where`` names the file in messages, ``origin`` is kept in each record's ``imported_from``;
    ``fetched_at`` stamps the records and ``this_year`` bounds their years.
    """
    entries, bad = read_entries(text, OURS, where=where)
    built = build_records(
        entries,
        Assigner(authors),
        source=source,
        extra={"imported_from": origin},
        fetched_at=fetched_at,
        this_year=this_year,
    )
    return built.records, sorted(bad + built.bad, key=lambda b: b.line)
