"""Pure: the pairs of one author's titles that merge.py compares for near-equal titles, found without comparing
every pair, never more than ``CAP`` for one title nor through any one piece of title.

Records that share a DOI, an arXiv id or a normalised title are grouped by merge.py in one pass, without
comparing pairs. Two other titles can be one work only when their rapidfuzz ratio is at least
``FUZZY_MIN`` (95) and their years are at most ``MAX_YEAR_GAP`` apart. A prefix filter on character
trigrams finds such pairs:

* ``fuzz.ratio(a, b) >= 95`` means an indel distance ``d <= (len(a) + len(b)) / 20``, and the length
  test ``same_work`` makes first leaves ``len(b) <= len(a) * 105 / 95``; so ``d <= 10 * len(a) // 95``.
* One inserted or deleted character removes at most 3 of a title's trigrams, so at most ``3 d`` of
  the distinct trigrams of ``a`` are missing from ``b`` (and the other way round).
* Order all trigrams of the author's titles rarest first. If two sets differ by at most ``k``
  members each, the first ``k + 1`` members of one in that order include a member of the other (Xiao et
  al., "Ed-Join", VLDB 2008). So each title is indexed under its ``3 * (10 * len // 95) + 1`` rarest
  trigrams (under all of them when it has fewer), and compared with the titles it shares one of them with:
  rare trigrams make small blocks.
* Titles shorter than three characters have no trigram; they can only equal another title, which
  merge.py's exact grouping finds.

The cap: a block (the titles indexed under one trigram) of more than ``CAP`` titles pairs only its first
``CAP`` (in the records' order), and a title is given at most ``CAP`` pairs, the nearest in its blocks
first. Without it, titles that differ in one place only ("Self-supervised learning number 1", "...
number 2", ...) would share every block and be compared pairwise, in memory and time growing with the
square of their number. With it, the pairs are at most ``CAP`` per title. The titles left out of a
block or cut short are returned (``NearPairs.capped``): a near-equal title they share only that block
with, or that came after their ``CAP`` pairs, is not compared with them, and the report says how many
records that concerns.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Q = 3  # characters per gram
# At most this many pairs for one title, and titles through one trigram (docs/sources.md, "One count per paper"):
# 20,000 titles "Self-supervised learning number N" merge in 6 s of CPU with it; 8,000 records of one author from
# benchmarks/inputs.py (their largest block holds 286 titles) put 226 past it, with the merges of no cap; the bundled
# data's largest block holds 5. benchmarks/RESULTS.md, "Bounded merging".
CAP = 300


@dataclass(frozen=True)
class NearPairs:
    """The pairs to compare, and the titles compared only in part: left out of a block of more than ``CAP``, or
    given ``CAP`` pairs before their blocks were done (positions, ascending)."""

    codes: np.ndarray  # each pair (i, j), i < j, as i * size + j, ascending
    size: int
    capped: list[int]

    def pairs(self) -> Iterator[tuple[int, int]]:
        """The pairs ``(i, j)``, ``i < j``, in the order i, then j (one at a time: there can be millions)."""
        for code in self.codes.tolist():
            yield divmod(code, self.size)


def max_distance(length: int) -> int:
    """The largest indel distance a title of ``length`` characters can have to one it nearly equals."""
    return 10 * length // 95


def near_pairs(titles: Sequence[str], years: Sequence[int | None], max_year_gap: int, cap: int = CAP) -> NearPairs:
    """The pairs of positions whose titles can be nearly equal: every pair with a ratio of at least 95 whose years
    are at most ``max_year_gap`` apart, unless one of them is in ``capped`` (left out of a block of more than ``cap``
    titles, or given ``cap`` pairs before its blocks were done).

    ``titles``: normalised titles ("" for none); ``years``: their years (None: never nearly equal to another).
    """
    import numpy as np

    n = len(titles)
    room = max((len(t) for t in titles), default=0) + 2  # an entry is coded rank * room + place + 1
    codes, owners = _entries(titles, years, room)
    tokens, owned, starts = codes // room, owners, codes % room - 1
    order = np.lexsort((owned, tokens))
    tokens, owned, starts = tokens[order], owned[order], starts[order]
    # each entry's place in its block (the block's entries are in the records' order): keep the first `cap`
    first = np.flatnonzero(np.r_[True, tokens[1:] != tokens[:-1]]) if len(tokens) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[first, len(tokens)])
    place = np.arange(len(tokens)) - np.repeat(first, sizes)
    keep = place < cap
    codes, spent = _sharing(tokens[keep], owned[keep], starts[keep], titles, years, max_year_gap, cap)
    capped = _distinct(np.concatenate([owned[~keep], spent])).tolist()
    return NearPairs(codes, n, capped)


def _entries(titles: Sequence[str], years: Sequence[int | None], room: int) -> tuple[np.ndarray, np.ndarray]:
    """Each title's index entries and their titles: for a title of at least Q characters with a year, its
    ``Q * max_distance(len) + 1`` rarest trigrams (rarest: in the fewest titles, ties by the trigram), each coded
    ``rank * room + place + 1``, place being where the trigram starts in the title, -1 when it occurs twice there.
    Computed on the titles' code points as arrays, the trigrams never made into strings: a trigram is its three
    code points in one integer, which orders as the three-character strings do."""
    import numpy as np

    lengths = np.array([len(t) for t in titles], dtype=np.int64)
    indexed = np.flatnonzero((lengths >= Q) & np.array([y is not None for y in years], dtype=bool))
    if not len(indexed):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    points = np.frombuffer("".join(titles).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    offsets = np.r_[0, np.cumsum(lengths)[:-1]]
    count = lengths[indexed] - Q + 1  # trigrams per indexed title
    owner = np.repeat(indexed, count)
    place = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count)
    at = offsets[owner] + place
    gram = (points[at] << 42) | (points[at + 1] << 21) | points[at + 2]  # code points are below 2**21
    distinct, gram = np.unique(gram, return_inverse=True)  # each trigram as its place among them, in their order
    # each title's distinct trigrams, at their first place, or -1 for one it has more than once (the entries come by
    # title, then place: a stable sort by title and trigram keeps the first place first)
    order = np.argsort(owner * len(distinct) + gram, kind="stable")
    owner, gram, place = owner[order], gram[order], place[order]
    first = np.flatnonzero(np.r_[True, (owner[1:] != owner[:-1]) | (gram[1:] != gram[:-1])])
    repeated = np.diff(np.r_[first, len(owner)]) > 1
    owner, gram, place = owner[first], gram[first], np.where(repeated, -1, place[first])
    # rank: the trigrams in the fewest titles first, ties by the trigram
    rank = np.empty(len(distinct), dtype=np.int64)
    rank[np.argsort(np.bincount(gram, minlength=len(distinct)), kind="stable")] = np.arange(len(distinct))
    coded = rank[gram] * room + place + 1
    # each title's first `width` entries, its rarest trigrams (a title's entries differ: their order is one)
    order = np.argsort(owner * (len(distinct) * room) + coded)
    coded, owner = coded[order], owner[order]
    first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    within = np.arange(len(owner)) - np.repeat(first, np.diff(np.r_[first, len(owner)]))
    keep = within < Q * (10 * lengths[owner] // 95) + 1  # Q * max_distance(len) + 1
    return coded[keep], owner[keep]


def _sharing(
    tokens: np.ndarray,
    owners: np.ndarray,
    starts: np.ndarray,
    titles: Sequence[str],
    years: Sequence[int | None],
    max_year_gap: int,
    cap: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Codes ``i * n + j`` (ascending) of the titles ``i < j`` with an entry of the same trigram, at places at most
    d apart (or a trigram that occurs twice in one of them), and whose years and lengths pass same_work's tests;
    and the titles that reached ``cap`` such pairs before their blocks were done (each is given no more pairs).
    The entries come sorted by trigram, then owner; the pairs are taken nearest first (entries next to each other
    in a block, then two apart, ...)."""
    import numpy as np

    n = len(titles)
    lengths = np.array([len(t) for t in titles], dtype=np.int64)
    year_of = np.array([-(10**6) if y is None else y for y in years], dtype=np.int64)
    paired = np.zeros(n, dtype=np.int64)  # pairs found so far (one found at two steps counts twice)
    cut = np.zeros(n, dtype=bool)  # titles that had a pair left out, having reached `cap`
    found = [np.empty(0, dtype=np.int64)]
    same = np.arange(len(tokens) - 1)
    step = 1
    while len(same):
        # entries e and e + step of one trigram (a subset of those of the step before)
        same = same[same + step < len(tokens)]
        same = same[tokens[same + step] == tokens[same]]
        a, b = owners[same], owners[same + step]
        la, lb = lengths[a], lengths[b]
        shift = np.abs(starts[same] - starts[same + step])
        keep = (
            (np.abs(year_of[a] - year_of[b]) <= max_year_gap)
            & (200 * np.minimum(la, lb) >= 95 * (la + lb))
            & ((starts[same] < 0) | (starts[same + step] < 0) | (shift <= np.minimum(la, lb) * 10 // 95))
        )
        codes = _distinct(a[keep] * n + b[keep])  # a pair next to each other in two blocks counts once
        a, b = codes // n, codes % n
        full_a, full_b = paired[a] >= cap, paired[b] >= cap
        cut[a[full_a]] = cut[b[full_b]] = True
        room = ~(full_a | full_b)
        a, b = a[room], b[room]
        found.append(codes[room])
        paired += np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
        step += 1
    return _distinct(np.concatenate(found)), np.flatnonzero(cut)


def _distinct(codes: np.ndarray) -> np.ndarray:
    """The distinct values of ``codes``, ascending (by sorting: numpy's unique may hash, in memory of its own)."""
    import numpy as np

    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes
