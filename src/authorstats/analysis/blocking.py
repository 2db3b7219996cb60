"""Pure: the pairs of one author's records that merge.py must compare, found without comparing every pair.

``merge.same_work`` says two records are one work only when they share a DOI, an arXiv id or a title
after normalising (exact keys: records that share one are paired), or when their normalised titles
have a rapidfuzz ratio of at least ``FUZZY_MIN`` and their years are at most ``MAX_YEAR_GAP`` apart.
For the last, a prefix filter on character trigrams finds every such pair (no pair is missed, so
the merge decisions are those of comparing all pairs):

* ``fuzz.ratio(a, b) >= 95`` means an indel distance ``d <= (len(a) + len(b)) / 20``, and the length
  test ``same_work`` makes first leaves ``len(b) <= len(a) * 105 / 95``; so ``d <= 10 * len(a) // 95``.
* One inserted or deleted character removes at most 3 of a title's trigrams, so at most ``3 d`` of
  the distinct trigrams of ``a`` are missing from ``b`` (and the other way round).
* Order all trigrams of the author's titles rarest first. If two sets differ by at most ``k``
  members each, their first ``k + 1`` members in that order share one (Xiao et al., "Ed-Join",
  VLDB 2008). So each title is indexed under its ``3 * (10 * len // 95) + 1`` rarest trigrams only,
  and compared with the titles it shares one of them with: rare trigrams make small blocks.

Titles with too few trigrams for that (shorter than three characters) are compared with all.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

Q = 3  # characters per gram


def candidate_pairs(
    keys: Sequence[tuple[str, str, str]], titles: Sequence[str], years: Sequence[int | None], max_year_gap: int
) -> list[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, of positions that can be one work, in the order i, then j.

    ``keys``: each record's exact keys (DOI, arXiv id, title without spaces; "" for none); ``titles``:
    its normalised title ("" for none); ``years``: its year (None: no near-equal-title match).
    """
    found: set[int] = set()
    n = len(titles)
    for field in range(3):
        same: dict[str, list[int]] = {}
        for position, key in enumerate(keys):
            if key[field]:
                same.setdefault(key[field], []).append(position)
        for positions in same.values():
            for number, i in enumerate(positions):
                found.update(i * n + j for j in positions[number + 1 :])
    found.update(_near_pairs(titles, years, max_year_gap))
    return [divmod(code, n) for code in sorted(found)]


def max_distance(length: int) -> int:
    """The largest indel distance a title of ``length`` characters can have to one it nearly equals."""
    return 10 * length // 95


def _near_pairs(titles: Sequence[str], years: Sequence[int | None], max_year_gap: int) -> set[int]:
    """Pairs (coded ``i * n + j``) whose titles share one of their rarest trigrams where it can be the same
    trigram moved by the edits (at most d places), and whose years and lengths allow a match."""
    import numpy as np

    n = len(titles)
    places: list[dict[str, int] | None] = [None] * n  # trigram -> where it starts; -1: more than once
    for position, (title, year) in enumerate(zip(titles, years)):
        if title and year is not None:
            grams = [title[k : k + Q] for k in range(len(title) - Q + 1)]
            mine = dict(zip(reversed(grams), range(len(grams) - 1, -1, -1)))  # each at its first place
            if len(mine) < len(grams):
                for gram, count in Counter(grams).items():
                    if count > 1:
                        mine[gram] = -1
            places[position] = mine
    frequency = Counter(itertools.chain.from_iterable(p for p in places if p is not None))
    rank = {gram: number for number, gram in enumerate(sorted(frequency, key=lambda g: (frequency[g], g)))}
    room = max((len(t) for t in titles), default=0) + 2  # an entry is coded rank * room + place + 1
    entries: list[int] = []
    owners: list[int] = []
    short: list[int] = []  # too few trigrams for the filter: compared with every title
    eligible: list[int] = []
    for position, found in enumerate(places):
        if found is None:
            continue
        eligible.append(position)
        width = Q * max_distance(len(titles[position])) + 1
        if len(found) < width:
            short.append(position)
            continue
        entries += sorted([rank[g] * room + k + 1 for g, k in found.items()])[:width]
        owners += [position] * width
    coded = np.array(entries, dtype=np.int64)
    pairs = set(
        _sharing(
            coded // room, np.array(owners, dtype=np.int64), coded % room - 1, titles, years, max_year_gap
        ).tolist()
    )
    for position in short:
        year = years[position]
        for other in eligible:
            if other != position and abs(years[other] - year) <= max_year_gap:  # type: ignore[operator]
                pairs.add(min(other, position) * n + max(other, position))
    return pairs


def _sharing(
    tokens: np.ndarray,
    owners: np.ndarray,
    starts: np.ndarray,
    titles: Sequence[str],
    years: Sequence[int | None],
    max_year_gap: int,
) -> np.ndarray:
    """Codes ``i * n + j`` of the titles ``i < j`` with an entry of the same trigram, at places at most d apart
    (or a trigram that occurs twice in one of them), and whose years and lengths pass same_work's tests."""
    import numpy as np

    n = len(titles)
    order = np.lexsort((owners, tokens))
    tokens, owners, starts = tokens[order], owners[order], starts[order]
    lengths = np.array([len(t) for t in titles], dtype=np.int64)
    year_of = np.array([-(10**6) if y is None else y for y in years], dtype=np.int64)
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
        found.append(a[keep] * n + b[keep])
        step += 1
    return np.unique(np.concatenate(found))
