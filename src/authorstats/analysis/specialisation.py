"""Pure: what each author is over- or under-represented in, against a baseline, as a measured claim.

The **activity index** of an author in a topic is the topic's share of the author's works over its share of the
baseline's works: AI = (n_at / n_a) / (N_t / N). 1 is the baseline's own mix; 2 means the topic is twice as
frequent in the author's works. The baseline is the roster (every author's works, this author's included, as the
topic tables count them) unless a comparison set of topic counts is given.

Its 95% interval comes from a bootstrap over the author's works: the works are drawn again with replacement
(``RESAMPLES`` times; each draw is a multinomial of the author's topic counts), the index recomputed each time
against the baseline's shares as observed, and the 2.5th and 97.5th percentiles kept. Only the author's works
are resampled: the baseline is taken as given. For the roster's baseline, which holds the author's own works,
this is cautious: an author who wrote most of the roster's works in a topic moves the baseline with them, and
holding it still widens their interval rather than narrowing it. The draws come from a generator seeded with
``SEED`` and the author's key, so the same data gives the same intervals whatever the roster's order. A topic
is **marked** over- or under-represented only when its interval excludes 1.

Not shown: authors with fewer than ``MIN_WORKS`` works (an interval over a handful of works says little), the
topic "Other" (unclassified works: no field), and topics neither the author nor the baseline has. A topic the
author has no work in gets the index 0 and no interval: resampling the author's works can never give it one, so
the bootstrap cannot say how unusual the absence is, and it is never marked.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.config.taxonomy import OTHER

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "author_key",
    "topic",
    "works",
    "share",
    "baseline_share",
    "activity_index",
    "low",
    "high",
    "marked",
]
SEED = 2028  # the bootstrap's seed, with each author's key: reproducible intervals
RESAMPLES = 2000
MIN_WORKS = 10
LEVEL = 0.95
OVER, UNDER = "over", "under"


@dataclass(frozen=True)
class Specialisation:
    """specialisation.csv's table (COLUMNS; per author in roster order, topics by index, highest first), the authors
    left out for having too few works ({key: works}), and what the baseline was."""

    table: pd.DataFrame
    too_few: dict[str, int]
    baseline: str  # "the roster" or the comparison set's name

    def marked(self) -> pd.DataFrame:
        """The rows whose interval excludes 1."""
        return self.table[self.table["marked"] != ""]


def _seed(key: str) -> int:
    return SEED * 1_000_003 + zlib.crc32(key.encode("utf-8"))


def specialisation(
    matrix: pd.DataFrame,
    *,
    baseline: Mapping[str, int] | None = None,
    baseline_name: str = "",
    min_works: int = MIN_WORKS,
    resamples: int = RESAMPLES,
) -> Specialisation:
    """Each author's activity index per topic with its bootstrap interval (see the module's docstring).
    ``matrix``: authors x topics work counts (ReportData.matrix); ``baseline``: topic -> works of a comparison set
    (None: the roster, the matrix's column sums)."""
    import numpy as np
    import pandas as pd

    topics = [str(t) for t in matrix.columns if str(t) != OTHER]
    rows: list[dict[str, object]] = []
    too_few: dict[str, int] = {}
    if baseline is None:  # the roster: every author's works, Other included in the total
        totals = matrix[topics].sum(axis=0).to_numpy(dtype=float) if topics else np.zeros(0)
        whole = float(matrix.to_numpy().sum())
    else:
        totals = np.array([float(baseline.get(t, 0)) for t in topics])
        whole = float(sum(baseline.values()))
    base = totals / whole if whole else totals
    low_q, high_q = (1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100
    for key, counts_row in matrix.iterrows():
        key = str(key)
        all_works = int(counts_row.sum())  # Other included: a share is of all the author's works
        if all_works < min_works:
            too_few[key] = all_works
            continue
        mine = counts_row[topics].to_numpy(dtype=float)
        other = float(counts_row.get(OTHER, 0))
        probabilities = np.append(mine, other) / all_works
        draws = np.random.default_rng(_seed(key)).multinomial(all_works, probabilities, size=resamples)[:, :-1]
        with np.errstate(divide="ignore", invalid="ignore"):
            index = (mine / all_works) / base
            boot = (draws / all_works) / base
            intervals = np.percentile(boot, [low_q, high_q], axis=0)  # every topic's at once
        found = []
        for i, topic in enumerate(topics):
            if not base[i]:
                continue  # the baseline has none (nor, with the roster's, the author): no index
            low = high = None
            mark = ""
            if mine[i]:
                low, high = float(intervals[0, i]), float(intervals[1, i])
                mark = OVER if low > 1 else UNDER if high < 1 else ""
            found.append(
                {
                    "author_key": key,
                    "topic": topic,
                    "works": int(mine[i]),
                    "share": round(float(mine[i] / all_works), 4),
                    "baseline_share": round(float(base[i]), 4),
                    "activity_index": round(float(index[i]), 3),
                    "low": None if low is None else round(low, 3),
                    "high": None if high is None else round(high, 3),
                    "marked": mark,
                }
            )
        rows += sorted(found, key=lambda r: (-float(r["activity_index"]), str(r["topic"])))  # type: ignore[arg-type]
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["works"] = table["works"].astype("Int64")
    for column in ("share", "baseline_share", "activity_index", "low", "high"):
        table[column] = table[column].astype("Float64")
    name = baseline_name or ("a comparison set" if baseline is not None else "the roster")
    return Specialisation(table, too_few, name)


def sentence(rows: Sequence[Mapping[str, object]], name: str) -> str:
    """One author's marked topics in words ("Yann LeCun: over-represented in Self-Supervised (AI 4.2, 95% interval
    3.1-5.0); under-represented in Architecture (...)"), or that none is."""
    parts = {
        OVER: [r for r in rows if r["marked"] == OVER],
        UNDER: [r for r in rows if r["marked"] == UNDER],
    }

    def listed(found: Sequence[Mapping[str, object]]) -> str:
        return ", ".join(
            f"{r['topic']} (index {float(str(r['activity_index'])):.2f}, 95% interval {float(str(r['low'])):.2f}-"
            f"{float(str(r['high'])):.2f})"
            for r in found
        )

    said = [f"over-represented in {listed(parts[OVER])}"] if parts[OVER] else []
    said += [f"under-represented in {listed(parts[UNDER])}"] if parts[UNDER] else []
    return f"{name}: " + ("; ".join(said) if said else "no topic whose interval excludes 1") + "."
