"""Google Scholar profiles through scholarly: year-bounded list pages and per-publication details.

How the work is split, and why:

- scholarly does the parsing. Its ``AuthorParser.fill(..., sortby="year")`` builds the profile URL
  and reads the profile (name, affiliation, id after a redirect), its
  ``PublicationParser.get_publication`` reads each list row (title, year, venue line, citations,
  publication id) and ``PublicationParser.fill`` reads a publication's detail page (authors, venue,
  abstract). They are used unchanged, through the one method they call on a navigator:
  ``_get_soup(url)``.
- scholarly's ``Navigator`` is NOT used for HTTP: on a refusal it sleeps 60-120 s, retries for minutes,
  loops on Google's "unusual traffic" page, fails with AttributeError on a login redirect and opens a
  Selenium browser on a captcha; its ``ProxyGenerator`` checks proxies with unbounded requests
  (httpbin.org, the ScraperAPI account) and passes httpx's ``proxies=``, removed in httpx 0.28. Here
  ``_Navigator`` answers ``_get_soup`` with ONE request through an httpx.Client made by
  :func:`make_client` (or passed in), within the run's :class:`~authorstats.sources.Deadline`, with a
  polite 1-2 s pause between requests, and turns every refusal into one :class:`SourceRefused`.
- scholarly's list paging (``_fill_publications``) reads the whole profile; paging is done here and
  stops at the first page whose oldest dated row is older than the window.

scholarly's global state does not leak: importing it creates a singleton Navigator and loads a
``.env`` file from the working folder into ``os.environ``; :func:`_scholarly` imports it once with
the environment saved and restored, and nothing here touches that singleton, its proxy generators or
its ``scholarly`` logger (the parsers log through this module's logger instead).
"""

from __future__ import annotations

import logging
import os
import random
import re
import socket
import threading
import time
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Iterator, Sequence

import httpx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.models import Author, Publication, YearWindow, utc_now
from authorstats.sources import Deadline, Page, SourceRefused

log = logging.getLogger(__name__)

NAME = "scholar"
SERVICE = "Google Scholar"
BASE_URL = "https://scholar.google.com"
PAGESIZE = 100  # rows per list page: the most Scholar serves
DELAY = (1.0, 2.0)  # seconds between two requests, drawn at random, as scholarly does
REQUEST_TIMEOUT = 15.0  # scholarly's longest; ScraperAPI needs up to 60 s per request
SCRAPERAPI_TIMEOUT = 60.0
SCRAPERAPI_ENV = "SCRAPERAPI_KEY"
MAX_REDIRECTS = 3
# What scholarly's parsers raise on a page that is not what they expect.
_PARSE_ERRORS = (AttributeError, IndexError, KeyError, TypeError, ValueError)
_CAPTCHA_MARKERS = (
    'id="gs_captcha_ccl"', 'id="recaptcha"', 'id="captcha-form"',  # the ids scholarly looks for
    'class="g-recaptcha"', 'class="rc-doscaptcha-body"', "google.com/recaptcha/",
)
_UNUSUAL_TRAFFIC = re.compile(r"unusual\s+traffic", re.IGNORECASE)
_DNS_ERRORS = ("name or service not known", "temporary failure in name resolution",
               "nodename nor servname", "no address associated", "getaddrinfo failed")

_modules: SimpleNamespace | None = None


def _scholarly() -> SimpleNamespace:
    """scholarly's parsers and types, imported once without letting its import change os.environ."""
    global _modules
    if _modules is None:
        saved = dict(os.environ)
        try:
            from importlib.metadata import version

            from scholarly.author_parser import AuthorParser
            from scholarly.data_types import PublicationSource
            from scholarly.publication_parser import PublicationParser
        finally:
            for key in set(os.environ) - set(saved):
                del os.environ[key]
            for key, value in saved.items():
                if os.environ.get(key) != value:
                    os.environ[key] = value
        _modules = SimpleNamespace(AuthorParser=AuthorParser, PublicationParser=PublicationParser,
                                   PublicationSource=PublicationSource, version=version("scholarly"))
    return _modules


def scholarly_version() -> str:
    return _scholarly().version


def polite_sleep(seconds: float) -> None:
    """The pause between two requests (a module function so tests can replace it)."""
    time.sleep(seconds)


def list_url(scholar_id: str, cstart: int = 0) -> str:
    """The list page scholarly's ``fill(sortby="year")`` asks for: newest first, 100 rows from ``cstart``."""
    base = f"/citations?hl=en&user={scholar_id}&view_op=list_works&sortby=pubdate"
    return f"{base}&pagesize={PAGESIZE}" if cstart == 0 else f"{base}&cstart={cstart}&pagesize={PAGESIZE}"


# ---------------------------------------------------------------------------------------------
# Connection: proxies, the client, secrets kept out of every message


@dataclass(frozen=True)
class Connection:
    """How requests go out: the proxy (if any), shown masked, and the secrets to keep out of messages."""

    proxy: str | None = None
    via: str = "direct"  # for messages and the manifest: never holds a secret
    verify: bool = True
    request_timeout: float = REQUEST_TIMEOUT
    secrets: tuple[str, ...] = ()

    @property
    def proxied(self) -> bool:
        return self.proxy is not None


def mask_url(url: str) -> str:
    """``http://user:pass@host:8080`` -> ``http://***@host:8080``."""
    return re.sub(r"(?<=://)[^/@\s]*@", "***@", url)


def connection(proxy: str | None = None, scraperapi_key: str | None = None) -> Connection:
    """Check ``--proxy`` and ``SCRAPERAPI_KEY`` (``--proxy`` wins) and say how requests will go out."""
    if proxy:
        try:
            url = httpx.URL(proxy.strip())
        except (httpx.InvalidURL, TypeError, ValueError):
            url = None
        if url is None or url.scheme not in ("http", "https", "socks5", "socks5h") or not url.host:
            raise BadInputError(
                f"--proxy {mask_url(proxy)!r} is not a proxy URL",
                "Write it as http://HOST:PORT (or http://USER:PASSWORD@HOST:PORT)",
            )
        if url.scheme.startswith("socks"):
            try:
                import socksio  # noqa: F401  httpx needs it for SOCKS
            except ImportError:
                raise BadInputError(
                    "SOCKS proxies need the socksio package", "Install it (pip install 'httpx[socks]') or use an http:// proxy"
                ) from None
        secrets = tuple(s for s in (url.password, url.username if url.password else "", scraperapi_key) if s)
        return Connection(proxy=str(url), via=f"proxy {mask_url(str(url))}", secrets=secrets)
    if scraperapi_key:
        key = scraperapi_key.strip()
        # ScraperAPI's proxy mode, as scholarly's ProxyGenerator.ScraperAPI sets it up; it re-signs
        # TLS, so certificates cannot be verified through it.
        return Connection(proxy=f"http://scraperapi.retry_404=true:{key}@proxy-server.scraperapi.com:8001",
                          via="ScraperAPI", verify=False, request_timeout=SCRAPERAPI_TIMEOUT, secrets=(key,))
    for var in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        if os.environ.get(var):
            return Connection(via=f"proxy {mask_url(os.environ[var])} (from {var})")
    return Connection()


def _user_agent() -> str:
    """A desktop browser's User-Agent, chosen at random as scholarly does (Scholar refuses obvious bots)."""
    try:
        from fake_useragent import UserAgent

        logging.getLogger("fake_useragent").disabled = True
        try:
            return UserAgent(platforms="desktop").random
        finally:
            logging.getLogger("fake_useragent").disabled = False
    except Exception:  # fake_useragent is optional in scholarly; its data can be missing
        return ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
                "Chrome/124.0 Safari/537.36")


def make_client(conn: Connection) -> httpx.Client:
    """The client for Scholar: the proxy of ``conn``, no automatic redirects (each one is inspected)."""
    return httpx.Client(
        proxy=conn.proxy,  # `proxy=`: works with httpx 0.26+, unlike scholarly's `proxies=`
        verify=conn.verify,
        follow_redirects=False,
        headers={
            "User-Agent": _user_agent(),
            "Accept": "text/html,application/xhtml+xml,application/xml",
            "Accept-Language": "en-US,en",
        },
    )


def ways_out(conn: Connection, alternatives: Sequence[str] = ()) -> str:
    """The hint printed with every refusal: proxy, another source, or the bundled snapshot."""
    proxy = ("another proxy (--proxy URL, or a ScraperAPI key in SCRAPERAPI_KEY)" if conn.proxied
             else "a proxy (--proxy URL, or a ScraperAPI key in SCRAPERAPI_KEY)")
    others = (f"another source (--source {'|'.join(alternatives)})" if alternatives
              else "another source with --source once one is available")
    return (f"Ways out: {proxy}, {others}, or `authorstats report`, "
            "which works on the bundled snapshot without fetching")


# ---------------------------------------------------------------------------------------------
# One request at a time, within the deadline


class _NotFound(Exception):
    """Scholar answered 404: the profile or publication id does not exist."""


class ScholarHttp:
    """Sends each request once, pausing politely between requests, and explains every refusal."""

    def __init__(self, client: httpx.Client, *, deadline: Deadline | None = None, base_url: str = BASE_URL,
                 conn: Connection | None = None, delay: tuple[float, float] = DELAY,
                 rng: random.Random | None = None, alternatives: Sequence[str] = ()) -> None:
        self.client = client
        self.deadline = deadline or Deadline(None)
        self.base_url = base_url.rstrip("/")
        self.conn = conn or Connection()
        self.delay = delay
        self.rng = rng or random.Random()
        self.hint = ways_out(self.conn, alternatives)
        self.requests = 0  # sent, including refused ones
        self.answered = 0  # pages that came back usable

    def get_page(self, url: str) -> str:
        """The HTML of ``url`` (a path on Scholar or a full URL); SourceRefused on any refusal."""
        if url.startswith("/"):
            url = self.base_url + url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._send(url)
            if response.is_redirect:
                target = response.url.join(response.headers.get("location", ""))
                self._check_redirect(target)
                url = str(target)
                continue
            self._check_page(response)
            self.answered += 1
            return response.text
        raise SourceUnavailableError(f"{SERVICE} redirected more than {MAX_REDIRECTS} times for {url}",
                                     "Check the scholar id in the roster")

    def _send(self, url: str) -> httpx.Response:
        if self.requests and self.delay[1] > 0:
            pause = self.rng.uniform(*self.delay)
            if pause >= self.deadline.remaining():
                raise self._deadline()
            polite_sleep(pause)
        remaining = self.deadline.remaining()
        if remaining <= 0:
            raise self._deadline()
        timeout = min(self.conn.request_timeout, remaining)
        self.requests += 1
        outcome: dict = {}

        def work() -> None:
            try:
                outcome["response"] = self.client.get(url, timeout=timeout)
            except BaseException as exc:  # handed to the waiting thread below
                outcome["error"] = exc

        # The request runs in a daemon thread so that nothing (a DNS lookup that hangs, a server that
        # trickles bytes) can hold the run past its deadline: httpx's timeouts do not cover those.
        worker = threading.Thread(target=work, name="authorstats-scholar-request", daemon=True)
        worker.start()
        worker.join(None if remaining == float("inf") else remaining)
        if worker.is_alive():
            raise self._deadline()
        if "error" in outcome:
            raise self._unreachable(outcome["error"], timeout) from None
        return outcome["response"]

    def _refused(self, cause: str) -> SourceRefused:
        return SourceRefused(f"{SERVICE} refused: {cause}", self.hint)

    def _deadline(self) -> SourceRefused:
        limit = f"{self.deadline.seconds:g} s" if self.deadline.seconds is not None else "deadline"
        if self.answered:
            return SourceRefused(
                f"{SERVICE}: stopped at the --deadline of {limit}",
                "What was fetched is kept: run the same command again to resume, or allow more time with --deadline SECONDS",
            )
        return SourceRefused(f"{SERVICE} did not answer within the --deadline of {limit}", self.hint)

    def _unreachable(self, exc: BaseException, timeout: float) -> BaseException:
        if not isinstance(exc, (httpx.HTTPError, OSError)):
            return exc  # a bug or KeyboardInterrupt: not ours to explain
        detail = _mask(str(exc), self.conn.secrets) or type(exc).__name__
        host = httpx.URL(self.base_url).host
        if isinstance(exc, httpx.TimeoutException):
            cause = f"no answer within {timeout:g} s"
        elif isinstance(exc, httpx.ProxyError):
            cause = f"the {self.conn.via} failed ({detail})"
        elif isinstance(exc, httpx.ConnectError) and self.conn.proxied:
            cause = f"could not connect to the {self.conn.via} ({detail})"
        elif isinstance(exc, httpx.ConnectError) and _is_dns_failure(exc):
            cause = f"the name {host} could not be looked up (offline, or DNS is blocked)"
        elif isinstance(exc, httpx.ConnectError):
            cause = f"could not connect to {host} ({detail})"
        else:
            cause = f"{type(exc).__name__}: {detail}"
        return SourceRefused(f"{SERVICE} could not be reached: {cause}", self.hint)

    def _check_redirect(self, target: httpx.URL) -> None:
        host, path = target.host or "", target.path or ""
        if host.startswith("accounts.google.") or "ServiceLogin" in path:
            raise self._refused(f"it redirected to a Google sign-in page ({host})")
        if path.startswith("/sorry"):
            raise self._refused(f"it redirected to Google's \"unusual traffic\" page ({host}{path})")
        if host.startswith("consent.google."):
            raise self._refused("it redirected to Google's cookie-consent page, which needs a browser")
        if host != httpx.URL(self.base_url).host:
            raise self._refused(f"it redirected away from Scholar, to {host}")

    def _check_page(self, response: httpx.Response) -> None:
        status = response.status_code
        text = response.text if "html" in response.headers.get("content-type", "text/html") else ""
        path = response.url.path or ""
        if response.url.host.startswith("accounts.google.") or "ServiceLogin" in path:
            raise self._refused("it answered with a Google sign-in page")
        if path.startswith("/sorry") or _UNUSUAL_TRAFFIC.search(text):
            raise self._refused(f"Google's \"unusual traffic\" page (HTTP {status}): it takes this address for a robot")
        if any(marker in text for marker in _CAPTCHA_MARKERS):
            raise self._refused(f"it asks for a CAPTCHA (HTTP {status})")
        if status == 429:
            raise self._refused("too many requests (HTTP 429): Google is rate-limiting this address")
        if status == 403:
            raise self._refused("access denied (HTTP 403): Google blocks this address")
        if status == 404:
            raise _NotFound()
        if status >= 500:
            raise SourceRefused(f"{SERVICE} had a server error (HTTP {status})", self.hint)
        if status != 200:
            raise SourceUnavailableError(f"{SERVICE} answered HTTP {status}", "Try again later")


def _mask(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "***")
    return mask_url(text)


def _is_dns_failure(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:  # httpx wraps httpcore's error, which wraps the socket's
        if isinstance(exc, socket.gaierror) or any(marker in str(exc).lower() for marker in _DNS_ERRORS):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class _Navigator:
    """What scholarly's parsers need from a navigator: ``_get_soup(url)`` and ``logger``."""

    def __init__(self, http: ScholarHttp) -> None:
        self.http = http
        self.logger = log
        self.last_soup = None
        self._prefetched: dict[str, object] = {}

    def prefetch(self, url: str) -> None:
        """Get ``url`` now; the parser's own ``_get_soup(url)`` then uses it without a second request."""
        self._prefetched[url] = self._get_soup(url)

    def _get_soup(self, url: str):
        if url in self._prefetched:
            self.last_soup = self._prefetched.pop(url)
            return self.last_soup
        from bs4 import BeautifulSoup

        html = self.http.get_page(url).replace("\xa0", " ")  # as scholarly's Navigator does
        self.last_soup = BeautifulSoup(html, "html.parser")
        return self.last_soup


# ---------------------------------------------------------------------------------------------
# The source


def _year(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) == 4 else None


class ScholarSource:
    """An author's Google Scholar profile, read page by page until the year window is passed."""

    name = NAME

    def __init__(self, client: httpx.Client, *, deadline: Deadline | None = None, base_url: str = BASE_URL,
                 conn: Connection | None = None, delay: tuple[float, float] = DELAY,
                 rng: random.Random | None = None, alternatives: Sequence[str] = ()) -> None:
        self.http = ScholarHttp(client, deadline=deadline, base_url=base_url, conn=conn, delay=delay,
                                rng=rng, alternatives=alternatives)
        self._nav = _Navigator(self.http)

    @property
    def requests(self) -> int:
        return self.http.requests

    def provenance(self) -> dict:
        """What the manifest records about how this source fetched (no secrets)."""
        return {"scholarly_version": scholarly_version(), "via": self.http.conn.via}

    def fetch(self, author: Author, window: YearWindow) -> Iterator[Publication]:
        for page in self.pages(author, window):
            yield from page.records

    def pages(self, author: Author, window: YearWindow, cursor: str | None = None) -> Iterator[Page]:
        """The profile page, then list pages of 100, newest first, until one reaches before ``window``."""
        if not author.scholar_id:
            raise BadInputError(
                f"{author.key} has no Google Scholar id in the roster",
                'Add scholar = "..." (the user= value of the profile URL) to its [[author]] table, '
                "or use another --source",
            )
        profile_id = author.scholar_id
        start = int(cursor or 0)
        info: dict = {}
        if start == 0:
            try:
                # The first request goes out before scholarly is imported (1-2 s), so a refusal is
                # reported at once; scholarly's fill() below asks for this same URL and gets it.
                self._nav.prefetch(list_url(author.scholar_id))
                parser = _scholarly().AuthorParser(self._nav)
                profile = parser.get_author(author.scholar_id)
                parser.fill(profile, sections=["basics"], sortby="year")
            except _NotFound:
                raise BadInputError(
                    f"Google Scholar has no profile {author.scholar_id} (HTTP 404) for {author.key}",
                    "Check the scholar id in the roster: the user= value of the profile URL",
                ) from None
            except _PARSE_ERRORS as exc:
                raise self._unreadable(f"the profile page of {author.key}", exc) from None
            profile_id = profile["scholar_id"]
            info = {"profile_id": profile_id, "name": profile.get("name", "").strip()}
            soup = self._nav.last_soup
        else:
            soup = self._get_list(author, profile_id, start)
        while True:
            records, oldest, more = self._rows(soup, author, window)
            start += PAGESIZE
            last = not more or (oldest is not None and oldest < window.start)
            yield Page(records, None if last else str(start), info)
            if last:
                return
            info = {}
            soup = self._get_list(author, profile_id, start)

    def _get_list(self, author: Author, profile_id: str, start: int):
        try:
            return self._nav._get_soup(list_url(profile_id, start))
        except _NotFound:
            raise BadInputError(
                f"Google Scholar has no profile {profile_id} (HTTP 404) for {author.key}",
                "Check the scholar id in the roster: the user= value of the profile URL",
            ) from None

    def _rows(self, soup, author: Author, window: YearWindow) -> tuple[list[Publication], int | None, bool]:
        """In-window records of one list page, the page's oldest dated year, and whether more pages follow."""
        sch = _scholarly()
        parser = sch.PublicationParser(self._nav)
        rows = soup.find_all("tr", class_="gsc_a_tr")
        records, years, skipped = [], [], 0
        fetched_at = utc_now()
        for row in rows:
            try:
                pub = parser.get_publication(row, sch.PublicationSource.AUTHOR_PUBLICATION_ENTRY)
            except _PARSE_ERRORS:
                skipped += 1
                continue
            year = _year(pub["bib"].get("pub_year"))
            if year is not None:
                years.append(year)
            if year not in window:
                continue
            title = " ".join(pub["bib"].get("title", "").split())
            if not title:
                skipped += 1
                continue
            records.append(Publication(
                author=author.key, title=title, year=year, source=NAME,
                venue=" ".join(pub["bib"].get("citation", "").split()),
                citations=pub.get("num_citations"), source_id=pub["author_pub_id"], fetched_at=fetched_at,
            ))
        if skipped:
            log.warning("%s: skipped %d row(s) of a Scholar list page that had no title or publication id",
                        author.key, skipped)
        if not rows and soup.find("div", id="gsc_prf_in") is None:
            raise self._unreadable(f"a list page of {author.key}", None)
        button = soup.find("button", id="gsc_bpf_more")
        more = button is not None and "disabled" not in button.attrs and len(rows) >= PAGESIZE
        return records, (min(years) if years else None), more

    def fill(self, record: Publication) -> Publication:
        """``record`` with authors, venue and abstract from its Scholar detail page (one request).

        A detail page that is gone (404) or unreadable leaves the record as listed, marked
        ``extra["details"] = "unavailable"``; a refusal raises SourceRefused.
        """
        sch = _scholarly()
        pub = {
            "container_type": "Publication", "source": sch.PublicationSource.AUTHOR_PUBLICATION_ENTRY,
            "bib": {"title": record.title}, "author_pub_id": record.source_id, "filled": False,
            "num_citations": record.citations,
        }
        try:
            sch.PublicationParser(self._nav).fill(pub)
        except (_NotFound, *_PARSE_ERRORS) as exc:
            why = "not found" if isinstance(exc, _NotFound) else f"unreadable ({type(exc).__name__})"
            log.warning("%s: no details for %r: its Scholar page is %s", record.author, record.title, why)
            return replace(record, extra={**record.extra, "details": "unavailable"})
        bib = pub["bib"]
        authors = tuple(a.strip() for a in bib.get("author", "").split(" and ") if a.strip())
        venue = " ".join((bib.get("journal") or bib.get("conference") or "").split())
        extra = {**record.extra, "details": "filled", "venue_line": record.venue}
        for key in ("publisher", "volume", "pages"):
            if bib.get(key):
                extra[key] = bib[key]
        if pub.get("pub_url"):
            extra["url"] = pub["pub_url"]
        if pub.get("cites_per_year"):
            extra["cites_per_year"] = {str(y): n for y, n in pub["cites_per_year"].items()}
        detail_year = bib.get("pub_year")
        if isinstance(detail_year, int) and detail_year != record.year:
            extra["detail_year"] = detail_year
        return replace(
            record,
            authors=authors or record.authors,
            venue=venue or record.venue,
            abstract=" ".join(str(bib.get("abstract", "")).split()) or record.abstract,
            extra=extra,
        )

    def _unreadable(self, what: str, exc: BaseException | None) -> SourceUnavailableError:
        why = f" ({type(exc).__name__})" if exc is not None else ""
        return SourceUnavailableError(
            f"{SERVICE} sent {what} in a layout authorstats cannot read{why}",
            "Scholar may have changed its pages; try again later or use another --source, and report it",
        )

    def close(self) -> None:
        self.http.client.close()


def open_source(*, deadline: Deadline, proxy: str | None = None, scraperapi_key: str | None = None,
                alternatives: Sequence[str] = ()) -> ScholarSource:
    """A ScholarSource with its own client, set up from ``--proxy`` / ``SCRAPERAPI_KEY``."""
    conn = connection(proxy, scraperapi_key)
    return ScholarSource(make_client(conn), deadline=deadline, conn=conn, alternatives=alternatives)
