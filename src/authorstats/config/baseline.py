"""A comparison set for specialisation (``report --baseline FILE.csv``): topic counts of other works, parsed and
checked.

The file has the columns ``topic`` and ``count`` (works of that topic); an ``author`` column may be there too,
as in a report's topic_counts.csv, and each topic's counts are then added up over the authors. So another
report's topic_counts.csv (a department, a field's authors) is a comparison set as it stands.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from authorstats.errors import BadInputError

BASELINE_COLUMNS = ("topic", "count")


def parse_baseline(rows: Sequence[Mapping[str, str]], origin: str | Path, topics: Iterable[str]) -> dict[str, int]:
    """{topic: works} of ``rows`` (the CSV's rows as dicts of text). Refused, naming ``origin`` and the line: an
    empty topic, a count that is not a whole number of zero or more, a topic the report does not count in
    (``topics``: the taxonomy's topics, or the grouping's categories), and a set of no works."""
    known = list(topics)
    counts: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        topic = " ".join(str(row.get("topic") or "").split())
        text = str(row.get("count") or "").strip()
        if not topic:
            raise BadInputError(f"baseline file {origin} line {number} has no topic", "Give every row a topic")
        if not text.isdigit():
            raise BadInputError(
                f"baseline file {origin} line {number}: count {text!r} is not a whole number of works",
                "Write the number of works, e.g. 12",
            )
        if topic not in known:
            shown = ", ".join(known[:8]) + (f" and {len(known) - 8} more" if len(known) > 8 else "")
            raise BadInputError(
                f"baseline file {origin} line {number}: {topic!r} is not a topic this report counts in",
                f"Use the taxonomy's topics (or the --group-by grouping's categories): {shown}",
            )
        counts[topic] = counts.get(topic, 0) + int(text)
    if not sum(counts.values()):
        raise BadInputError(f"baseline file {origin} has no works", "Give it rows topic,count with counts above 0")
    return counts
