"""A reference table to compare a report with (``report --reference FILE.csv``): parse its rows into per-author
topic counts.

The file has the columns ``author`` (a roster key or display name), ``topic`` and ``count``; a row whose
topic is ``Total`` gives the author's total, which may stand alone (a source that gives only a total).
A topic the taxonomy lacks is kept: the comparison shows it as such.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from authorstats.errors import BadInputError

REFERENCE_COLUMNS = ("author", "topic", "count")
TOTAL = "Total"


@dataclass(frozen=True)
class ReferenceAuthor:
    """One author's reference table: topic -> count (in the file's order), and the total."""

    author: str  # as the file names them (a roster key or a display name)
    topics: tuple[tuple[str, int], ...]
    total: int  # the Total row, or the sum of the topics when there is none

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.topics)


@dataclass(frozen=True)
class Reference:
    """A reference table: where it comes from (``origin``, ``description``) and each author's rows."""

    origin: str
    description: str
    authors: tuple[ReferenceAuthor, ...]
    grouping: str = ""  # the taxonomy grouping whose categories its topics are (the seminar's: "seminar")


def parse_reference(
    rows: Sequence[Mapping[str, str]], origin: str | Path, description: str = "", grouping: str = ""
) -> Reference:
    """The reference table of ``rows`` (the CSV's rows as dicts of text), validated; errors name ``origin`` and the
    line.

    Refused: a missing column, an empty author or topic, a count that is not a whole number of zero or more,
    an author's topic given twice, and a Total smaller than the author's topics add up to.
    """
    if rows:
        missing = [c for c in REFERENCE_COLUMNS if c not in rows[0]]
    else:
        missing = []
    if missing:
        raise BadInputError(
            f"reference file {origin} has no {', '.join(missing)} column", "Give it the header row author,topic,count"
        )
    topics: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        author, topic, count = ((row.get(c) or "").strip() for c in REFERENCE_COLUMNS)
        if not author and not topic and not count:
            continue
        if not author or not topic:
            raise BadInputError(
                f"reference file {origin}, line {number}: no {'author' if not author else 'topic'}",
                "Fill it, or delete the line",
            )
        if not (count.isascii() and count.isdigit()) or len(count) > 9:
            raise BadInputError(
                f"reference file {origin}, line {number}: count {count!r} is not a whole number",
                "Write the number of papers, e.g. 13",
            )
        if topic.casefold() == TOTAL.casefold():
            if author in totals:
                raise BadInputError(
                    f"reference file {origin}, line {number}: a second Total for {author!r}", "Keep one of them"
                )
            totals[author] = int(count)
            topics.setdefault(author, {})
            continue
        mine = topics.setdefault(author, {})
        if topic in mine:
            raise BadInputError(
                f"reference file {origin}, line {number}: {author!r} has {topic!r} twice", "Keep one of them"
            )
        mine[topic] = int(count)
    authors = []
    for author, counts in topics.items():
        added = sum(counts.values())
        total = totals.get(author, added)
        if total < added:
            raise BadInputError(
                f"reference file {origin}: the Total of {author!r} ({total}) is smaller than its "
                f"topics add up to ({added})",
                "Correct the Total row, or delete it",
            )
        authors.append(ReferenceAuthor(author, tuple(counts.items()), total))
    return Reference(str(origin), description, tuple(authors), grouping)
