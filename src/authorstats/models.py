"""Plain records: a Publication, an Author and a year window, to and from JSON-friendly dicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from authorstats.errors import BadInputError

EARLIEST_YEAR = 1900
# Beyond these a number is a typo or garbage, and pandas' 64-bit integers cannot hold every Python int:
# the most cited papers have about 10**6 citations; a year is a calendar year (what ``datetime`` accepts).
MAX_CITATIONS = 10**9
YEARS = range(dt.MINYEAR, dt.MAXYEAR + 1)


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string, to the second."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True, slots=True)  # slots: a report can hold a million of them
class Publication:
    """One publication of one author, as one source reported it."""

    author: str  # roster key
    title: str
    year: int | None
    source: str  # "scholar", "openalex", "dblp", "snapshot", an import name, ...
    venue: str = ""
    authors: tuple[str, ...] = ()
    citations: int | None = None
    abstract: str = ""
    doi: str = ""
    source_id: str = ""  # the source's own id or URL for this record
    fetched_at: str = ""
    # Citations the work received in each year, as the source counted them on fetched_at: (year, count) pairs,
    # oldest first. Google Scholar's detail page (fetch --details) and OpenAlex's counts_by_year (its last ten
    # years) give them; both count self-citations. () when the source gave none.
    citations_by_year: tuple[tuple[int, int], ...] = ()
    fwci: float | None = None  # OpenAlex's field-weighted citation impact: 1 is its field's world average
    citation_percentile: float | None = None  # OpenAlex's citation_normalized_percentile.value, 0 to 1
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["authors"] = list(self.authors)
        data["citations_by_year"] = [list(pair) for pair in self.citations_by_year]
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Publication:
        """Build a record from a dict; unknown keys go to ``extra``, bad types raise ValueError."""
        known = _FIELDS if cls is Publication else frozenset(f.name for f in dataclasses.fields(cls))
        kwargs = {k: v for k, v in data.items() if k in known}
        extra = dict(kwargs.pop("extra", None) or {})
        extra.update({k: v for k, v in data.items() if k not in known})
        for required in ("author", "title", "source"):
            if not isinstance(kwargs.get(required), str) or not kwargs[required].strip():
                raise ValueError(f"missing or empty {required!r}")
        kwargs["year"] = _whole_number(kwargs.get("year"), "year", YEARS)
        kwargs["citations"] = _whole_number(kwargs.get("citations"), "citations", range(MAX_CITATIONS + 1))
        authors = kwargs.get("authors") or ()
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.split(";") if a.strip()]
        # names, venues, sources and dates recur across records: each held once (a million records read whole)
        kwargs["authors"] = tuple(sys.intern(str(a)) for a in authors)
        kwargs["author"], kwargs["source"] = sys.intern(str(kwargs["author"])), sys.intern(str(kwargs["source"]))
        for text_field in ("venue", "abstract", "doi", "source_id", "fetched_at"):
            value = kwargs.get(text_field)
            kwargs[text_field] = "" if value is None else str(value)
        kwargs["venue"], kwargs["fetched_at"] = sys.intern(kwargs["venue"]), sys.intern(kwargs["fetched_at"])
        if "citations_by_year" not in kwargs and "cites_per_year" in extra:  # raw files of earlier versions
            kwargs["citations_by_year"] = extra.pop("cites_per_year")
        kwargs["citations_by_year"] = citation_years(kwargs.get("citations_by_year"))
        kwargs["fwci"] = fraction(kwargs.get("fwci"), "fwci", None)
        kwargs["citation_percentile"] = fraction(kwargs.get("citation_percentile"), "citation_percentile", 1.0)
        return cls(**kwargs, extra=extra)


_FIELDS = frozenset(f.name for f in dataclasses.fields(Publication))


def citation_years(value: object) -> tuple[tuple[int, int], ...]:
    """Citations per year as (year, count) pairs, oldest first, from what sources and raw files hold: pairs
    ``[[2021, 60], ...]``, OpenAlex's ``[{"year": 2021, "cited_by_count": 60}, ...]`` or Scholar's
    ``{"2021": 60, ...}``; a year given twice is a ValueError, as is a count that is not a whole number."""
    if value in (None, "", [], {}, ()):
        return ()
    if isinstance(value, Mapping):
        items = list(value.items())
    elif isinstance(value, (list, tuple)):
        items = []
        for item in value:
            if isinstance(item, Mapping):
                items.append((item.get("year"), item.get("cited_by_count", item.get("citations"))))
            elif isinstance(item, (list, tuple)) and len(item) == 2:
                items.append((item[0], item[1]))
            else:
                raise ValueError(f"citations_by_year entry {item!r} is not a (year, count) pair")
    else:
        raise ValueError(f"citations_by_year {value!r} is not a list of (year, count) pairs")
    pairs: dict[int, int] = {}
    for year, count in items:
        number = _whole_number(year, "citation year", YEARS)
        cited = _whole_number(count, "citations that year", range(MAX_CITATIONS + 1))
        if number is None or cited is None:
            raise ValueError(f"citations_by_year entry {(year, count)!r} lacks its year or count")
        if number in pairs:
            raise ValueError(f"citations_by_year gives {number} twice")
        pairs[number] = cited
    return tuple(sorted(pairs.items()))


def fraction(value: object, name: str, top: float | None) -> float | None:
    """``value`` as a finite number from 0 (to ``top``); None when empty; else ValueError."""
    if value in ("", None):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{name} {value!r} is not a number")
    number = float(value)
    if not math.isfinite(number) or number < 0 or (top is not None and number > top):
        raise ValueError(f"{name} {value!r} is outside 0-{top if top is not None else 'any'}")
    return number


def _whole_number(value: object, name: str, allowed: range) -> int | None:
    """``value`` (an int, a whole float or digits) as an int within ``allowed``; None when empty; else ValueError."""
    if value in ("", None):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{name} {value!r} is not a whole number")
    if isinstance(value, float) and not value.is_integer():  # also NaN and infinity
        raise ValueError(f"{name} {value!r} is not a whole number")
    number = int(value)
    if number not in allowed:
        raise ValueError(f"{name} {value!r} is outside {allowed.start}-{allowed.stop - 1}")
    return number


@dataclass(frozen=True)
class Author:
    """A researcher to study, as listed in a roster file."""

    key: str
    name: str
    scholar_id: str = ""
    openalex: str = ""
    dblp: str = ""
    orcid: str = ""
    names: tuple[str, ...] = ()  # other forms of the name papers use ("Yann Le Cun"), for matching imports


_WINDOW = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|\.\.|:)\s*(\d{4}))?\s*$")


@dataclass(frozen=True)
class YearWindow:
    """An inclusive range of publication years."""

    start: int
    end: int

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.start <= year <= self.end

    def __str__(self) -> str:
        return f"{self.start}-{self.end}" if self.start != self.end else str(self.start)

    @classmethod
    def parse(cls, text: str, *, today: dt.date | None = None) -> YearWindow:
        """Parse ``2021-2022`` or ``2021``; raise BadInputError with a fix otherwise."""
        match = _WINDOW.match(text or "")
        if not match:
            raise BadInputError(
                f"--years {text!r} is not a year window",
                "Write it as START-END, for example --years 2021-2022, or one year: --years 2021",
            )
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if start > end:
            raise BadInputError(f"--years {text} starts after it ends", f"Did you mean --years {end}-{start}?")
        this_year = (today or dt.date.today()).year
        if start < EARLIEST_YEAR:
            raise BadInputError(
                f"--years {text} starts before {EARLIEST_YEAR}",
                f"Use years between {EARLIEST_YEAR} and {this_year}",
            )
        if start > this_year:
            raise BadInputError(
                f"--years {text} lies in the future (this year is {this_year})",
                f"Use a window that starts in {this_year} or earlier",
            )
        return cls(start, end)
