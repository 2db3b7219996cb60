"""Pure: the records of an imported file, whatever its format, checked and given to roster authors.

Each format's parser (``csv_import``, ``bibtex_import``, ``ris_import``) turns its file into Entry
values: one per row or record, its fields as text, with the line it starts on. ``build_records`` checks
them (title, year, citations, DOI) and decides whose publication each is: the ``--author`` given, else the
roster-author column (authorstats CSV), else every roster author among the paper's authors by name.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from authorstats.identifiers import arxiv_id_from_doi, arxiv_id_from_url, normalise_doi
from authorstats.models import EARLIEST_YEAR, MAX_CITATIONS, Author, Publication
from authorstats.names import NameMatcher, name_fold, split_authors

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# "arXiv:2105.04906", "arXiv preprint arXiv:2105.04906", "arXiv: 2105.04906v2" (Zotero's Extra, Scholar's venue)
_ARXIV_TEXT = re.compile(r"\barxiv\s*:\s*(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?", re.IGNORECASE)
_ARXIV_ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
# Real titles stay far below this; a longer "title" is usually a stray quote that swallowed many rows.
MAX_TITLE = 1000


@dataclass(frozen=True)
class BadRow:
    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass(frozen=True)
class Entry:
    """One row or record of an export, its fields as the file wrote them (spaces collapsed)."""

    line: int
    title: str = ""
    year: str = ""
    authors: tuple[str, ...] = ()  # the paper's authors, as the file writes their names
    venue: str = ""
    abstract: str = ""
    doi: str = ""
    url: str = ""
    arxiv: str = ""  # an arXiv id, or text that names one ("arXiv:2105.04906")
    citations: str = ""
    counted_at: str = ""  # when the citations were counted (Publish or Perish's QueryDate), ISO 8601
    who: str = ""  # a roster-author column: key or display name (authorstats CSV)


@dataclass
class Built:
    records: list[Publication] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    warnings: list[BadRow] = field(default_factory=list)  # rows kept, with something the user should know


def arxiv_id_of(entry: Entry) -> str:
    """The arXiv id (no version) an entry gives in its arXiv field, DOI, url or venue; "" if none."""
    given = entry.arxiv.strip()
    match = _ARXIV_ID.match(given) or _ARXIV_TEXT.search(given) or _ARXIV_TEXT.search(entry.venue)
    if match:
        return match.group(1).lower()
    return arxiv_id_from_doi(normalise_doi(entry.doi)) or arxiv_id_from_url(entry.url)


def _year(text: str, this_year: int) -> int:
    match = re.fullmatch(r"(\d{4})(?:[-/].*)?", text)  # RIS writes 2022///, some exports a full date
    if not match:
        raise ValueError(f"year {text!r} is not a year" if text else "no year")
    year = int(match.group(1))
    if not EARLIEST_YEAR <= year <= this_year + 1:
        raise ValueError(f"year {year} is outside {EARLIEST_YEAR}-{this_year + 1}")
    return year


def _citations(text: str) -> int | None:
    digits = text.replace(",", "")
    if not digits:
        return None
    if not re.fullmatch(r"[0-9]+", digits):
        raise ValueError(f"citations {text!r} is not a whole number")
    # Length first: int() refuses more than 4,300 digits with a message about Python, not the row.
    if len(digits.lstrip("0")) > 10 or int(digits) > MAX_CITATIONS:
        raise ValueError(f"citations {text!r} is more than {MAX_CITATIONS:,}")
    return int(digits)


def check_entry(entry: Entry, this_year: int) -> Publication:
    """The entry's fields checked, as a Publication without its roster author; ValueError names the problem."""
    if not entry.title:
        raise ValueError("no title")
    if len(entry.title) > MAX_TITLE:
        raise ValueError(
            f"the title is {len(entry.title):,} characters long, more than {MAX_TITLE:,} (an unclosed quote or brace?)"
        )
    year = _year(entry.year, this_year)
    citations = _citations(entry.citations)
    doi = normalise_doi(entry.doi)
    if doi and not _DOI.match(doi):
        raise ValueError(f"doi {entry.doi!r} is not a DOI (they look like 10.1234/abc)")
    extra = {"url": entry.url, "arxiv_id": arxiv_id_of(entry)}
    return Publication(
        author="",
        title=entry.title,
        year=year,
        source="",
        venue=entry.venue,
        authors=entry.authors,
        citations=citations,
        abstract=entry.abstract,
        doi=doi,
        source_id=entry.url,
        fetched_at=entry.counted_at,
        extra={k: v for k, v in extra.items() if v},
    )


class Assigner:
    """Whose publication a row is: ``--author``, the row's roster-author column, or names on the paper."""

    def __init__(self, authors: Sequence[Author], author: Author | None = None) -> None:
        self.author = author
        self.matcher = NameMatcher.of(authors)
        self.names = {a.key: a.name for a in authors}
        self.keys = ", ".join(sorted(a.key for a in authors))
        self.lookup: dict[str, str] = {name_fold(a.name): a.key for a in authors}
        self.lookup.update({a.key.casefold(): a.key for a in authors})  # keys win over names

    def keys_for(self, entry: Entry) -> tuple[list[str], str]:
        """The roster keys ``entry`` belongs to and a warning ("" for none); ValueError when nobody."""
        if self.author is not None:
            key = self.author.key
            # the paper's authors, else the row's own author column (a name, or a roster key)
            named = self.lookup.get(entry.who.casefold()) if entry.who else None
            names = list(entry.authors) or ([] if named == key or not entry.who else split_authors(entry.who))
            if names and not any(self.matcher.is_author(key, n) for n in names):
                return [key], (
                    f"{self.author.name} is not among the paper's authors ({_short(names)}); "
                    if entry.authors
                    else f"the row's author is {entry.who}, not {self.author.name}; "
                ) + f"imported for {key} as --author asks"
            return [key], ""
        if entry.who:
            found = self.lookup.get(entry.who.casefold()) or self.lookup.get(name_fold(entry.who))
            if found:
                return [found], ""
            keys = self.matcher.keys_among(split_authors(entry.who))
            if keys:
                return keys, ""
            raise ValueError(
                f"unknown author {entry.who!r} (use a roster key: {self.keys}, or import the file with --author KEY)"
            )
        if not entry.authors:
            raise ValueError(f"no authors (import the file with --author KEY, one of {self.keys})")
        keys = self.matcher.keys_among(entry.authors)
        if not keys:
            raise ValueError(
                f"no roster author among the paper's authors ({_short(entry.authors)}); "
                f"if the list is one researcher's, import it with --author KEY ({self.keys}), "
                "or add the name form to the roster's names"
            )
        return keys, ""


def _short(names: Sequence[str], limit: int = 6) -> str:
    shown = "; ".join(names[:limit])
    return shown + (f"; and {len(names) - limit} more" if len(names) > limit else "")


def build_records(
    entries: Sequence[Entry], assigner: Assigner, *, source: str, extra: dict[str, str], fetched_at: str, this_year: int
) -> Built:
    """Checked records of ``entries``, one per roster author each belongs to, and the rows skipped or warned
    about. ``extra`` goes into every record (the file, its format); ``fetched_at`` stamps records whose
    file does not say when it counted their citations."""
    built = Built()
    for entry in entries:
        try:
            record = check_entry(entry, this_year)
            keys, warning = assigner.keys_for(entry)
        except ValueError as exc:
            built.bad.append(BadRow(entry.line, str(exc)))
            continue
        if warning:
            built.warnings.append(BadRow(entry.line, warning))
        for key in keys:
            built.records.append(
                dataclasses.replace(
                    record,
                    author=key,
                    source=source,
                    fetched_at=record.fetched_at or fetched_at,
                    extra={**record.extra, **extra},
                )
            )
    return built
