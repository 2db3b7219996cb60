"""Pure: impact over time and field-normalised impact per author and topic, where the sources gave them.

- **Citations by year** (reports/impact_by_year.csv): the citations the window's works of an author (over all
  topics, and per topic) received in each year, their running total, and the h-index of those works as it grew:
  in year Y, the largest h such that h of the works had at least h citations received up to the end of Y. From
  Google Scholar's per-year counts (each paper's detail page: `fetch --details`) and OpenAlex's
  ``counts_by_year`` (its last ten years only). Both sources count self-citations; neither lets them be taken
  out, so they are included. A year between a work's first and last counted year without an entry had none.
- **Field-normalised impact** (reports/impact_normalised.csv): OpenAlex's FWCI (citations over those expected for
  works of the same field, type and year; 1 is the world average) and citation percentile (among works of the
  same field and year) per work, summarised per author and topic: the median FWCI and the share of works in the
  world's top 10% (percentile 0.9 or more).

It is the window's works only: the h-index here is that of the works in the report's years, not the author's
career h-index. An author none of whose works has per-year counts (or FWCI) gets no rows: the report says "no
per-year counts in this data" and names the sources that have them, never zero.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.analysis.impact import ALL_TOPICS, h_index

if TYPE_CHECKING:
    import pandas as pd

BY_YEAR_COLUMNS = [
    "author_key",
    "topic",
    "year",
    "papers_with_counts",
    "citations",
    "cumulative_citations",
    "h_index",
]
NORMALISED_COLUMNS = [
    "author_key",
    "topic",
    "papers",
    "papers_with_fwci",
    "median_fwci",
    "papers_with_percentile",
    "top10_papers",
    "top10_share",
]
TOP10 = 0.9  # a citation percentile from which a work is in the world's top 10% of its field and year
NO_YEARS = "no per-year counts in this data"
YEAR_SOURCES = "Google Scholar (fetch --source scholar --details) and OpenAlex (fetch --source openalex)"
NO_NORMALISED = "no FWCI or citation percentiles in this data"
NORMALISED_SOURCES = "OpenAlex (fetch --source openalex)"
SELF_CITATIONS = (
    "Self-citations are included: Google Scholar's and OpenAlex's per-year counts both count them and neither "
    "gives them apart."
)


@dataclass(frozen=True)
class ImpactOverTime:
    """impact_by_year.csv's and impact_normalised.csv's tables, and for each author without such data the sources
    their records came from."""

    by_year: pd.DataFrame  # BY_YEAR_COLUMNS; per author the ALL_TOPICS years, then each topic's
    normalised: pd.DataFrame  # NORMALISED_COLUMNS; per author an ALL_TOPICS row, then topics by papers
    without_years: dict[str, tuple[str, ...]]
    without_normalised: dict[str, tuple[str, ...]]

    def author_years(self, key: str) -> pd.DataFrame:
        """One author's citations and h-index by year over all topics."""
        table = self.by_year
        return table[(table["author_key"] == key) & (table["topic"] == ALL_TOPICS)]


Counts = tuple[tuple[int, int], ...]


def year_rows(key: str, topic: str, works: Sequence[Counts]) -> list[dict[str, object]]:
    """The rows of one author and topic: a row a year from the first counted year to the last."""
    counted = [dict(w) for w in works if w]
    if not counted:
        return []
    years = range(min(min(w) for w in counted), max(max(w) for w in counted) + 1)
    running = [0] * len(counted)
    rows: list[dict[str, object]] = []
    total = 0
    for year in years:
        received = 0
        for i, work in enumerate(counted):
            running[i] += work.get(year, 0)
            received += work.get(year, 0)
        total += received
        rows.append(
            {
                "author_key": key,
                "topic": topic,
                "year": year,
                "papers_with_counts": len(counted),
                "citations": received,
                "cumulative_citations": total,
                "h_index": h_index(running),
            }
        )
    return rows


def normalised_row(
    key: str, topic: str, fwcis: Sequence[float | None], pcts: Sequence[float | None]
) -> dict[str, object]:
    known = [f for f in fwcis if f is not None]
    placed = [p for p in pcts if p is not None]
    top = sum(p >= TOP10 for p in placed)
    return {
        "author_key": key,
        "topic": topic,
        "papers": len(fwcis),
        "papers_with_fwci": len(known),
        "median_fwci": round(float(statistics.median(known)), 3) if known else None,
        "papers_with_percentile": len(placed),
        "top10_papers": top if placed else None,
        "top10_share": round(top / len(placed), 3) if placed else None,
    }


def _number(value: object) -> float | None:
    """A number of a Float64 column; None for a missing one (None, NA, NaN)."""
    if not isinstance(value, (int, float)) or value != value:  # pd.NA is neither; NaN is not equal to itself
        return None
    return float(value)


def impact_over_time(
    frame: pd.DataFrame, authors: Sequence[str], sources: dict[str, tuple[str, ...]] | None = None
) -> ImpactOverTime:
    """Citations by year and field-normalised impact per author (in ``authors`` order) and topic, from classified
    records (author, topic, citations_by_year, fwci, citation_percentile, source)."""
    import pandas as pd

    groups = frame.groupby("author", sort=False).indices if len(frame) else {}
    by_year: list[dict[str, object]] = []
    normalised: list[dict[str, object]] = []
    without_years: dict[str, tuple[str, ...]] = {}
    without_normalised: dict[str, tuple[str, ...]] = {}
    for key in authors:
        mine = frame.iloc[groups.get(key, [])]
        where = tuple((sources or {}).get(key, ())) or tuple(dict.fromkeys(str(s) for s in mine.get("source", [])))
        topics = [str(t) for t in mine["topic"]] if len(mine) else []
        counts: list[Counts] = list(mine["citations_by_year"]) if len(mine) else []
        fwcis = [_number(v) for v in mine["fwci"]] if len(mine) else []
        pcts = [_number(v) for v in mine["citation_percentile"]] if len(mine) else []
        if any(counts):
            by_year += year_rows(key, ALL_TOPICS, counts)
            for topic in sorted(set(topics), key=lambda t: (-topics.count(t), t)):
                by_year += year_rows(key, topic, [c for c, t in zip(counts, topics) if t == topic])
        else:
            without_years[key] = where
        if any(v is not None for v in fwcis + pcts):
            normalised.append(normalised_row(key, ALL_TOPICS, fwcis, pcts))
            for topic in sorted(set(topics), key=lambda t: (-topics.count(t), t)):
                chosen = [i for i, t in enumerate(topics) if t == topic]
                normalised.append(normalised_row(key, topic, [fwcis[i] for i in chosen], [pcts[i] for i in chosen]))
        else:
            without_normalised[key] = where
    years = pd.DataFrame(by_year, columns=BY_YEAR_COLUMNS)
    for column in BY_YEAR_COLUMNS[2:]:
        years[column] = years[column].astype("Int64")
    table = pd.DataFrame(normalised, columns=NORMALISED_COLUMNS)
    for column in ("papers", "papers_with_fwci", "papers_with_percentile", "top10_papers"):
        table[column] = table[column].astype("Int64")
    for column in ("median_fwci", "top10_share"):
        table[column] = table[column].astype("Float64")
    return ImpactOverTime(years, table, without_years, without_normalised)
