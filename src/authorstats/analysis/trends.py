"""Pure: each topic's share of all the roster's works by year (what is rising), and per author their top topics
and the biggest change between the first and last year of the window, as values for the report to phrase."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.analysis.tables import TOTAL

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.models import YearWindow

TOP_TOPICS = 3


def topic_trends(frame: pd.DataFrame, topics: Sequence[str], window: YearWindow) -> pd.DataFrame:
    """Years of ``window`` x topics used: each topic's share (0..1) of the roster's works of that year, every
    work counted once however many roster authors wrote it; a year without works is left out."""
    import pandas as pd

    from authorstats.analysis.works import distinct_works

    works = distinct_works(frame)
    works = works[[y in window for y in works["year"]]] if len(works) else works
    if works.empty:
        return pd.DataFrame(columns=[t for t in topics])
    counts = pd.crosstab(works["year"].astype(int), works["topic"].astype(str))
    counts = counts.reindex(columns=[t for t in topics if t in counts.columns])
    return counts.div(counts.sum(axis=1), axis=0)


@dataclass(frozen=True)
class Change:
    """The biggest change of one topic's share of an author's papers between two years."""

    topic: str
    first_year: int
    last_year: int
    first_papers: int
    last_papers: int
    first_share: float
    last_share: float


@dataclass(frozen=True)
class AuthorTrend:
    """One author's top topics (topic, papers) of ``total``, and the biggest change between the window's first
    and last year, or why there is none (``no_change``)."""

    key: str
    name: str
    total: int
    top: tuple[tuple[str, int], ...]
    change: Change | None
    no_change: str = ""  # why there is no change to report


def author_trend(
    key: str, name: str, table: pd.DataFrame, by_year: pd.DataFrame, window: YearWindow, top: int = TOP_TOPICS
) -> AuthorTrend:
    """``table``: the author's seminar table (Total first, topics by count, ties by name); ``by_year``: years x
    topics counts. The change compares the shares of the window's first and last year; ties go to the topic
    first in name order."""
    total = int(table.loc[table["Topic"] == TOTAL, "Count"].sum())
    ranked = tuple((str(t), int(c)) for t, c in table.itertuples(index=False) if t != TOTAL)[:top]
    if window.start == window.end:
        return AuthorTrend(key, name, total, ranked, None, f"the window is one year ({window.start})")
    first, last = window.start, window.end
    counts = {int(str(y)): {str(t): int(n) for t, n in row.items()} for y, row in by_year.to_dict("index").items()}
    missing = [str(y) for y in (first, last) if not sum(counts.get(y, {}).values())]
    if missing:
        return AuthorTrend(key, name, total, ranked, None, f"no papers in {' and '.join(missing)}")
    a, b = counts[first], counts[last]
    a_total, b_total = sum(a.values()), sum(b.values())
    sa = {t: n / a_total for t, n in a.items()}
    sb = {t: n / b_total for t, n in b.items()}
    best = sorted(a, key=lambda t: (-abs(sb[t] - sa[t]), t))[0]
    if sb[best] == sa[best]:
        return AuthorTrend(key, name, total, ranked, None, f"every topic kept its share from {first} to {last}")
    return AuthorTrend(key, name, total, ranked, Change(best, first, last, a[best], b[best], sa[best], sb[best]))
