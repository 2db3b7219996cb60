"""Pure: citations per author and topic, where the sources gave counts (Google Scholar's list rows, OpenAlex's
cited_by_count): papers, total and median citations, the most-cited paper and the h-index of the window's works.

An author none of whose records has a count gets no row: the report says there are no counts, never zero.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "author_key",
    "topic",
    "papers",
    "papers_with_citations",
    "citations",
    "median_citations",
    "most_cited",
    "most_cited_citations",
    "h_index",
    "fetched",
]
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


_Paper = tuple[str, "int | None", object]  # (title, citations or None when unknown, fetched_at)


def _row(key: str, topic: str, papers: Sequence[_Paper]) -> dict[str, object]:
    known = [(title, count, fetched) for title, count, fetched in papers if count is not None]
    counts = [count for _, count, _ in known]
    row: dict[str, object] = {
        "author_key": key,
        "topic": topic,
        "papers": len(papers),
        "papers_with_citations": len(counts),
    }
    if counts:
        # the most cited, ties to the first title in order (as a stable sort by citations, then title)
        title, most = min(((title, count) for title, count, _ in known), key=lambda paper: (-paper[1], paper[0]))
        stamps = sorted(str(t)[:10] for _, _, t in known if isinstance(t, str) and t.strip())
        row.update(
            citations=sum(counts),
            median_citations=float(statistics.median(counts)),
            most_cited=title,
            most_cited_citations=most,
            h_index=h_index(counts),
            fetched=(stamps[0] if stamps[0] == stamps[-1] else f"{stamps[0]} to {stamps[-1]}")
            if stamps
            else "not recorded",
        )
    return row


def impact(frame: pd.DataFrame, authors: Sequence[str], sources: dict[str, tuple[str, ...]] | None = None) -> Impact:
    """Citations per author (in ``authors`` order) and topic from classified records (author, title, topic,
    citations, fetched_at). ``sources``: each author's sources, named for those without counts."""
    import pandas as pd

    rows: list[dict[str, object]] = []
    without: dict[str, tuple[str, ...]] = {}
    groups = frame.groupby("author", sort=False).indices if len(frame) else {}
    # plain lists: per author and topic a few list operations, not a DataFrame filtered and sorted each time
    # (a 1,000-author report made 18,000 of those, a minute and more)
    known: list[bool] = []
    papers: list[_Paper] = []
    topics: list[str] = []
    if len(frame):  # an empty frame may lack the columns
        known = frame["citations"].notna().tolist()
        papers = [
            (str(title), int(count) if ok else None, fetched)
            for title, count, fetched, ok in zip(frame["title"], frame["citations"], frame["fetched_at"], known)
        ]
        topics = [str(t) for t in frame["topic"]]
    for key in authors:
        mine = groups.get(key, [])
        if not any(known[i] for i in mine):
            where = [str(s) for s in frame.iloc[mine]["source"]] if "source" in frame and len(mine) else []
            without[key] = tuple((sources or {}).get(key, ())) or tuple(dict.fromkeys(where))
            continue
        by_topic: dict[str, list[_Paper]] = {}
        for i in mine:
            by_topic.setdefault(topics[i], []).append(papers[i])
        found = [_row(key, topic, group) for topic, group in by_topic.items()]
        found.sort(key=lambda r: (-int(r.get("citations", -1)), -int(r["papers"]), str(r["topic"])))  # type: ignore[call-overload]
        rows += [_row(key, ALL_TOPICS, [papers[i] for i in mine]), *found]
    table = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("citations", "most_cited_citations", "h_index"):
        table[column] = table[column].astype("Int64")
    table["median_citations"] = table["median_citations"].astype("Float64")
    return Impact(table, without)
