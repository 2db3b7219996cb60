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
  ``_Navigator`` answers ``_get_soup`` with ONE request through
  :class:`~authorstats.sources.scholar_http.ScholarHttp` (an httpx.Client made by its ``make_client``,
  or passed in), within the run's :class:`~authorstats.sources.Deadline`, with a polite 1-2 s pause
  between requests, and every refusal turned into one :class:`~authorstats.sources.SourceRefused`.
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
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import httpx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.models import Author, Publication, YearWindow, citation_years, utc_now
from authorstats.sources import Deadline, Page, Source
from authorstats.sources.scholar_http import (
    BASE_URL,
    DELAY,
    SERVICE,
    Connection,
    NotFound,
    ScholarHttp,
    connection,
    make_client,
)

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

log = logging.getLogger(__name__)

NAME = "scholar"
PAGESIZE = 100  # rows per list page: the most Scholar serves
# What scholarly's parsers raise on a page that is not what they expect.
_PARSE_ERRORS = (AttributeError, IndexError, KeyError, TypeError, ValueError)


@dataclass(frozen=True)
class _Scholarly:
    """What is used of scholarly (its classes are not annotated: Any)."""

    AuthorParser: Any
    PublicationParser: Any
    PublicationSource: Any
    version: str


_modules: _Scholarly | None = None


def _scholarly() -> _Scholarly:
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
        _modules = _Scholarly(
            AuthorParser=AuthorParser,
            PublicationParser=PublicationParser,
            PublicationSource=PublicationSource,
            version=version("scholarly"),
        )
    return _modules


def scholarly_version() -> str:
    return _scholarly().version


def polite_sleep(seconds: float) -> None:
    """The pause between two requests (a module function, looked up at each pause, so tests can replace it)."""
    time.sleep(seconds)


def list_url(scholar_id: str, cstart: int = 0) -> str:
    """The list page scholarly's ``fill(sortby="year")`` asks for: newest first, 100 rows from ``cstart``."""
    base = f"/citations?hl=en&user={scholar_id}&view_op=list_works&sortby=pubdate"
    return f"{base}&pagesize={PAGESIZE}" if cstart == 0 else f"{base}&cstart={cstart}&pagesize={PAGESIZE}"


class _Navigator:
    """What scholarly's parsers need from a navigator: ``_get_soup(url)`` and ``logger``."""

    def __init__(self, http: ScholarHttp) -> None:
        self.http = http
        self.logger = log
        self.last_soup: BeautifulSoup | None = None
        self._prefetched: dict[str, BeautifulSoup] = {}

    def prefetch(self, url: str) -> None:
        """Get ``url`` now; the parser's own ``_get_soup(url)`` then uses it without a second request."""
        self._prefetched[url] = self._get_soup(url)

    def _get_soup(self, url: str) -> BeautifulSoup:
        if url in self._prefetched:
            soup = self._prefetched.pop(url)
        else:
            from bs4 import BeautifulSoup

            html = self.http.get_page(url).replace("\xa0", " ")  # as scholarly's Navigator does
            soup = BeautifulSoup(html, "html.parser")
        self.last_soup = soup
        return soup


# ---------------------------------------------------------------------------------------------
# The source


def _year(value: object) -> int | None:
    text = str(value).strip() if value is not None else ""
    return int(text) if text.isdigit() and len(text) == 4 else None


class ScholarSource(Source):
    """An author's Google Scholar profile, read page by page until the year window is passed."""

    name = NAME
    fills_details = True

    def __init__(
        self,
        client: httpx.Client,
        *,
        deadline: Deadline | None = None,
        base_url: str = BASE_URL,
        conn: Connection | None = None,
        delay: tuple[float, float] = DELAY,
        rng: random.Random | None = None,
        alternatives: Sequence[str] = (),
    ) -> None:
        self.http = ScholarHttp(
            client,
            deadline=deadline,
            base_url=base_url,
            conn=conn,
            delay=delay,
            rng=rng,
            alternatives=alternatives,
            sleep=lambda seconds: polite_sleep(seconds),
        )
        self._nav = _Navigator(self.http)

    @property
    def requests(self) -> int:
        return self.http.requests

    @requests.setter
    def requests(self, value: int) -> None:  # Source.requests is a plain attribute, so writable here too
        self.http.requests = value

    def provenance(self) -> dict[str, Any]:
        """What the manifest records about how this source fetched (no secrets)."""
        return {"scholarly_version": scholarly_version(), "via": self.http.conn.via}

    def pages(self, author: Author, window: YearWindow, cursor: str | None = None) -> Iterator[Page]:
        """The profile page, then list pages of 100, newest first, until one reaches before ``window``."""
        if not author.scholar_id:
            raise BadInputError(
                f"{author.key} has no {SERVICE} id in the roster",
                'Add scholar = "..." (the user= value of the profile URL) to its [[author]] table, '
                "or use another --source",
            )
        profile_id = author.scholar_id
        start = int(cursor or 0)
        info: dict[str, Any] = {}
        if start == 0:
            try:
                # The first request goes out before scholarly is imported (1-2 s), so a refusal is
                # reported at once; scholarly's fill() below asks for this same URL and gets it.
                self._nav.prefetch(list_url(author.scholar_id))
                parser = _scholarly().AuthorParser(self._nav)
                profile = parser.get_author(author.scholar_id)
                parser.fill(profile, sections=["basics"], sortby="year")
            except NotFound:
                raise BadInputError(
                    f"{SERVICE} has no profile {author.scholar_id} (HTTP 404) for {author.key}",
                    "Check the scholar id in the roster: the user= value of the profile URL",
                ) from None
            except _PARSE_ERRORS as exc:
                raise self._unreadable(f"the profile page of {author.key}", exc) from None
            profile_id = profile["scholar_id"]
            info = {"profile_id": profile_id, "name": profile.get("name", "").strip()}
            soup = self._nav.last_soup
            if soup is None:  # scholarly's fill() read no page
                raise self._unreadable(f"the profile page of {author.key}", None)
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

    def _get_list(self, author: Author, profile_id: str, start: int) -> BeautifulSoup:
        try:
            return self._nav._get_soup(list_url(profile_id, start))
        except NotFound:
            raise BadInputError(
                f"{SERVICE} has no profile {profile_id} (HTTP 404) for {author.key}",
                "Check the scholar id in the roster: the user= value of the profile URL",
            ) from None

    def _rows(
        self, soup: BeautifulSoup, author: Author, window: YearWindow
    ) -> tuple[list[Publication], int | None, bool]:
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
            records.append(
                Publication(
                    author=author.key,
                    title=title,
                    year=year,
                    source=NAME,
                    venue=" ".join(pub["bib"].get("citation", "").split()),
                    citations=pub.get("num_citations"),
                    source_id=pub["author_pub_id"],
                    fetched_at=fetched_at,
                )
            )
        if skipped:
            log.warning(
                "%s: skipped %d row(s) of a Scholar list page that had no title or publication id", author.key, skipped
            )
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
            "container_type": "Publication",
            "source": sch.PublicationSource.AUTHOR_PUBLICATION_ENTRY,
            "bib": {"title": record.title},
            "author_pub_id": record.source_id,
            "filled": False,
            "num_citations": record.citations,
        }
        try:
            sch.PublicationParser(self._nav).fill(pub)
        except (NotFound, *_PARSE_ERRORS) as exc:
            why = "not found" if isinstance(exc, NotFound) else f"unreadable ({type(exc).__name__})"
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
        by_year = record.citations_by_year
        try:  # the detail page's bar chart of citations per year; scholarly parses it, a bad one is left out
            by_year = citation_years(pub.get("cites_per_year")) or by_year
        except ValueError:
            log.warning("%s: unreadable citations per year for %r", record.author, record.title)
        detail_year = bib.get("pub_year")
        if isinstance(detail_year, int) and detail_year != record.year:
            extra["detail_year"] = detail_year
        return replace(
            record,
            authors=authors or record.authors,
            venue=venue or record.venue,
            abstract=" ".join(str(bib.get("abstract", "")).split()) or record.abstract,
            citations_by_year=by_year,
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


def open_source(
    *, deadline: Deadline, proxy: str | None = None, scraperapi_key: str | None = None, alternatives: Sequence[str] = ()
) -> ScholarSource:
    """A ScholarSource with its own client, set up from ``--proxy`` / ``SCRAPERAPI_KEY``."""
    conn = connection(proxy, scraperapi_key)
    return ScholarSource(make_client(conn), deadline=deadline, conn=conn, alternatives=alternatives)
