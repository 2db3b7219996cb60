"""Publication sources behind one interface, :class:`Source`, and what they share: pages, the run's
deadline, the refusal error and the services' display names.

A source turns an Author and a YearWindow into Publication records, page by page. It owns its
network session (passed in, never global) and raises SourceUnavailableError when the service
refuses or cannot be reached. Sources never write files: the shell's fetch saves what they yield.
"""

from __future__ import annotations

import abc
import math
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from authorstats.errors import SourceUnavailableError
from authorstats.models import Author, Publication, YearWindow
from authorstats.source_names import SERVICE_NAMES as SERVICE_NAMES
from authorstats.source_names import service_name as service_name


class SourceRefused(SourceUnavailableError):
    """The service refused this run or cannot be reached at all (offline, rate limit, captcha, deadline).

    Unlike a failure about one author (an unknown profile id), every later request of the run would
    fail the same way, so fetch stops asking this source and counts the remaining authors as failed.
    """


@dataclass(frozen=True)
class Page:
    """One page of an author's list, as a source returns it.

    ``cursor`` says where the next page starts (``None``: the list is complete); fetch keeps it with
    the records fetched so far so an interrupted run resumes at that page. ``info`` carries what the
    source learnt about the author (profile id, name) for the manifest: never secrets.
    """

    records: list[Publication]
    cursor: str | None
    info: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CohortPage:
    """One page of a cohort's works: ``records`` holds, per author key, that author's records of the page
    (a work naming two of the cohort's authors is a record for each); ``cursor`` as in :class:`Page`."""

    records: Mapping[str, list[Publication]]
    cursor: str | None


class Source(abc.ABC):
    """What fetch asks of every source. Subclasses set ``name`` and implement :meth:`pages`.

    Capabilities are declared, not guessed: ``fills_details`` says whether :meth:`fill` reads a
    record's detail page. ``requests`` counts the requests sent so far (for the run report and the
    manifest).
    """

    name: str
    fills_details: bool = False
    cohort_limit: int = 0  # > 1: cohort_pages lists up to this many authors' works together
    requests: int = 0

    @abc.abstractmethod
    def pages(self, author: Author, window: YearWindow, cursor: str | None = None) -> Iterator[Page]:
        """The pages of ``author``'s list in ``window``, from ``cursor`` (the start when None).

        A source whose whole list comes in one answer yields one page with ``cursor=None``.
        """

    def fetch(self, author: Author, window: YearWindow) -> Iterator[Publication]:
        """Every record of every page, for callers that do not resume (what ``pages`` checks, it checks now)."""
        pages = self.pages(author, window)
        return (record for page in pages for record in page.records)

    def in_cohort(self, author: Author) -> bool:
        """Whether ``author`` can be fetched in a cohort (the roster holds a usable id for it)."""
        return False

    def cohort_pages(
        self, authors: Sequence[Author], window: YearWindow, cursor: str | None = None
    ) -> Iterator[CohortPage]:
        """The pages of several authors' works together, each work given to every listed author it
        names; only when ``cohort_limit`` is above 1."""
        raise NotImplementedError(f"the {self.name} source does not fetch cohorts")

    def fill(self, record: Publication) -> Publication:
        """``record`` with details from its own page; only when ``fills_details`` is True."""
        raise NotImplementedError(f"the {self.name} source does not fill details")

    def provenance(self) -> dict[str, Any]:
        """What the manifest records about how this source fetched (never secrets)."""
        return {}

    def close(self) -> None:  # noqa: B027  # optional: a source that opened nothing has nothing to close
        """Release what the source opened itself (its HTTP client)."""


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
