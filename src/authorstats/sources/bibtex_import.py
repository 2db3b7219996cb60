"""Pure: a BibTeX file's text (Google Scholar, Zotero, JabRef, dblp exports) as import entries.

Read with bibtexparser 1.x (the version scholarly needs), LaTeX accents decoded to Unicode. That parser
drops an entry it cannot read without a word, so the text is first cut into entries at each line that
starts with ``@type{``: an entry whose braces do not balance, or that the parser drops, is a bad row with
its line number instead of a silent loss.
"""

from __future__ import annotations

import re

import bibtexparser
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import convert_to_unicode

from authorstats.errors import BadInputError
from authorstats.sources.import_rows import BadRow, Entry

# An entry starts with @type{ or @type( at the start of a line or after white space or a closing brace
# (some tools write several entries on one line).
_START = re.compile(r"(?:^|(?<=[\s}]))@[ \t]*([A-Za-z]+)[ \t]*[{(][ \t]*([^,\s]*)", re.MULTILINE)
_NOT_ENTRIES = {"comment", "preamble", "string"}
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_ESCAPED = re.compile(r"\\[{}]")


def _balance(text: str) -> int:
    plain = _ESCAPED.sub("", text)
    return plain.count("{") - plain.count("}")


def _clean(value: object) -> str:
    """A field as plain text: braces that protected case ("{VICReg}") and spaces collapsed."""
    return " ".join(str(value or "").replace("{", "").replace("}", "").split())


def _entry(fields: dict[str, str], line: int) -> Entry:
    authors = tuple(a for a in (_clean(a) for a in _AND.split(fields.get("author", "").strip())) if a and a != "others")
    arxiv = ""
    if (
        fields.get("archiveprefix", "").strip().lower() == "arxiv"
        or fields.get("eprinttype", "").strip().lower() == "arxiv"
    ):
        arxiv = _clean(fields.get("eprint"))
    return Entry(
        line=line,
        title=_clean(fields.get("title")),
        year=_clean(fields.get("year") or fields.get("date")),
        authors=authors,
        venue=_clean(fields.get("journal") or fields.get("booktitle")),
        abstract=_clean(fields.get("abstract")),
        doi=_clean(fields.get("doi")),
        url=_clean(fields.get("url")),
        arxiv=arxiv or _clean(fields.get("journal")),
    )


def read_entries(text: str, *, where: str) -> tuple[list[Entry], list[BadRow]]:
    """The entries of a BibTeX file's ``text``, and those that cannot be read (unbalanced braces, or a
    layout the parser drops), each with the line it starts on."""
    starts = [
        (m.start(), text.count("\n", 0, m.start()) + 1, m.group(1).lower(), m.group(2)) for m in _START.finditer(text)
    ]
    if not any(kind not in _NOT_ENTRIES for _, _, kind, _ in starts):
        raise BadInputError(
            f"{where} has no BibTeX entries (no line starting with @article{{, @inproceedings{{, ...)",
            "Export the list as BibTeX, or name its format with --format",
        )
    bad: list[BadRow] = []
    readable: list[str] = []
    expected: list[tuple[int, str]] = []  # (line, key) of each entry handed to the parser
    for number, (offset, line, kind, key) in enumerate(starts):
        end = starts[number + 1][0] if number + 1 < len(starts) else len(text)
        chunk = text[offset:end]
        balance = _balance(chunk)
        if kind == "comment":
            continue
        if balance:
            what = "'{' never closed" if balance > 0 else "'}' without its '{'"
            bad.append(
                BadRow(
                    line,
                    f"unbalanced braces in @{kind}{{{key}: {abs(balance)} {what}; nothing of this entry was imported",
                )
            )
            continue
        readable.append(chunk)
        if kind not in _NOT_ENTRIES:
            expected.append((line, key))
    parser = BibTexParser(common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True)
    parser.customization = convert_to_unicode
    try:
        parsed = bibtexparser.loads("".join(readable), parser=parser).entries
    except Exception as exc:  # pyparsing raises its own kinds; all mean the same for the user
        raise BadInputError(
            f"{where} is not BibTeX the parser can read ({type(exc).__name__}: {exc})",
            "Check the file in a BibTeX editor, or export it again",
        ) from None
    by_key: dict[str, list[dict[str, str]]] = {}
    for fields in parsed:
        by_key.setdefault(fields.get("ID", ""), []).append(fields)
    entries = []
    for line, key in expected:
        found = by_key.get(key)
        if found:
            entries.append(_entry(found.pop(0), line))
        else:
            bad.append(BadRow(line, f"entry {key!r} could not be read as BibTeX (a missing comma or '='?)"))
    return entries, sorted(bad, key=lambda b: b.line)
