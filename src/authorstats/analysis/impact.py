"""Pure: citations per author and topic, where the sources gave counts (Google Scholar's list rows, OpenAlex's
cited_by_count): papers, total and median citations, the most-cited paper and the h-index of the window's works.

An author none of whose records has a count gets no row: the report says there are no counts, never zero.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["author_key", "topic", "papers", "papers_with_citations", "citations", "median_citations",
           "most_cited", "most_cited_citations", "h_index", "fetched"]
ALL_TOPICS = "All topics"
# The sources that give citation counts, as the report names them where a count is missing.
COUNTING_SOURCES = "Google Scholar (fetch --source scholar) and OpenAlex (fetch --source openalex)"
NO_COUNTS = "no citation counts in this data"


def h_index(counts: Sequence[int]) -> int:
    """The largest h such that h of the papers have at least h citations each."""
    ordered = sorted(counts, reverse=True)
    return sum(1 for rank, count in enumerate(ordered, start=1) if count >= rank)


@dataclass(frozen=True)
class Impact:
    """reports/impact.csv's table, and for every author without counts the sources their records came from."""

    table: pd.DataFrame  # COLUMNS; per author an ALL_TOPICS row, then topics by citations, papers and name
    without_counts: dict[str, tuple[str, ...]]  # author key -> the sources of their records (none gave counts)

    def rows(self, key: str) -> pd.DataFrame:
        return self.table[self.table["author_key"] == key]


def _row(key: str, topic: str, papers: pd.DataFrame) -> dict[str, object]:
    known = papers[papers["citations"].notna()]
    counts = [int(c) for c in known["citations"]]
    row: dict[str, object] = {"author_key": key, "topic": topic, "papers": len(papers),
                              "papers_with_citations": len(counts)}
    if counts:
        best = known.sort_values(["citations", "title"], ascending=[False, True], kind="stable").iloc[0]
        stamps = sorted(str(t)[:10] for t in known["fetched_at"] if isinstance(t, str) and t.strip())
        row.update(citations=sum(counts), median_citations=float(statistics.median(counts)),
                   most_cited=str(best["title"]), most_cited_citations=int(best["citations"]),
                   h_index=h_index(counts),
                   fetched=(stamps[0] if stamps[0] == stamps[-1] else f"{stamps[0]} to {stamps[-1]}")
                   if stamps else "not recorded")
    return row


def impact(frame: pd.DataFrame, authors: Sequence[str], sources: dict[str, tuple[str, ...]] | None = None) -> Impact:
    """Citations per author (in ``authors`` order) and topic from classified records (author, title, topic,
    citations, fetched_at). ``sources``: each author's sources, named for those without counts."""
    import pandas as pd

    rows: list[dict[str, object]] = []
    without: dict[str, tuple[str, ...]] = {}
    groups = frame.groupby("author", sort=False).indices if len(frame) else {}
    for key in authors:
        mine = frame.iloc[groups.get(key, [])]
        if mine.empty or not mine["citations"].notna().any():
            without[key] = tuple((sources or {}).get(key, ())) or tuple(dict.fromkeys(mine.get("source", [])))
            continue
        topics = [_row(key, str(topic), group) for topic, group in mine.groupby("topic", sort=False)]
        topics.sort(key=lambda r: (-int(r.get("citations", -1)), -int(r["papers"]), str(r["topic"])))  # type: ignore[call-overload]
        rows += [_row(key, ALL_TOPICS, mine), *topics]
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("citations", "most_cited_citations", "h_index"):
        table[column] = table[column].astype("Int64")
    table["median_citations"] = table["median_citations"].astype("Float64")
    return Impact(table, without)
