"""Pure: a RIS file's text (Zotero, EndNote, Mendeley, publisher sites) as import entries, read with rispy.

rispy drops a record that has no closing ``ER`` line without a word, so records are cut out first:
each runs from its ``TY`` line to its ``ER`` line, and one that never reaches ``ER`` is a bad row with
its line number.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import rispy

from authorstats.errors import BadInputError
from authorstats.sources.import_rows import BadRow, Entry

_TAG = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _first(record: Mapping[str, Any], *names: str) -> str:
    for name in names:
        value = record.get(name)
        if isinstance(value, list):
            value = value[0] if value else ""
        text = " ".join(str(value or "").split())
        if text:
            return text
    return ""


def _entry(record: Mapping[str, Any], line: int) -> Entry:
    authors = [*record.get("authors", []), *record.get("first_authors", [])]
    return Entry(
        line=line,
        title=_first(record, "title", "primary_title"),
        year=_first(record, "year", "publication_year"),
        authors=tuple(" ".join(str(a).split()) for a in authors if str(a).strip()),
        venue=_first(record, "secondary_title", "journal_name"),
        abstract=_first(record, "abstract", "notes_abstract"),
        doi=_first(record, "doi"),
        url=_first(record, "urls"),
    )


def read_entries(text: str, *, where: str) -> tuple[list[Entry], list[BadRow]]:
    """The records of a RIS file's ``text``, and those without their ``ER`` line, each with its first line."""
    bad: list[BadRow] = []
    records: list[tuple[int, list[str]]] = []
    current: tuple[int, list[str]] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        match = _TAG.match(line)
        tag = match.group(1) if match else ""
        if tag == "TY":
            if current is not None:
                bad.append(
                    BadRow(current[0], "the record has no ER line before the next TY; nothing of it was imported")
                )
            current = (number, [line])
        elif current is not None:
            current[1].append(line)
            if tag == "ER":
                records.append(current)
                current = None
    if current is not None:
        bad.append(
            BadRow(
                current[0],
                "the record has no ER line (end of record) before the end of the file; nothing of it was imported",
            )
        )
    if not records and not bad:
        raise BadInputError(
            f"{where} has no RIS records (no line starting with 'TY  - ')",
            "Export the list as RIS, or name its format with --format",
        )
    entries = []
    for first, lines in records:  # the record's first line number
        try:
            (record,) = rispy.loads("\n".join(lines) + "\n")
        except Exception as exc:  # rispy raises plain IOError/ValueError kinds for bad lines
            bad.append(BadRow(first, f"the record could not be read as RIS ({exc})"))
            continue
        entries.append(_entry(record, first))
    return entries, sorted(bad, key=lambda b: b.line)
