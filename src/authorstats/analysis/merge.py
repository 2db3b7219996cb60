"""Pure: find the records of one author that are versions of the same work, keep one, explain each merge.

Two records are the same work when they share a DOI or an arXiv id, when their titles are equal after
normalising case, punctuation, LaTeX and accents, or when their titles are nearly equal (rapidfuzz
ratio >= 95) and their years at most one apart. Near-equal titles stay apart when the words that
differ are numbers or acronyms/names ("VICReg" vs "VICRegL", "Part I" vs "Part II", "GPT-3" vs
"GPT-4") or plainly different words. The kept record is the peer-reviewed version when there is one.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from authorstats.analysis import blocking
from authorstats.identifiers import ARXIV_DOI as _ARXIV_DOI
from authorstats.identifiers import normalise_doi
from authorstats.models import Publication
from authorstats.text import strip_accents

FUZZY_MIN = 95.0
MAX_YEAR_GAP = 1
MERGE_COLUMNS = (
    "author",
    "kept_title",
    "kept_source",
    "kept_year",
    "kept_venue",
    "dropped_title",
    "dropped_source",
    "dropped_year",
    "dropped_venue",
    "reason",
    "counted_year",
)

_PREPRINT = re.compile(
    r"\b(arxiv|corr|preprints?|biorxiv|medrxiv|chemrxiv|techrxiv|ssrn|research square|"
    r"openreview\.net|submitted|under review)\b",
    re.IGNORECASE,
)
_ARXIV_TEXT = re.compile(
    r"(?:arxiv[:\s/]*|arxiv\.org/(?:abs|pdf)/|abs/)(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
_ARXIV_BARE = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?$", re.IGNORECASE)
# LaTeX: accents (\'e, \"{o}, \c{c}) keep their letter; other commands vanish, their {arguments} stay.
_LATEX_ACCENT = re.compile(r"\\[`'^\"~=.]\s*\{?\s*([A-Za-z])\s*\}?|\\[cvuHkrdbt]\s*\{\s*([A-Za-z])\s*\}")
_LATEX_LETTERS = {
    r"\ss": "ss",
    r"\o": "o",
    r"\O": "O",
    r"\ae": "ae",
    r"\AE": "AE",
    r"\oe": "oe",
    r"\OE": "OE",
    r"\aa": "a",
    r"\AA": "A",
    r"\l": "l",
    r"\L": "L",
    r"\i": "i",
    r"\&": " and ",
}
_LATEX_COMMAND = re.compile(r"\\([A-Za-z]+)\*?|\\.")
_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
}
_ROMAN = {"ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii"}
_SMALL_WORDS = {
    "a",
    "an",
    "the",
    "of",
    "for",
    "on",
    "in",
    "with",
    "and",
    "to",
    "via",
    "using",
    "by",
    "from",
    "at",
    "towards",
    "toward",
    "its",
    "their",
    "is",
    "are",
}


@dataclass(frozen=True)
class Merge:
    """One record counted as another's version: what was kept, what was dropped, and why."""

    author: str
    kept_title: str
    kept_source: str
    kept_year: int | None
    kept_venue: str
    dropped_title: str
    dropped_source: str
    dropped_year: int | None
    dropped_venue: str
    reason: str
    counted_year: int | None = None  # the year the work counts in (report --year-basis); None: kept_year

    def to_row(self) -> dict[str, object]:
        return {name: ("" if getattr(self, name) is None else getattr(self, name)) for name in MERGE_COLUMNS}


# --- normalising ---------------------------------------------------------------------------------


def _delatex(text: str) -> str:
    if "\\" in text:  # accents, letters and commands all start with a backslash
        text = _LATEX_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
        for command, letters in _LATEX_LETTERS.items():
            text = re.sub(re.escape(command) + r"(?![A-Za-z])", letters, text)
        text = _LATEX_COMMAND.sub(_latex_symbol, text)
    return re.sub(r"[${}_^]", "", text)  # math delimiters, groups, sub- and superscript marks


def _latex_symbol(match: re.Match[str]) -> str:
    """``\\beta`` -> β (as a Unicode title would write it), ``\\ell`` -> l; other commands vanish."""
    name = match.group(1) or ""
    if name.lower() in _GREEK:
        case = "CAPITAL" if name[0].isupper() else "SMALL"
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    return "l" if name == "ell" else " "


def _plain(text: str) -> str:
    """Title without LaTeX and accents, case kept: the base of both normal form and acronym spotting."""
    text = strip_accents(_delatex(text or ""))
    return text.replace("&", " and ")


def normalise_title(title: str) -> str:
    """Lower-case words of ``title`` without LaTeX, accents or punctuation, separated by one space."""
    return _normalise_plain(_plain(title))


def _normalise_plain(plain: str) -> str:
    text = re.sub(r"[^\w\s]|_", " ", plain.casefold())
    return " ".join(text.split())


def _acronyms(plain: str) -> set[str]:
    """Words of a title (as ``_plain`` gives it) that look like names of methods or models: VICReg, BERT, GPT-3,
    ResNet50."""
    found = set()
    for word in re.findall(r"[^\W_]+", plain):
        upper = sum(ch.isupper() for ch in word)
        if (
            upper >= 2
            or (upper >= 1 and any(ch.isdigit() for ch in word))
            or (word[1:] and upper and not word[0].isupper())
        ):
            found.add(word.casefold())
    return found


def arxiv_id(record: Publication) -> str:
    """The arXiv id of a record (version dropped) from its extra fields, DOI, venue or source id; "" if none."""
    given = str(record.extra.get("arxiv_id") or "").strip()
    if given:
        match = _ARXIV_BARE.match(given) or _ARXIV_TEXT.search(given)
        if match:
            return match.group(1).lower()
    match = _ARXIV_DOI.match(normalise_doi(record.doi))
    if match:
        bare = _ARXIV_BARE.match(match.group(1))
        return (bare.group(1) if bare else match.group(1)).lower()
    for text in (record.source_id, record.venue):
        match = _ARXIV_TEXT.search(text or "")
        if match:
            return match.group(1).lower()
    return ""


def _published_doi(record: Publication) -> str:
    """The record's DOI unless it is an arXiv DOI (10.48550/arXiv...), which names the preprint."""
    doi = normalise_doi(record.doi)
    return "" if _ARXIV_DOI.match(doi) else doi


def is_preprint(record: Publication) -> bool:
    """True for an arXiv/CoRR/preprint version (or a record with no venue at all)."""
    extra = record.extra
    if str(extra.get("publtype", "")).lower() == "informal":
        return True
    if (
        str(extra.get("openalex_type", "")).lower() == "preprint"
        or str(extra.get("venue_type", "")).lower() == "repository"
    ):
        return True
    if _ARXIV_DOI.match(normalise_doi(record.doi)):
        return True
    venue = (record.venue or "").strip()
    return not venue or bool(_PREPRINT.search(venue))


# --- deciding ------------------------------------------------------------------------------------


@dataclass
class _Item:
    index: int
    record: Publication
    norm: str
    compact: str
    acronyms: set[str]
    doi: str
    arxiv: str


def _item(index: int, record: Publication) -> _Item:
    plain = _plain(record.title)  # once: both the normal form and the acronyms start from it
    norm = _normalise_plain(plain)
    return _Item(index, record, norm, norm.replace(" ", ""), _acronyms(plain), _published_doi(record), arxiv_id(record))


def _near_miss(a: _Item, b: _Item) -> str:
    """Why two nearly equal titles are different works; "" when their differences are only spelling."""
    ta, tb = a.norm.split(), b.norm.split()
    names = a.acronyms | b.acronyms
    matcher = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        da, db = ta[i1:i2], tb[j1:j2]
        for word in da + db:
            if any(ch.isdigit() for ch in word) or word in _ROMAN:
                return f"titles differ in a number ({' '.join(da) or '-'} / {' '.join(db) or '-'})"
            if word in names:
                return f"titles differ in a name ({' '.join(da) or '-'} / {' '.join(db) or '-'})"
        if tag == "replace" and len(da) == len(db):
            if all(fuzz.ratio(x, y) >= 75 for x, y in zip(da, db)):
                continue
        elif tag == "replace":
            if fuzz.ratio("".join(da), "".join(db)) >= 85:
                continue
        elif all(word in _SMALL_WORDS for word in da + db):
            continue
        return f"titles differ in words ({' '.join(da) or '-'} / {' '.join(db) or '-'})"
    return ""


def same_work(a: _Item, b: _Item) -> str:
    """Why ``a`` and ``b`` are one work ("" when they are not)."""
    if a.record.author != b.record.author:
        return ""
    if a.doi and a.doi == b.doi:
        return f"same DOI {a.doi}"
    if a.arxiv and a.arxiv == b.arxiv:
        return f"same arXiv id {a.arxiv}"
    if (a.doi and b.doi) or (a.arxiv and b.arxiv):
        return ""  # two different DOIs, or two different arXiv ids: two publications
    if not a.norm or not b.norm:
        return ""
    if a.compact == b.compact:
        if _fields(a.record) == _fields(b.record):
            return "duplicate record"
        return "same title after normalising case, punctuation, LaTeX and accents"
    if a.record.year is None or b.record.year is None or abs(a.record.year - b.record.year) > MAX_YEAR_GAP:
        return ""
    la, lb = len(a.norm), len(b.norm)
    if 200 * min(la, lb) / (la + lb) < FUZZY_MIN:  # the best ratio these lengths allow is too low
        return ""
    score = fuzz.ratio(a.norm, b.norm)
    if score < FUZZY_MIN or _near_miss(a, b):
        return ""
    return f"nearly the same title (similarity {score:.0f}) and years {a.record.year}/{b.record.year}"


def _fields(record: Publication) -> tuple[object, ...]:
    return (record.title, record.year, record.venue, record.doi, record.source)


def _conflict(group_a: list[_Item], group_b: list[_Item]) -> bool:
    """Joining the groups would put two different DOIs (or arXiv ids) into one work."""
    for attr in ("doi", "arxiv"):
        left = {getattr(i, attr) for i in group_a if getattr(i, attr)}
        right = {getattr(i, attr) for i in group_b if getattr(i, attr)}
        if left and right and not left & right:
            return True
    return False


def _rank(item: _Item) -> tuple[bool, bool, bool, bool, int, int]:
    r = item.record
    return (not is_preprint(r), bool(r.venue), bool(r.abstract), bool(item.doi), r.citations or 0, -item.index)


def _enrich(kept: Publication, others: Sequence[Publication]) -> Publication:
    """Fill what the kept version lacks (abstract, DOI, authors, citations) from its other versions."""
    changes: dict[str, Any] = {}  # field name -> value, for dataclasses.replace
    for other in others:
        for name in ("abstract", "doi"):
            if (
                not (changes.get(name) or getattr(kept, name))
                and getattr(other, name)
                and not (name == "doi" and _ARXIV_DOI.match(normalise_doi(other.doi)))
            ):
                changes[name] = getattr(other, name)
        if not (changes.get("authors") or kept.authors) and other.authors:
            changes["authors"] = other.authors
    counts = [c for c in [kept.citations, *(o.citations for o in others)] if c is not None]
    if counts and max(counts) != kept.citations:
        changes["citations"] = max(counts)
    extra = dict(kept.extra)
    sources = sorted({o.source for o in others} - {kept.source})
    if sources:
        extra["merged_sources"] = sources
    if not extra.get("arxiv_id"):
        found = next((arxiv_id(o) for o in others if arxiv_id(o)), "")
        if found:
            extra["arxiv_id"] = found
    return dataclasses.replace(kept, **changes, extra=extra)


def merge_publications(
    records: Iterable[Publication], progress: Callable[[int], None] | None = None
) -> tuple[list[Publication], list[Merge]]:
    """Collapse versions of one work into one record per work (per author).

    Returns the kept records (in the order their works first appear) and one Merge per dropped record.
    The kept record is the peer-reviewed version when there is one, filled in from its other versions.
    Only the pairs blocking.py finds are compared, with the decisions of comparing every pair.
    ``progress``, if given, is called with the number of records done after each author's records.
    """
    items = [_item(i, r) for i, r in enumerate(records)]
    parent = list(range(len(items)))
    members: dict[int, list[_Item]] = {i: [item] for i, item in enumerate(items)}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_author: dict[str, list[_Item]] = {}
    for item in items:
        by_author.setdefault(item.record.author, []).append(item)
    for group in by_author.values():
        # in the order of comparing every pair (a before b), as the joins depend on it (_conflict)
        for pos_a, pos_b in _pairs(group):
            a, b = group[pos_a], group[pos_b]
            ra, rb = root(a.index), root(b.index)
            if ra == rb or not same_work(a, b) or _conflict(members[ra], members[rb]):
                continue
            parent[rb] = ra
            members[ra].extend(members.pop(rb))
        if progress is not None:
            progress(len(group))

    kept: list[Publication] = []
    merges: list[Merge] = []
    for start in sorted(members):
        group = members[start]
        best = max(group, key=_rank)
        dropped = [i for i in group if i is not best]
        kept.append(_enrich(best.record, [i.record for i in dropped]) if dropped else best.record)
        for item in dropped:
            reason = same_work(best, item) or "same work as another merged version: " + next(
                (same_work(other, item) for other in group if other is not item and same_work(other, item)), ""
            )
            merges.append(_merge(best.record, item.record, reason))
    return kept, merges


def _pairs(group: list[_Item]) -> list[tuple[int, int]]:
    """The pairs of one author's records same_work can join (positions in ``group``), a before b."""
    return blocking.candidate_pairs(
        [(i.doi, i.arxiv, i.compact if i.norm else "") for i in group],
        [i.norm for i in group],
        [i.record.year for i in group],
        MAX_YEAR_GAP,
    )


def _merge(kept: Publication, dropped: Publication, reason: str) -> Merge:
    return Merge(
        author=kept.author,
        kept_title=kept.title,
        kept_source=kept.source,
        kept_year=kept.year,
        kept_venue=kept.venue,
        dropped_title=dropped.title,
        dropped_source=dropped.source,
        dropped_year=dropped.year,
        dropped_venue=dropped.venue,
        reason=reason,
    )
