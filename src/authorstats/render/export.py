"""The window's works as files other tools import: BibTeX, RIS, CSL JSON and CSV; values in, text out.

One entry per work (a work of several roster authors once), with its topic as a keyword and its DOI,
link and arXiv id when known. BibTeX keys are unique and LaTeX's special characters escaped; RIS lines
follow the RIS tags (``TY  - `` first, ``ER  - `` last); CSL JSON is the list citeproc and Zotero read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.names import PersonName, person_name
from authorstats.text import clean_control, strip_accents

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.config.venues import VenueAliases

FORMATS = ("bibtex", "ris", "csljson", "csv")
CSV_COLUMNS = [
    "key",
    "type",
    "title",
    "authors",
    "year",
    "venue",
    "venue_name",
    "topic",
    "doi",
    "url",
    "arxiv_id",
    "roster_authors",
]


@dataclass(frozen=True)
class Work:
    """One work as every format writes it."""

    key: str  # the BibTeX key, also the CSL JSON id
    kind: str  # conference, journal, preprint or "" (not known)
    title: str
    authors: tuple[str, ...]
    year: int | None
    venue: str  # as the source wrote it
    venue_name: str  # as the venue aliases name it
    topic: str
    doi: str
    url: str
    arxiv_id: str
    roster_authors: str


def _text(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(clean_control(value).split())


def _key_base(authors: Sequence[str], year: int | None, title: str) -> str:
    family = person_name(authors[0]).family if authors else "anon"
    word = next(
        (
            w
            for w in re.findall(r"[A-Za-z0-9]+", strip_accents(title))
            if w.lower() not in {"a", "an", "the", "on", "of", "to", "in", "for"}
        ),
        "work",
    )
    base = re.sub(r"[^A-Za-z0-9]", "", strip_accents(family)).lower() or "anon"
    return f"{base}{year or 'nd'}{word.lower()}"


def works(frame: pd.DataFrame, names: dict[str, str], aliases: VenueAliases | None) -> list[Work]:
    """The works of classified records (one per work, as analysis.works.distinct_works gives them), with a
    unique key each. ``names``: roster key -> name, the authors of a record that has no author list."""
    from authorstats.analysis.collaborators import split_names
    from authorstats.analysis.venues import NO_VENUE, WORKSHOP, venue_name

    out: list[Work] = []
    used: set[str] = set()
    for row in frame.to_dict("records"):
        authors = tuple(_text(a) for a in split_names(row.get("authors"))) or tuple(
            names.get(k, k) for k in str(row.get("roster_authors") or row.get("author") or "").split("; ") if k
        )
        year = int(row["year"]) if isinstance(row.get("year"), (int, float)) and row["year"] == row["year"] else None
        title = _text(row.get("title"))
        venue = _text(row.get("venue"))
        named = venue_name(venue, aliases)
        kind = aliases.kind(named.removesuffix(f" {WORKSHOP}")) if aliases is not None else ""
        base = _key_base(authors, year, title)
        key, n = base, 0
        while key in used:  # a, b, ... z, aa, ab ...: unique however many clash
            n += 1
            key = base + _suffix(n)
        used.add(key)
        out.append(
            Work(
                key,
                kind,
                title,
                authors,
                year,
                venue,
                "" if named == NO_VENUE else named,
                _text(row.get("topic")),
                _text(row.get("doi")),
                _text(row.get("url")),
                _text(row.get("arxiv_id")),
                _text(row.get("roster_authors")),
            )
        )
    return out


def _suffix(n: int) -> str:
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


# --- BibTeX -----------------------------------------------------------------------------------------

_LATEX = {
    "\\": r"\textbackslash{}",
    # Not \{ and \}: BibTeX and bibtexparser count those as braces too, so a title with one unclosed brace
    # ("Learning on the cube {0,1") would run into the next entry. These commands hold a balanced {} each.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_LATEX_SPECIAL = re.compile(r"[\\{}%&$#_~^]")


def latex(text: str) -> str:
    """``text`` with LaTeX's special characters escaped: no brace of ``text`` reaches the file as a brace (each is a
    command with a balanced ``{}``), so every BibTeX parser finds each entry's end, and nothing is a command."""
    return _LATEX_SPECIAL.sub(lambda m: _LATEX[m.group(0)], text)


def _bibtex_entry(work: Work) -> str:
    kind = {"conference": "inproceedings", "journal": "article"}.get(work.kind, "misc")
    fields: list[tuple[str, str]] = [("title", "{" + latex(work.title) + "}")]  # inner braces keep its case
    if work.authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in work.authors)))
    if work.year is not None:
        fields.append(("year", str(work.year)))
    venue = work.venue_name or work.venue
    if venue:
        field = {"inproceedings": "booktitle", "article": "journal"}.get(kind, "howpublished")
        fields.append((field, latex(venue)))
    if work.doi:
        fields.append(("doi", latex(work.doi)))
    if work.url:
        fields.append(("url", latex(work.url)))
    if work.arxiv_id:
        fields += [("eprint", latex(work.arxiv_id)), ("archiveprefix", "arXiv")]
    if work.topic:
        fields.append(("keywords", latex(work.topic)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{work.key},\n{body}\n}}\n"


def _bibtex_part(part: str) -> str:
    # "and" or a comma inside a part would split the name: braces keep it one part
    return "{" + latex(part) + "}" if " and " in f" {part.lower()} " or "," in part else latex(part)


def _bibtex_name(name: str) -> str:
    """BibTeX's "Family, Given" (particles in the family: "van der Maaten, L."), or "Family, Jr., Given"."""
    split = person_name(name)
    parts = [_bibtex_part(split.family)]
    if split.suffix:
        parts.append(_bibtex_part(split.suffix))
    if split.given or split.suffix:
        parts.append(_bibtex_part(split.given))
    return ", ".join(parts)


def bibtex(items: Sequence[Work]) -> str:
    return "\n".join(_bibtex_entry(w) for w in items)


# --- RIS --------------------------------------------------------------------------------------------


def _ris_entry(work: Work) -> str:
    kind = {"conference": "CPAPER", "journal": "JOUR"}.get(work.kind, "GEN")
    lines = [("TY", kind), ("ID", work.key), ("TI", work.title)]
    lines += [("AU", _ris_name(person_name(a))) for a in work.authors]
    if work.year is not None:
        lines.append(("PY", str(work.year)))
    venue = work.venue_name or work.venue
    if venue:
        lines.append(("T2", venue))
    if work.venue and work.venue != venue:
        lines.append(("N1", f"Venue as the source gave it: {work.venue}"))
    if work.doi:
        lines.append(("DO", work.doi))
    if work.url:
        lines.append(("UR", work.url))
    if work.arxiv_id:
        lines.append(("N1", f"arXiv: {work.arxiv_id}"))
    if work.topic:
        lines.append(("KW", work.topic))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\n" for tag, value in lines)


def _ris_name(name: PersonName) -> str:
    """RIS's "Family, Given, Suffix" ("King, Martin Luther, Jr.")."""
    return ", ".join(p for p in (name.family, name.given, name.suffix) if p) if name.given else name.family


def ris(items: Sequence[Work]) -> str:
    return "\n".join(_ris_entry(w) for w in items)


# --- CSL JSON ---------------------------------------------------------------------------------------


def _csl_item(work: Work) -> dict[str, object]:
    kind = {"conference": "paper-conference", "journal": "article-journal", "preprint": "article"}
    item: dict[str, object] = {"id": work.key, "type": kind.get(work.kind, "article"), "title": work.title}
    people = []
    for name in work.authors:
        split = person_name(name)
        person = {"family": split.family, "given": split.given} if split.given else {"literal": split.family}
        people.append({**person, "suffix": split.suffix} if split.suffix else person)
    if people:
        item["author"] = people
    if work.year is not None:
        item["issued"] = {"date-parts": [[work.year]]}
    venue = work.venue_name or work.venue
    if venue:
        item["container-title"] = venue
    if work.doi:
        item["DOI"] = work.doi
    if work.url:
        item["URL"] = work.url
    if work.arxiv_id:
        item["number"] = f"arXiv:{work.arxiv_id}"
    if work.topic:
        item["keyword"] = work.topic
    return item


def csljson(items: Sequence[Work]) -> str:
    return json.dumps([_csl_item(w) for w in items], ensure_ascii=False, indent=2) + "\n"


# --- CSV --------------------------------------------------------------------------------------------


def table(items: Sequence[Work]) -> pd.DataFrame:
    """CSV_COLUMNS, one row per work; the shell writes it spreadsheet-safe."""
    import pandas as pd

    rows = [
        {
            "key": w.key,
            "type": w.kind,
            "title": w.title,
            "authors": "; ".join(w.authors),
            "year": w.year,
            "venue": w.venue,
            "venue_name": w.venue_name,
            "topic": w.topic,
            "doi": w.doi,
            "url": w.url,
            "arxiv_id": w.arxiv_id,
            "roster_authors": w.roster_authors,
        }
        for w in items
    ]
    frame = pd.DataFrame(rows, columns=CSV_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def encode(items: Sequence[Work], fmt: str) -> str:
    """The works in ``fmt`` (bibtex, ris or csljson; csv is ``table``, written by the shell)."""
    encoders = {"bibtex": bibtex, "ris": ris, "csljson": csljson}
    return encoders[fmt](items)


def shared_note(items: Sequence[Work]) -> str:
    """Why the export counts fewer works than the authors' tables add up to, when it does ("" else)."""
    in_lists = sum(len([k for k in w.roster_authors.split("; ") if k]) for w in items)
    shared = [w for w in items if "; " in w.roster_authors]
    if not shared:
        return ""
    example = max(shared, key=lambda w: w.roster_authors.count(";"))
    return (
        f" (the authors' tables count {in_lists}: {len(shared)} work{'s are' if len(shared) > 1 else ' is'} in "
        f'several authors\' lists, written once, e.g. "{example.title}" ({example.roster_authors}))'
    )
