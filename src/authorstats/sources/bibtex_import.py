"""Pure: a BibTeX file's text (Google Scholar, Zotero, JabRef, dblp exports) as import entries.

Read with bibtexparser 1.x (the version scholarly needs), LaTeX accents decoded to Unicode. The text is
first cut into entries as BibTeX itself reads it: an entry starts with ``@type{`` outside any other entry and
ends at the brace that closes its own (every brace counts, ``\\{`` too, as in BibTeX), so an ``@`` inside a
field never starts an entry. Each entry is then parsed on its own, so that one entry the parser cannot read, or
whose braces do not balance, is a bad row with its line number instead of a silent loss or the whole file's
refusal.

The work per entry is bounded: braces nested deeper than MAX_DEPTH, a ``@string`` macro or field that would
expand to more than MAX_EXPANSION characters, and macros of one file that expand to more than MAX_EXPANDED
characters together are refused (a file of a few hundred bytes that defines each macro as the previous one
twice would otherwise expand to gigabytes). Macros are expanded here, with those bounds, not by the parser.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bibtexparser.bibdatabase import COMMON_STRINGS, BibDataString, BibDataStringExpression
from bibtexparser.bparser import BibTexParser
from bibtexparser.latexenc import latex_to_unicode

from authorstats.errors import BadInputError
from authorstats.sources.import_rows import BadRow, Entry

# Braces nested in one entry, its own included. Real entries stay under 8 ({{BERT}} in a title, a formula's
# {$\mathcal{O}(n^{2})$}); the parser recurses once per level and runs out of stack near 100.
MAX_DEPTH = 32
# Characters a @string macro, or a field that uses macros, may expand to. Real macros are journal and month
# names; a field of 100,000 characters is longer than any abstract.
MAX_EXPANSION = 100_000
# Characters all the macro expansions of one file may produce together (about 10 MB).
MAX_EXPANDED = 10_000_000

# An entry starts with @type{ or @type( at the start of a line or after white space or a closing brace
# (some tools write several entries on one line).
_START = re.compile(
    r"(?:^|(?<=[\s}]))@[ \t]*(?P<kind>[A-Za-z]+)[ \t]*(?P<open>[{(])[ \t]*(?P<key>[^,\s]{0,200})", re.MULTILINE
)
# The @ of a start that begins its line (only white space before it on the line).
_FIRST_ON_LINE = re.compile(r"^[^\S\n]*@", re.MULTILINE)
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
# The fields authorstats reads; the others are neither expanded nor kept.
_USED = ("author", "title", "year", "date", "journal", "booktitle", "doi", "url", "abstract", "eprint")
_FLAGS = ("archiveprefix", "eprinttype")
# LaTeX escapes of characters BibTeX or LaTeX treat specially (those render/export.py writes, and the usual
# \{ \% \& ...): decoded to the character itself before accents are decoded and case-protecting braces dropped.
_ESCAPE = re.compile(
    r"\\(?P<word>textbackslash|textbraceleft|textbraceright|textasciitilde|textasciicircum)(?:\{\}|\s+|(?![A-Za-z]))"
    r"|\\(?P<char>[{}%&$#_])"
)
_ESCAPED = {
    "textbackslash": "\\",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textasciitilde": "~",
    "textasciicircum": "^",
}


@dataclass(frozen=True)
class _Chunk:
    """One ``@type{...}`` of the file: where it starts, and why it cannot be read ("" when it can)."""

    line: int
    kind: str
    key: str
    text: str
    problem: str = ""


class _Refused(ValueError):
    """A macro or field whose expansion is refused: the message says why; ``root`` is the line of the refused
    macro it uses (None when the refusal is its own)."""

    def __init__(self, message: str, root: int | None = None, spent: bool = False) -> None:
        super().__init__(message)
        self.root = root
        self.spent = spent  # MAX_EXPANDED reached: no macro is expanded after this one


def _plain(text: str) -> str:
    """LaTeX text as plain text: escapes and accents ("Tr{\\"a}uble") decoded, braces that protected case
    ("{VICReg}") dropped, spaces collapsed."""
    out: list[str] = []
    last = 0
    for match in _ESCAPE.finditer(text):
        out.append(latex_to_unicode(text[last : match.start()]).replace("{", "").replace("}", ""))
        out.append(_ESCAPED[match["word"]] if match["word"] else match["char"])
        last = match.end()
    out.append(latex_to_unicode(text[last:]).replace("{", "").replace("}", ""))
    return " ".join("".join(out).split())


def _chunks(text: str) -> list[_Chunk]:
    """The file's ``@type{...}`` items in order, each whole, or with the problem that makes it unreadable.

    Braces are matched once over the whole text (every brace counts, escaped or not, as BibTeX counts them). An
    entry ends at the brace that closes its own; a start inside it is part of a field. An entry whose brace never
    closes runs to the next start at the beginning of a line, as one whose closing parenthesis never comes does.
    Each character is looked at a bounded number of times, however the braces are laid out.
    """
    lines = [0, *(m.end() for m in re.finditer("\n", text))]
    starts = list(_START.finditer(text))
    offsets = [m.start() for m in starts]
    # the next start, after each one, that begins its line (only white space before it)
    first_on_line = {m.end() - 1 for m in _FIRST_ON_LINE.finditer(text)}
    next_first = [len(text)] * (len(starts) + 1)
    for i in range(len(starts) - 1, -1, -1):
        next_first[i] = offsets[i] if offsets[i] in first_on_line else next_first[i + 1]
    closing: dict[int, int] = {}  # position of a '{' -> position of the '}' that closes it
    depth_of: dict[int, int] = {}  # position of a '{' -> how many braces are open with it
    braces: list[int] = []  # positions of every '{', in order
    stack: list[int] = []
    for match in re.finditer(r"[{}]", text):
        if match.group() == "{":
            stack.append(match.start())
            braces.append(match.start())
            depth_of[match.start()] = len(stack)
        elif stack:
            closing[stack.pop()] = match.start()
    chunks: list[_Chunk] = []
    index = 0
    while index < len(starts):
        match = starts[index]
        kind, key, opening = match["kind"].lower(), match["key"], match.start("open")
        line = bisect.bisect_right(lines, match.start())
        limit = next_first[index + 1]  # where an entry that never closes is cut
        end = closing.get(opening) if match["open"] == "{" else _paren_end(text, opening, limit)
        if end is None:
            chunk = text[match.start() : limit]
            balance = chunk.count("{") - chunk.count("}")
            problem = (
                f"unbalanced braces in @{kind}{{{key}: {balance} '{{' never closed"
                if balance > 0
                else f"@{kind}({key} has no closing ')'"
            )
            chunks.append(_Chunk(line, kind, key, chunk, f"{problem}; nothing of this entry was imported"))
            index = bisect.bisect_left(offsets, limit)
            continue
        index = bisect.bisect_right(offsets, end)  # the next start after this entry: those inside it are text
        following = offsets[index] if index < len(starts) else len(text)
        between = text[end + 1 : following]  # comments, or the rest of an entry closed too early
        extra = between.count("}") - between.count("{")
        problem = ""
        if extra > 0:
            problem = f"unbalanced braces in @{kind}{{{key}: {extra} '}}' without its '{{'"
        else:
            inner = braces[bisect.bisect_left(braces, opening) : bisect.bisect_right(braces, end)]
            deepest = max(depth_of[b] for b in inner) - min(depth_of[b] for b in inner) + 1 if inner else 0
            if match["open"] == "(":
                deepest += 1 if inner else 0
            if deepest > MAX_DEPTH:
                problem = f"braces nested {deepest} deep in @{kind}{{{key}, more than the {MAX_DEPTH} read"
        if problem:
            problem += "; nothing of this entry was imported"
        chunks.append(_Chunk(line, kind, key, text[match.start() : end + 1], problem))
    return chunks


def _paren_end(text: str, opening: int, limit: int) -> int | None:
    """Where an ``@type(...)`` entry ends: its ')' outside braces before ``limit`` (the next entry that starts a
    line), or None."""
    depth = 0
    for match in re.finditer(r"[{}()]", text[opening + 1 : limit]):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == ")" and depth <= 0:
            return opening + 1 + match.start()
    return None


class _Macros:
    """The file's @string macros as defined so far, expanded within the bounds. Once the expansions of the file
    reach MAX_EXPANDED, no macro is expanded any more: the @strings after that are refused with the one that
    reached it, and each entry that uses a macro is a bad row."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {name.lower(): value for name, value in COMMON_STRINGS.items()}
        self.refused: dict[str, int] = {}  # macro -> line where it, or the macro it was defined from, was refused
        self.expanded = 0  # characters expanded so far
        self.spent_at: int | None = None  # the line where the expansions reached MAX_EXPANDED: none after it

    def expand(self, value: object) -> str:
        """``value`` (text, or an expression of text and macros) as text; _Refused when it cannot be."""
        if not isinstance(value, BibDataStringExpression):
            return str(value or "")
        parts: list[str] = []
        for part in value.expr:
            if isinstance(part, BibDataString):
                if self.spent_at is not None:
                    raise _Refused(f"uses @string {part.name}, refused at line {self.spent_at}", self.spent_at)
                if part.name in self.refused:
                    root = self.refused[part.name]
                    raise _Refused(f"uses @string {part.name}, refused at line {root}", root)
                if part.name not in self.values:
                    raise _Refused(f"uses @string {part.name}, which the file does not define before")
                parts.append(self.values[part.name])
            else:
                parts.append(str(part))
        size = sum(len(p) for p in parts)  # measured before anything is joined
        if size > MAX_EXPANSION:
            raise _Refused(f"would expand to {size:,} characters, more than {MAX_EXPANSION:,}")
        if self.expanded + size > MAX_EXPANDED:
            raise _Refused(f"would take the file's macro expansions past {MAX_EXPANDED:,} characters", None, True)
        self.expanded += size
        return "".join(parts)

    def define(self, name: str, value: object, line: int) -> str:
        """Add @string ``name``; the problem ("" for none) when it is refused."""
        try:
            self.values[name] = self.expand(value)
        except _Refused as exc:
            self.values.pop(name, None)
            self.refused[name] = line if exc.root is None else exc.root
            if exc.spent:
                self.spent_at = line
            # one line per refusal: a macro defined from a refused one goes with it without a line of its own
            return "" if exc.root is not None else f"@string {name} {exc}; it and the entries that use it were not read"
        self.refused.pop(name, None)
        return ""


def _entry(fields: Mapping[str, str], line: int) -> Entry:
    authors = tuple(a for a in (_plain(a) for a in _AND.split(fields.get("author", "").strip())) if a and a != "others")
    arxiv = ""
    if (
        fields.get("archiveprefix", "").strip().lower() == "arxiv"
        or fields.get("eprinttype", "").strip().lower() == "arxiv"
    ):
        arxiv = _plain(fields.get("eprint", ""))
    return Entry(
        line=line,
        title=_plain(fields.get("title", "")),
        year=_plain(fields.get("year") or fields.get("date") or ""),
        authors=authors,
        venue=_plain(fields.get("journal") or fields.get("booktitle") or ""),
        abstract=_plain(fields.get("abstract", "")),
        doi=_plain(fields.get("doi", "")),
        url=_plain(fields.get("url", "")),
        arxiv=arxiv or _plain(fields.get("journal", "")),
    )


# Entries parsed in one call of the parser, when they all read; each call costs about as much as one entry.
_BATCH = 500


def _parse(parser: BibTexParser, chunks: Sequence[_Chunk]) -> list[dict[str, Any] | None]:
    """Each chunk's entry as the parser reads it, None for one it cannot read. The chunks are parsed in one call,
    and one by one only when that call fails or loses an entry, so that an unreadable entry costs only itself."""
    database = parser.bib_database
    if len(chunks) > 1:
        database.entries.clear()
        try:
            parser.parse("\n".join(c.text for c in chunks))
        except Exception:  # pyparsing's own kinds, or RecursionError: read them one by one below
            pass
        else:
            found = list(database.entries)
            if len(found) == len(chunks) and all(e.get("ID") == c.key for e, c in zip(found, chunks)):
                return found
    read: list[dict[str, Any] | None] = []
    for chunk in chunks:
        database.entries.clear()
        try:
            parser.parse(chunk.text)
        except Exception:  # this entry cannot be read; the others can
            database.entries.clear()
        read.append(database.entries[0] if database.entries else None)
    return read


def read_entries(text: str, *, where: str) -> tuple[list[Entry], list[BadRow]]:
    """The entries of a BibTeX file's ``text``, and those that cannot be read (unbalanced braces, braces nested
    too deep, a macro expanding too far, or a layout the parser drops), each with the line it starts on."""
    chunks = _chunks(text)
    if not any(c.kind not in ("comment", "preamble", "string") for c in chunks):
        raise BadInputError(
            f"{where} has no BibTeX entries (no line starting with @article{{, @inproceedings{{, ...)",
            "Export the list as BibTeX, or name its format with --format",
        )
    parser = BibTexParser(common_strings=False, ignore_nonstandard_types=False, interpolate_strings=False)
    parser.expect_multiple_parse = True
    macros = _Macros()
    bad: list[BadRow] = []
    entries: list[Entry] = []
    waiting: list[_Chunk] = []  # entries read together, before the next @string changes what macros mean

    def flush() -> None:
        for chunk, raw in zip(waiting, _parse(parser, waiting)):
            if raw is None:
                bad.append(
                    BadRow(chunk.line, f"entry {chunk.key!r} could not be read as BibTeX (a missing comma or '='?)")
                )
                continue
            fields: dict[str, str] = {}
            for name in (*_USED, *_FLAGS):
                try:
                    if name in raw:
                        fields[name] = macros.expand(raw[name])
                except _Refused as exc:
                    bad.append(
                        BadRow(chunk.line, f"the {name} of entry {chunk.key!r} {exc}; nothing of it was imported")
                    )
                    break
            else:
                entries.append(_entry(fields, chunk.line))
        waiting.clear()

    for chunk in chunks:
        if chunk.kind in ("comment", "preamble"):
            continue  # nothing authorstats keeps
        if chunk.problem:
            bad.append(BadRow(chunk.line, chunk.problem))
        elif chunk.kind != "string":
            waiting.append(chunk)
            if len(waiting) >= _BATCH:
                flush()
        else:
            flush()
            parser.bib_database.strings.clear()
            try:
                parser.parse(chunk.text)
            except Exception:  # read as no definition below
                parser.bib_database.strings.clear()
            for name, value in list(parser.bib_database.strings.items())[:1]:
                problem = macros.define(name, value, chunk.line)
                if problem:
                    bad.append(BadRow(chunk.line, problem))
            if not parser.bib_database.strings:
                bad.append(BadRow(chunk.line, f"@string {chunk.key} could not be read (a missing '='?)"))
    flush()
    return entries, sorted(bad, key=lambda b: b.line)
