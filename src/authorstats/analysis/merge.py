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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from authorstats.analysis import blocking
from authorstats.analysis.same_work import FUZZY_MIN as FUZZY_MIN  # where merging's callers find these
from authorstats.analysis.same_work import MAX_YEAR_GAP as MAX_YEAR_GAP
from authorstats.analysis.same_work import Item, item_of, near_titles, same_work
from authorstats.analysis.same_work import arxiv_id as arxiv_id
from authorstats.analysis.same_work import is_preprint as is_preprint
from authorstats.analysis.titles import normalise_title as normalise_title
from authorstats.identifiers import ARXIV_DOI as _ARXIV_DOI
from authorstats.identifiers import normalise_doi
from authorstats.models import Publication

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


def _rank(item: Item) -> tuple[bool, bool, bool, bool, int, int]:
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
    items = [item_of(i, r) for i, r in enumerate(records)]
    by_author: dict[str, list[Item]] = {}
    for item in items:
        by_author.setdefault(item.record.author, []).append(item)
    works: list[list[Item]] = []
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


def _linked(work: list[Item], item: Item) -> str:
    """Why ``item`` is in ``work`` when it is not the kept version's own version: the link that put it there."""
    partner = next(other for other in work if other.index == item.partner)
    return "same work as another merged version: " + (same_work(partner, item) or same_work(item, partner))


def _works(group: list[Item]) -> tuple[list[list[Item]], int]:
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
        if first[i].compact == first[j].compact or not near_titles(first[i], first[j]):
            continue
        # each work holding the one form joins the work holding the other whose ids agree with its own, if any
        few, many = (i, j) if len(members[i]) <= len(members[j]) else (j, i)
        for position in members[few]:
            holders[many] = _join_through(holders[many], position, found, holds=False)
    works: dict[int, list[Item]] = {}
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

    def __init__(self, group: list[Item]) -> None:
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
