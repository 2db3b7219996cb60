"""Publication sources behind one small interface.

A source turns an Author and a YearWindow into Publication records. It owns its network
session (passed in, never global) and raises SourceUnavailableError when the service
refuses or cannot be reached. Sources never write files: fetch.py saves what they yield.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol, runtime_checkable

from authorstats.errors import SourceUnavailableError
from authorstats.models import Author, Publication, YearWindow


class Source(Protocol):
    name: str

    def fetch(self, author: Author, window: YearWindow) -> Iterable[Publication]:
        """Yield the author's publications in ``window``, newest first where the source allows."""
        ...


class SourceRefused(SourceUnavailableError):
    """The service refused this run or cannot be reached at all (offline, rate limit, captcha, deadline).

    Unlike a failure about one author (an unknown profile id), every later request of the run would
    fail the same way, so fetch.py stops asking this source and counts the remaining authors as failed.
    """


@dataclass(frozen=True)
class Page:
    """One page of an author's list, as a paged source returns it.

    ``cursor`` says where the next page starts (``None``: the list is complete); fetch.py keeps it with
    the records fetched so far so an interrupted run resumes at that page. ``info`` carries what the
    source learnt about the author (profile id, name) for the manifest: never secrets.
    """

    records: list[Publication]
    cursor: str | None
    info: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class PagedSource(Source, Protocol):
    """A Source whose list comes in pages and can be resumed at a cursor."""

    def pages(self, author: Author, window: YearWindow, cursor: str | None = None) -> Iterator[Page]:
        """Yield the pages of ``author``'s list in ``window``, starting at ``cursor`` (the start if None)."""
        ...


@runtime_checkable
class DetailSource(Source, Protocol):
    """A Source that can fill one listed record with details (authors, venue, abstract), one request each."""

    def fill(self, record: Publication) -> Publication:
        ...


class Deadline:
    """The time left for a whole run; every request asks it before going out.

    ``seconds=None`` means no limit. ``clock`` is injectable for tests.
    """

    def __init__(self, seconds: float | None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._clock = clock
        self._end = None if seconds is None else clock() + seconds

    def remaining(self) -> float:
        """Seconds left (``math.inf`` without a limit, 0 once passed)."""
        if self._end is None:
            return math.inf
        return max(0.0, self._end - self._clock())
