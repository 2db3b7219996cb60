"""Pure: find the records of one author that are versions of the same work, keep one, explain each merge.

Two records are the same work when they share a DOI or an arXiv id, when their titles are equal after
normalising case, punctuation, LaTeX and accents, or when their titles are nearly equal (rapidfuzz
ratio >= 95) and their years at most one apart. Near-equal titles stay apart when the words that
differ are numbers or acronyms/names ("VICReg" vs "VICRegL", "Part I" vs "Part II", "GPT-3" vs
"GPT-4") or plainly different words. The kept record is the peer-reviewed version when there is one.
"""

from __future__ import annotations

import collections
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
    partner: int = -1  # the index of the record it was joined with (merge_works), which explains its merge


def _item(index: int, record: Publication) -> _Item:
    plain = _plain(record.title)  # once: both the normal form and the acronyms start from it
    norm = _normalise_plain(plain)
    return _Item(index, record, norm, norm.replace(" ", ""), _acronyms(plain), _published_doi(record), arxiv_id(record))


def _near_miss(a: _Item, b: _Item) -> str:
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
    return _near_titles(a, b)


def _near_titles(a: _Item, b: _Item) -> str:
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


def _rank(item: _Item) -> tuple[bool, bool, bool, bool, int, int]:
    r = item.record
    return (not is_preprint(r), bool(r.venue), bool(r.abstract), bool(item.doi), r.citations or 0, -item.index)


def _enrich(kept: Publication, others: Sequence[Publication]) -> Publication:
    """Fill what the kept version lacks (abstract, DOI, authors, citations, citations per year, FWCI, citation
    percentile) from its other versions."""
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
        for name in ("citations_by_year", "fwci", "citation_percentile"):  # impact over time: the first version's
            if getattr(kept, name) in ((), None) and name not in changes and getattr(other, name) not in ((), None):
                changes[name] = getattr(other, name)
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


@dataclass(frozen=True)
class Merged:
    """What merging one list of records gives: one record per work, the merges, and the records compared only in
    part (left out of a block of more than ``blocking.CAP`` near-equal titles)."""

    kept: list[Publication]
    merges: list[Merge]
    capped: int = 0


def merge_publications(
    records: Iterable[Publication], progress: Callable[[int], None] | None = None
) -> tuple[list[Publication], list[Merge]]:
    """Collapse versions of one work into one record per work (per author): ``merge_works``' kept records and
    merges."""
    merged = merge_works(records, progress)
    return merged.kept, merged.merges


def merge_works(records: Iterable[Publication], progress: Callable[[int], None] | None = None) -> Merged:
    """Collapse versions of one work into one record per work (per author), in memory and time that grow with the
    number of records, not with its square.

    First, in one pass, records that share a DOI, an arXiv id or a normalised title become one work, unless that
    would put two different DOIs (or arXiv ids) into one work: then a record joins the work holding the key whose
    ids agree with its own (a record without ids, the first). Then near-equal titles: each form of a title (its
    words, year and names) once, paired by blocking.py (at most blocking.CAP pairs a form) in their order; two
    forms whose titles same_work accepts join each work holding the one with the work holding the other whose
    ids agree with its own. Without records whose ids could join either of two works, the works are those of
    comparing every pair (tests/test_merge.py).

    Returns the kept records (in the order their works first appear), one Merge per dropped record, and how many
    records blocking.py compared only in part. The kept record is the peer-reviewed version when there is one,
    filled in from its other versions. ``progress``, if given, is called with the number of records done after
    each author's records.
    """
    items = [_item(i, r) for i, r in enumerate(records)]
    by_author: dict[str, list[_Item]] = {}
    for item in items:
        by_author.setdefault(item.record.author, []).append(item)
    works: list[list[_Item]] = []
    capped = 0
    for group in by_author.values():
        found, left_out = _works(group)
        works += found
        capped += left_out
        if progress is not None:
            progress(len(group))

    kept: list[Publication] = []
    merges: list[Merge] = []
    for work in sorted(works, key=lambda w: w[0].index):
        best = max(work, key=_rank)
        dropped = [i for i in work if i is not best]
        kept.append(_enrich(best.record, [i.record for i in dropped]) if dropped else best.record)
        for item in dropped:
            merges.append(_merge(best.record, item.record, same_work(best, item) or _linked(work, item)))
    return Merged(kept, merges, capped)


def _linked(work: list[_Item], item: _Item) -> str:
    """Why ``item`` is in ``work`` when it is not the kept version's own version: the link that put it there."""
    partner = next(other for other in work if other.index == item.partner)
    return "same work as another merged version: " + (same_work(partner, item) or same_work(item, partner))


def _works(group: list[_Item]) -> tuple[list[list[_Item]], int]:
    """One author's records as works (each in the records' order), and the number of records compared only in
    part."""
    found = _Works(group)
    holding: dict[tuple[int, str], int | _Bucket] = {}  # (DOI, arXiv id or title, the key) -> the works holding it
    for position, item in enumerate(group):
        for field, key in enumerate((item.doi, item.arxiv, item.compact if item.norm else "")):
            if key:
                holding[field, key] = _join_through(holding.get((field, key)), position, found, holds=True)
    # near-equal titles: each form of a title (its words, year and names) once, with the works holding it
    forms: dict[tuple[str, int, frozenset[str]], int] = {}
    holders: list[int | _Bucket | None] = []  # per form, the works holding it
    members: list[list[int]] = []  # per form, one record of each work holding it
    records: list[int] = []  # per form, its records
    held: set[tuple[int, int]] = set()
    for position, item in enumerate(group):
        if item.norm and item.record.year is not None:
            form = forms.setdefault((item.norm, item.record.year, frozenset(item.acronyms)), len(forms))
            if form == len(members):
                holders.append(None)
                members.append([])
                records.append(0)
            records[form] += 1
            if (form, found.root(position)) not in held:
                held.add((form, found.root(position)))
                members[form].append(position)
                holders[form] = _join_through(holders[form], position, found, holds=True)
    first = [group[m[0]] for m in members]
    near = blocking.near_pairs([f.norm for f in first], [f.record.year for f in first], MAX_YEAR_GAP)
    for i, j in near.pairs():
        if first[i].compact == first[j].compact or not _near_titles(first[i], first[j]):
            continue
        # each work holding the one form joins the work holding the other whose ids agree with its own, if any
        few, many = (i, j) if len(members[i]) <= len(members[j]) else (j, i)
        for position in members[few]:
            holders[many] = _join_through(holders[many], position, found, holds=False)
    works: dict[int, list[_Item]] = {}
    for position, item in enumerate(group):
        works.setdefault(found.root(position), []).append(item)
        item.partner = group[found.partner[position]].index if found.partner[position] >= 0 else -1
    return list(works.values()), sum(records[form] for form in near.capped)


def _join_through(holders: int | _Bucket | None, position: int, found: _Works, holds: bool) -> int | _Bucket:
    """Join ``position``'s work with the work, among ``holders`` (the works holding one key: a record of the one
    work, or a _Bucket of several), whose ids agree with its own, if there is one; same_work holds for their
    records (they share the key, or the caller has checked their titles). Returns the holders afterwards, with
    ``position``'s work among them when it ``holds`` the key or joined one of them. A key most records hold
    alone costs one int, not a _Bucket."""
    if holders is None:
        if not holds:
            raise ValueError("a key no work holds has nothing to join")
        return position
    if isinstance(holders, int):
        if found.root(holders) == found.root(position):
            return holders
        if found.can_join(holders, position):
            found.join(holders, position)
            return holders
        if not holds:
            return holders
        first, holders = holders, _Bucket()
        holders.file(first, found)
        holders.file(position, found)
        return holders
    joined = False
    while (other := holders.joinable(position, found)) >= 0:
        found.join(other, position)
        joined = True
    if holds or joined or holders.own:
        holders.file(position, found)
    return holders


class _Works:
    """The works of one author's records so far (positions in the author's list): a union-find whose root is each
    work's earliest record, with the one DOI and the one arXiv id each work may hold, and for each record the one
    it was joined with (its partner, -1 for none), which explains its merge."""

    def __init__(self, group: list[_Item]) -> None:
        self.group = group
        self.parent = list(range(len(group)))
        self.doi = [i.doi for i in group]
        self.arxiv = [i.arxiv for i in group]
        self.partner = [-1] * len(group)

    def root(self, position: int) -> int:
        parent = self.parent
        while parent[position] != position:
            parent[position] = parent[parent[position]]
            position = parent[position]
        return position

    def ids(self, position: int) -> tuple[str, str]:
        """The DOI and the arXiv id of the work of ``position`` ("" for none)."""
        root = self.root(position)
        return self.doi[root], self.arxiv[root]

    def can_join(self, a: int, b: int) -> bool:
        """Whether the works of ``a`` and ``b`` are two and would hold no two DOIs or arXiv ids together."""
        ra, rb = self.root(a), self.root(b)
        return ra != rb and _compatible((self.doi[ra], self.arxiv[ra]), (self.doi[rb], self.arxiv[rb]))

    def join(self, a: int, b: int) -> None:
        """One work of the works of ``a`` and ``b`` (records that same_work joins, as can_join allows)."""
        ra, rb = self.root(a), self.root(b)
        keep, other = min(ra, rb), max(ra, rb)
        self.parent[other] = keep
        self.doi[keep] = self.doi[keep] or self.doi[other]
        self.arxiv[keep] = self.arxiv[keep] or self.arxiv[other]
        for one, two in ((a, b), (b, a)):
            if self.partner[one] < 0:
                self.partner[one] = two


def _compatible(one: tuple[str, str], two: tuple[str, str]) -> bool:
    """Whether two works' (DOI, arXiv id) can be one work's: no two different DOIs, no two different arXiv ids."""
    return all(not x or not y or x == y for x, y in zip(one, two))


# how a _Bucket files a work: under both its ids, its DOI, its arXiv id, or under nothing (every work)
_FILED: tuple[Callable[[tuple[str, str]], Any], ...] = (
    lambda ids: ids,
    lambda ids: ids[0],
    lambda ids: ids[1],
    lambda ids: "",
)
_BOTH, _DOI, _ARXIV, _ANY = range(4)


class _Bucket:
    """The works that hold one key (a DOI, an arXiv id or a normalised title), found without looking at them all.

    Once each record has been placed, any two works holding the same key hold two different DOIs or arXiv ids
    (otherwise the later one would have joined the earlier). So the works a record's work can join are found by
    their ids: a work is filed under both its ids, under its DOI, under its arXiv id and under nothing, and
    each list looked in holds only works whose ids agree with the record's. The lists hold records (of the
    works). A work's ids only fill in over time; an entry whose work has gained one, or has become the record's
    own work, is taken from the front of the list when it is met (and filed where it belongs now), so each
    entry is met a bounded number of times and the bucket costs time in proportion to its records.
    """

    __slots__ = ("lists", "own")

    def __init__(self) -> None:
        self.lists: tuple[dict[Any, collections.deque[int]], ...] = ({}, {}, {}, {})
        self.own = False  # whether the last joinable() took out entries of the record's own work

    def file(self, position: int, works: _Works) -> None:
        """Note that ``position``'s work holds this key (under its DOI and arXiv id as they are now)."""
        ids = works.ids(position)
        for kind, index in enumerate(self.lists):
            index.setdefault(_FILED[kind](ids), collections.deque()).append(position)

    def joinable(self, position: int, works: _Works) -> int:
        """A record of a work holding this key that ``position``'s work can join (of the works found, the one with
        the earliest record), or -1."""
        doi, arxiv = works.ids(position)
        self.own = False
        # the lists whose works' ids agree with the record's, the ones an entry can move to last
        lists: list[tuple[int, Any]]
        if doi and arxiv:
            lists = [(_BOTH, key) for key in (("", ""), ("", arxiv), (doi, ""), (doi, arxiv))]
        elif doi:
            lists = [(_DOI, ""), (_DOI, doi)]
        elif arxiv:
            lists = [(_ARXIV, ""), (_ARXIV, arxiv)]
        else:
            lists = [(_ANY, "")]
        fronts = [self._front(kind, key, position, works) for kind, key in lists]
        return min((f for f in fronts if f >= 0), key=works.root, default=-1)

    def _front(self, kind: int, key: Any, position: int, works: _Works) -> int:
        """The first entry of the list ``key`` of ``kind`` whose work is another than ``position``'s and still
        belongs there (its ids agree with the record's, so it can join), or -1."""
        index = self.lists[kind]
        entries = index.get(key)
        mine = works.root(position)
        while entries:
            entry = entries[0]
            if works.root(entry) != mine:
                filed = _FILED[kind](works.ids(entry))
                if filed == key:
                    return entry if works.can_join(entry, position) else -1
                index.setdefault(filed, collections.deque()).append(entry)  # its work gained an id
            else:
                self.own = True
            entries.popleft()
        return -1


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
