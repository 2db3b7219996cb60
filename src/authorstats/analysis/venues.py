"""Pure: venue strings as sources write them ("NeurIPS 2022 [Poster]", "arXiv:2111.09266") named as one venue
("NeurIPS", "arXiv") by the venue aliases, and each author's venue x topic table."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from authorstats.config.venues import VenueAliases
from authorstats.text import fold

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ["author_key", "venue", "topic", "papers"]
NO_VENUE = "(no venue)"
WORKSHOP = "Workshop"

_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|\{[^{}]*\}")
_YEARS = re.compile(r"(?<!\w)(?:19|20)\d\d(?!\w)")
_MONTHS = re.compile(r"(?<!\w)(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?!\w)", re.IGNORECASE)
_NUMBERS = re.compile(r"(?<![\w.])\d[\d().:,\-–/]*(?![\w])")
_WORKSHOP = re.compile(r"(?<!\w)workshops?(?!\w)")


def first_part(venue: str) -> str:
    """The venue string before its first ";" (what follows names a later or second venue)."""
    return venue.split(";", 1)[0].strip()


def clean_venue(venue: str) -> str:
    """A venue no alias names, shown without brackets, parentheses, years, months and volume numbers."""
    text = first_part(venue)
    previous = None
    while previous != text:  # nested brackets, innermost first
        previous, text = text, _BRACKETS.sub(" ", text)
    text = _NUMBERS.sub(" ", _MONTHS.sub(" ", _YEARS.sub(" ", text)))
    text = " ".join(text.split()).strip(" ,.:;-–")
    return text or " ".join(first_part(venue).split())


def venue_name(venue: object, aliases: VenueAliases | None) -> str:
    """The venue's name: the alias that starts first in its first part (the longest on a tie), with " Workshop"
    when the text mentions a workshop; else the cleaned text; NO_VENUE when empty."""
    if not isinstance(venue, str) or not venue.strip():
        return NO_VENUE
    return _venue_name(venue, aliases)


@lru_cache(maxsize=65536)
def _venue_name(venue: str, aliases: VenueAliases | None) -> str:
    text = fold(first_part(venue))
    pattern = _pattern(aliases)
    found = pattern.search(text) if pattern is not None else None
    if found is None or aliases is None:
        return clean_venue(venue)
    name = dict(aliases.aliases)[found.group(1)]
    return f"{name} {WORKSHOP}" if _WORKSHOP.search(text) and WORKSHOP.casefold() not in fold(name) else name


@lru_cache(maxsize=16)
def _pattern(aliases: VenueAliases | None) -> re.Pattern[str] | None:
    return aliases.pattern() if aliases is not None else None


def venue_table(frame: pd.DataFrame, authors: Sequence[str], aliases: VenueAliases | None) -> pd.DataFrame:
    """COLUMNS: per author (in ``authors`` order) each venue and topic with its papers; venues by the author's
    papers there, then name; topics by papers, then name."""
    import pandas as pd

    if frame.empty:
        return pd.DataFrame(columns=COLUMNS)
    named = pd.DataFrame(
        {
            "author_key": frame["author"],
            "topic": frame["topic"].astype(str),
            "venue": [venue_name(v, aliases) for v in frame["venue"]],
        }
    )
    counts = named.groupby(["author_key", "venue", "topic"], sort=False).size().reset_index(name="papers")
    counts["_venue_papers"] = counts.groupby(["author_key", "venue"])["papers"].transform("sum")
    counts["_order"] = counts["author_key"].map({a: i for i, a in enumerate(authors)})
    counts = counts.sort_values(
        ["_order", "_venue_papers", "venue", "papers", "topic"],
        ascending=[True, False, True, False, True],
        kind="stable",
    )
    return counts.reindex(columns=COLUMNS).reset_index(drop=True)


def venue_totals(table: pd.DataFrame) -> dict[str, list[tuple[str, int, str]]]:
    """Each author's venues: author key -> (venue, papers, "topic (papers); ...") from a ``venue_table``, most
    papers first; one pass over the table for the whole roster."""
    found: dict[str, dict[str, list[tuple[str, int]]]] = {}
    for key, venue, topic, papers in zip(table["author_key"], table["venue"], table["topic"], table["papers"]):
        found.setdefault(str(key), {}).setdefault(str(venue), []).append((str(topic), int(papers)))
    return {
        key: [
            (venue, sum(n for _, n in topics), "; ".join(f"{t} ({n})" for t, n in topics))
            for venue, topics in venues.items()
        ]
        for key, venues in found.items()
    }
