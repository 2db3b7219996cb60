"""Plain records: a Publication, an Author and a year window, to and from JSON-friendly dicts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
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


@dataclass(frozen=True)
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
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["authors"] = list(self.authors)
        data["extra"] = dict(self.extra)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Publication:
        """Build a record from a dict; unknown keys go to ``extra``, bad types raise ValueError."""
        known = {f.name for f in dataclasses.fields(cls)}
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
        kwargs["authors"] = tuple(str(a) for a in authors)
        for text_field in ("venue", "abstract", "doi", "source_id", "fetched_at"):
            value = kwargs.get(text_field)
            kwargs[text_field] = "" if value is None else str(value)
        return cls(**kwargs, extra=extra)


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
