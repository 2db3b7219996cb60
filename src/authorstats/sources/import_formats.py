"""Pure: which format an imported file is in, and its records read in that format.

Known: the authorstats CSV, Publish or Perish CSV, Zotero CSV, BibTeX and RIS. The format is detected
from the file name's extension (.ris, .bib; a .csv or .tsv is a CSV), then from the text's structure: a
header row naming a CSV layout's columns, else RIS's ``TY  -`` lines, else BibTeX's ``@type{``; ``--format``
overrides the guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from authorstats.errors import BadInputError
from authorstats.models import Author, Publication
from authorstats.sources import bibtex_import, csv_import, ris_import
from authorstats.sources.import_rows import Assigner, BadRow, Entry, build_records

FORMATS = {
    "csv": csv_import.OURS.label,
    "pop": csv_import.POP.label,
    "zotero": csv_import.ZOTERO.label,
    "bibtex": "BibTeX, .bib",
    "ris": "RIS, .ris",
}
UTF8 = "utf-8"
WINDOWS_1252 = "cp1252"
_RIS = re.compile(r"^TY  - ", re.MULTILINE)
_BIBTEX = re.compile(r"^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]", re.MULTILINE)


def known_formats() -> str:
    return ", ".join(f"{name} ({label})" for name, label in FORMATS.items())


def check_format(name: str | None) -> str | None:
    """``--format``'s value, or BadInputError listing the formats."""
    if name is None:
        return None
    cleaned = name.strip().lower()
    if cleaned not in FORMATS:
        raise BadInputError(f"--format {name!r} is not a format authorstats reads", f"Use one of {known_formats()}")
    return cleaned


def detect(text: str, file_name: str, *, where: str) -> str:
    """The format of an imported file's ``text``; BadInputError naming its columns and the known formats."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix == ".ris":
        return "ris"
    if suffix in (".bib", ".bibtex"):
        return "bibtex"
    # The structure first: a header row naming a CSV layout's columns makes the file that CSV, whatever its
    # quoted cells hold (an abstract may have a line starting "TY  - " or "@article{"). Neither a RIS file's first
    # line ("TY  - JOUR") nor a BibTeX file's ("@article{key,") is such a header.
    header = csv_import.csv_header(text)
    layout = csv_import.csv_layout(header)
    if layout is None and suffix not in (".csv", ".tsv"):
        if _RIS.search(text):
            return "ris"
        if _BIBTEX.search(text):
            return "bibtex"
    if layout is None:
        columns = ", ".join(repr(h) for h in header if h.strip()) or "none"
        raise BadInputError(
            f"{where} is in no layout authorstats knows (its columns: {columns}); known formats: {known_formats()}",
            (
                "Export it again as one of these, rename its columns to author,title,year, or name its format with "
                "--format"
            ),
        )
    return layout.name


@dataclass
class Parsed:
    format: str
    records: list[Publication] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)  # rows skipped, with why
    warnings: list[BadRow] = field(default_factory=list)  # rows imported, with something to check
    encoding: str = UTF8  # the encoding the file was read in (decode_export); another one is worth a warning


def decode_export(data: bytes, *, where: str) -> tuple[str, str]:
    """An exported file's bytes as text, and the encoding they were read in: UTF-8 (a byte-order mark is fine),
    else the encoding charset-normalizer finds them most like (Excel on Windows saves a CSV in the system's code
    page, Windows-1252 in the Americas and Western Europe; among encodings that read the bytes equally cleanly
    that one is taken). BadInputError when the bytes are no text in any encoding it knows."""
    try:
        return data.decode("utf-8-sig"), UTF8
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data))
    if not matches:
        raise BadInputError(f"{where} is not UTF-8 text, nor text in another encoding", "Export or save it as UTF-8")
    cleanest = min(m.chaos for m in matches)
    if any(m.chaos == cleanest and WINDOWS_1252 in m.could_be_from_charset for m in matches):
        try:
            return data.decode(WINDOWS_1252), WINDOWS_1252
        except UnicodeDecodeError:  # a byte Windows-1252 leaves undefined: charset-normalizer's choice stands
            pass
    best = min(matches, key=lambda m: m.chaos)
    return str(best), best.encoding


def encoding_name(codec: str) -> str:
    """How people call an encoding Python calls ``codec`` ("cp1252": "Windows-1252 (cp1252)")."""
    known = {"mac_roman": "Mac OS Roman", "latin_1": "Latin-1", "utf_16": "UTF-16", "utf_32": "UTF-32"}
    if re.fullmatch(r"cp125\d", codec):
        return f"Windows-{codec[2:]} ({codec})"
    return f"{known[codec]} ({codec})" if codec in known else codec


def read_entries(text: str, fmt: str, *, where: str, assigned: bool) -> tuple[list[Entry], list[BadRow]]:
    """The entries of ``text`` read as ``fmt``, and the rows that cannot be read."""
    if fmt == "bibtex":
        return bibtex_import.read_entries(text, where=where)
    if fmt == "ris":
        return ris_import.read_entries(text, where=where)
    return csv_import.read_entries(text, csv_import.LAYOUTS[fmt], where=where, assigned=assigned)


def parse_export(
    text: str,
    authors: Sequence[Author],
    source: str,
    *,
    file_name: str,
    where: str,
    fetched_at: str,
    this_year: int,
    fmt: str | None = None,
    author: Author | None = None,
    extra: dict[str, str] | None = None,
) -> Parsed:
    """The records of an exported list's ``text``, in ``fmt`` or the format detected, given to ``author`` or,
    without one, to the roster authors each row names.

    ``file_name`` helps detection (its extension), ``where`` names the file in messages, ``extra`` goes
    into every record with the format (``import_format``); ``fetched_at`` stamps records whose file does
    not say when their citations were counted; ``this_year`` bounds their years.
    """
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise BadInputError(f"{where} is empty", "Export the list again; see docs/import.md for each tool's menu")
    fmt = check_format(fmt) or detect(text, file_name, where=where)
    entries, unreadable = read_entries(text, fmt, where=where, assigned=author is not None)
    built = build_records(
        entries,
        Assigner(authors, author),
        source=source,
        extra={**(extra or {}), "import_format": fmt},
        fetched_at=fetched_at,
        this_year=this_year,
    )
    return Parsed(fmt, built.records, sorted(unreadable + built.bad, key=lambda b: b.line), built.warnings)
