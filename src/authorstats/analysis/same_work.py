"""Pure: whether two records of one author are versions of the same work, and why: a shared DOI or arXiv id, equal
normalised titles, or nearly equal titles (rapidfuzz ratio >= FUZZY_MIN) whose years are at most MAX_YEAR_GAP apart
and whose differing words are not numbers, names or plainly different words. Also which record is a preprint, and a
record's arXiv id wherever the source put it. merge.py groups the records with these answers."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from authorstats.analysis.titles import acronyms, normalise_plain, plain_title
from authorstats.identifiers import ARXIV_DOI as _ARXIV_DOI
from authorstats.identifiers import normalise_doi
from authorstats.models import Publication

FUZZY_MIN = 95.0
MAX_YEAR_GAP = 1

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


def published_doi(record: Publication) -> str:
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


@dataclass
class Item:
    index: int
    record: Publication
    norm: str
    compact: str
    acronyms: set[str]
    doi: str
    arxiv: str
    partner: int = -1  # the index of the record it was joined with (merge_works), which explains its merge


def item_of(index: int, record: Publication) -> Item:
    plain = plain_title(record.title)  # once: both the normal form and the acronyms start from it
    norm = normalise_plain(plain)
    return Item(index, record, norm, norm.replace(" ", ""), acronyms(plain), published_doi(record), arxiv_id(record))


def _near_miss(a: Item, b: Item) -> str:
    """Why two nearly equal titles are different works; "" when their differences are only spelling."""
    ta, tb = a.norm.split(), b.norm.split()
    names = a.acronyms | b.acronyms
    for tag, i1, i2, j1, j2 in _changes(ta, tb):
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


def _changes(ta: list[str], tb: list[str]) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from the words ``ta`` to ``tb``, but for the equal runs. Titles of as many words that differ
    in one word only (a typo, a number), a word neither title has elsewhere, are compared often: their one change
    is found without difflib (its longest matching runs are then the words before and after that word)."""
    if len(ta) == len(tb):
        differ = [k for k, (x, y) in enumerate(zip(ta, tb)) if x != y]
        if len(differ) == 1 and ta[differ[0]] not in tb and tb[differ[0]] not in ta:
            k = differ[0]
            return [("replace", k, k + 1, k, k + 1)]
    matcher = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    return [op for op in matcher.get_opcodes() if op[0] != "equal"]


def same_work(a: Item, b: Item) -> str:
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
    return near_titles(a, b)


def near_titles(a: Item, b: Item) -> str:
    """Why the titles of ``a`` and ``b`` (not equal after normalising) make them one work ("" when they do not)."""
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
