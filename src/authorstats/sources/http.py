"""The one HTTP helper of the API sources: the client, one GET that turns every failure into a clear
SourceUnavailableError (secrets masked), a throttle, and the author-candidate record of identity search."""

from __future__ import annotations

import datetime as dt
import email.utils
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import httpx

from authorstats.errors import SourceUnavailableError
from authorstats.sources import Deadline, SourceRefused, proxies
from authorstats.sources.masking import mask
from authorstats.version import __version__

USER_AGENT = f"authorstats/{__version__} (bibliometrics CLI)"
READ_TIMEOUT = 15.0  # seconds
CONNECT_TIMEOUT = 5.0
TIMEOUT = httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT)
# A Retry-After longer than this is not waited for: the run fails with the service's message instead.
MAX_RETRY_AFTER = 10.0


@dataclass(frozen=True)
class Candidate:
    """One person a source's author search offered for a roster entry."""

    id: str  # the id to write into the roster (OpenAlex A..., dblp pid)
    name: str
    affiliation: str = ""
    works_count: int | None = None  # None when the source does not say
    orcid: str = ""
    url: str = ""
    by_orcid: bool = False  # found through the roster's ORCID, not by name


def make_client() -> httpx.Client:
    """The HTTP client the CLI passes to sources: timeouts, redirects, a descriptive User-Agent.

    It uses the environment's proxies, checked first: a malformed one is a BadInputError, not httpx's
    InvalidURL quoting a piece of its password."""
    proxies.check_environment()
    return httpx.Client(timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT})


def retry_after_seconds(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds asked by a Retry-After header (a number or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def get(
    client: httpx.Client,
    url: str,
    *,
    service: str,
    params: Mapping[str, str | int] | None = None,
    headers: Mapping[str, str] | None = None,
    secrets: Iterable[str] = (),
    hints: dict[int, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    allow: Iterable[int] = (),
    deadline: Deadline | None = None,
) -> httpx.Response:
    """GET ``url``; return the response for 2xx (and statuses in ``allow``), else raise.

    Failures that would hit every later request too (offline, timeout, 429, 403, server error, the
    run's deadline) raise SourceRefused; any other status raises SourceUnavailableError. A 429 with a
    short Retry-After is waited for and tried once more; a long or missing one fails at once with the
    service's own words. ``hints`` gives the fix to print per status code.
    """
    secrets = tuple(s for s in secrets if s)
    hints = hints or {}
    allowed = set(allow)
    for attempt in range(2):
        timeout: httpx.Timeout | None = None  # None: the client's own
        if deadline is not None:
            left = deadline.remaining()
            if left <= 0:
                raise SourceRefused(
                    f"{service}: the run's time limit passed before the next request",
                    "Run again to continue, or allow more time",
                )
            if left < READ_TIMEOUT:
                timeout = httpx.Timeout(left, connect=min(left, CONNECT_TIMEOUT))
        try:
            response = client.get(
                url,
                params=params,
                headers=headers,
                timeout=httpx.USE_CLIENT_DEFAULT if timeout is None else timeout,
            )
        except httpx.TimeoutException:
            raise SourceRefused(
                f"{service} did not answer in time", "Check your internet connection and try again later"
            ) from None
        except (httpx.HTTPError, OSError) as exc:
            detail = mask(str(exc), secrets) or type(exc).__name__
            raise SourceRefused(
                f"{service} could not be reached ({detail})",
                "Check your internet connection (and proxy settings) and try again",
            ) from None
        status = response.status_code
        if 200 <= status < 300 or status in allowed:
            return response
        if status == 429:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            if (
                attempt == 0
                and wait is not None
                and wait <= MAX_RETRY_AFTER
                and (deadline is None or wait < deadline.remaining())
            ):
                sleep(wait)
                continue
            asked = f", it asks to wait {wait:.0f} s" if wait is not None else ""
            raise SourceRefused(
                f"{service} refused: too many requests (HTTP 429{asked}){_said(response, secrets)}",
                hints.get(429, "Wait and try again later, or use another --source"),
            )
        if status == 403:
            raise SourceRefused(
                f"{service} refused the request (HTTP 403){_said(response, secrets)}",
                hints.get(403, "Slow down and try again later, or use another --source"),
            )
        if status >= 500:
            raise SourceRefused(
                f"{service} had a server error (HTTP {status})", "Try again later, or use another --source"
            )
        raise SourceUnavailableError(
            f"{service} answered HTTP {status}{_said(response, secrets)}",
            hints.get(status, "Check the id in your roster, or try again later"),
        )
    raise AssertionError("unreachable")  # pragma: no cover


def _said(response: httpx.Response, secrets: tuple[str, ...]) -> str:
    """The first line of the service's error text, short and with secrets masked, as ': ...'."""
    try:
        data = response.json()
        text = ""
        if isinstance(data, dict):
            text = str(data.get("message") or data.get("error") or "")
    except ValueError:
        text = response.text if "html" not in response.headers.get("content-type", "") else ""
    text = " ".join(mask(text, secrets).split())[:160]
    return f": {text}" if text else ""


def json_of(response: httpx.Response, service: str) -> object:
    try:
        return response.json()
    except ValueError:
        raise SourceUnavailableError(
            f"{service} sent an answer that is not JSON", "Try again later; the service may be down"
        ) from None


class Throttle:
    """Keeps at least ``interval`` seconds between the starts of successive requests."""

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            remaining = self._last + self.interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()
