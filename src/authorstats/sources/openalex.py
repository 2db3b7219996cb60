"""OpenAlex: an author's works in a year window (filtered by the server, cursor paging), a cohort's works
in one OR filter split back per author, and author search.

Needs a free API key (since February 2026) from the OPENALEX_API_KEY environment variable; it is
sent as the ``api_key`` query parameter and never printed.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import httpx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.identifiers import arxiv_id_from_doi, arxiv_id_from_url, normalise_doi
from authorstats.models import Author, Publication, YearWindow, citation_years, fraction, utc_now
from authorstats.sources import CohortPage, Deadline, Page, Source, service_name
from authorstats.sources.http import Candidate, Throttle, get, json_of
from authorstats.sources.masking import hide_keys_in_http_logs

NAME = "openalex"
SERVICE = service_name(NAME)
API = "https://api.openalex.org"
KEY_ENV = "OPENALEX_API_KEY"
PER_PAGE = 100
# Cohorts: OpenAlex's filter documentation allows up to 100 values OR-ed in one filter
# (``author.id:A1|A2|...``; older versions of that page said 50). Results a page: the current paging guide
# (developers.openalex.org, "Page through results") gives per_page 1-100; the older docs.openalex.org
# said up to 200, which the current API need not accept, so a cohort asks for 100 as one author does.
IDS_PER_REQUEST = 100
COHORT_PER_PAGE = PER_PAGE
# At most this many requests a second from one run; OpenAlex documents 100 a second per key as the
# ceiling (more is answered 429/403), and its key's daily allowance is counted in list calls anyway.
REQUESTS_PER_SECOND = 10.0
MAX_PAGES = 200  # 20,000 works: far above any one author's years; stops a cursor that never ends
COHORT_MAX_PAGES = 2000  # 400,000 works for up to 100 authors, likewise
KEY_HINT = "Get a free key at https://openalex.org/settings/api and set it: export OPENALEX_API_KEY=yourkey"
SELECT = ",".join(
    [
        "id",
        "doi",
        "title",
        "display_name",
        "publication_year",
        "type",
        "ids",
        "primary_location",
        "locations",
        "authorships",
        "cited_by_count",
        "abstract_inverted_index",
        "primary_topic",
        # impact over time and field-normalised impact (report's impact_by_year.csv, impact_normalised.csv): fields
        # of the same works, so they cost no request
        "counts_by_year",
        "fwci",
        "citation_normalized_percentile",
    ]
)
HINTS = {
    429: "OpenAlex's daily allowance for this key is used up; try again tomorrow, or use --source dblp",
    403: "OpenAlex refuses requests that come too fast or with an invalid key; wait a minute, check "
    "OPENALEX_API_KEY (https://openalex.org/settings/api) and try again",
    401: f"Check OPENALEX_API_KEY. {KEY_HINT}",
}
_AUTHOR_ID = re.compile(r"^(?:https?://openalex\.org/)?(A\d+)$", re.IGNORECASE)


def api_key_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The OpenAlex key from the environment, or one BadInputError saying how to get one."""
    key = (os.environ if environ is None else environ).get(KEY_ENV, "").strip()
    if not key:
        raise BadInputError(f"OpenAlex needs an API key and {KEY_ENV} is not set", KEY_HINT)
    return key


def short_id(value: str) -> str:
    """``https://openalex.org/A123`` or ``A123`` -> ``A123``; "" when it is not an author id."""
    match = _AUTHOR_ID.match((value or "").strip())
    return match.group(1).upper() if match else ""


def rebuild_abstract(index: Mapping[str, list[int]] | None) -> str:
    """The abstract text from OpenAlex's ``abstract_inverted_index`` (word -> positions)."""
    if not index:
        return ""
    positions: dict[int, str] = {}
    for word, places in index.items():
        for place in places or ():
            if isinstance(place, int):
                positions[place] = word
    return " ".join(positions[p] for p in sorted(positions))


def _arxiv_id(work: Mapping[str, Any], doi: str) -> str:
    arxiv = arxiv_id_from_doi(doi)
    if arxiv:
        return arxiv
    for location in [work.get("primary_location")] + list(work.get("locations") or []):
        if not isinstance(location, dict):
            continue
        for url_field in ("landing_page_url", "pdf_url"):
            arxiv = arxiv_id_from_url(location.get(url_field) or "")
            if arxiv:
                return arxiv
    return ""


def _topic(topic: Mapping[str, Any] | None) -> dict[str, Any]:
    if not isinstance(topic, dict):
        return {}
    kept = {"id": topic.get("id", ""), "display_name": topic.get("display_name", ""), "score": topic.get("score")}
    for level in ("subfield", "field", "domain"):
        part = topic.get(level)
        if isinstance(part, dict):
            kept[level] = part.get("display_name", "")
    return kept


def parse_work(work: Mapping[str, Any], author_key: str, fetched_at: str = "") -> Publication | None:
    """One OpenAlex work as a Publication; None for a work without a title."""
    title = " ".join(str(work.get("title") or work.get("display_name") or "").split())
    if not title:
        return None
    location = work.get("primary_location") or {}
    venue_source = location.get("source") or {}
    doi = normalise_doi(work.get("doi") or (work.get("ids") or {}).get("doi"))
    extra: dict[str, Any] = {}
    arxiv = _arxiv_id(work, doi)
    if arxiv:
        extra["arxiv_id"] = arxiv
    topic = _topic(work.get("primary_topic"))
    if topic:
        extra["openalex_primary_topic"] = topic
    if work.get("type"):
        extra["openalex_type"] = work["type"]
    if venue_source.get("type"):
        extra["venue_type"] = venue_source["type"]
    year = work.get("publication_year")
    citations = work.get("cited_by_count")
    by_year, fwci, percentile = _impact_fields(work)
    return Publication(
        author=author_key,
        title=title,
        year=year if isinstance(year, int) else None,
        source=NAME,
        venue=str(venue_source.get("display_name") or ""),
        authors=tuple(
            str((a.get("author") or {}).get("display_name") or a.get("raw_author_name") or "")
            for a in work.get("authorships") or ()
            if isinstance(a, dict)
        ),
        citations=citations if isinstance(citations, int) else None,
        abstract=rebuild_abstract(work.get("abstract_inverted_index")),
        doi=doi,
        source_id=str(work.get("id") or ""),
        fetched_at=fetched_at,
        citations_by_year=by_year,
        fwci=fwci,
        citation_percentile=percentile,
        extra=extra,
    )


def _impact_fields(work: Mapping[str, Any]) -> tuple[tuple[tuple[int, int], ...], float | None, float | None]:
    """A work's counts_by_year, fwci and citation_normalized_percentile value; a malformed one is left out (the
    work is kept), as OpenAlex leaves them null for works it has not scored."""
    try:
        by_year = citation_years(work.get("counts_by_year"))
    except ValueError:
        by_year = ()
    percentile = work.get("citation_normalized_percentile")
    values: list[float | None] = []
    for name, value, top in (
        ("fwci", work.get("fwci"), None),
        ("citation_percentile", percentile.get("value") if isinstance(percentile, dict) else None, 1.0),
    ):
        try:
            values.append(fraction(value, name, top))
        except ValueError:
            values.append(None)
    return by_year, values[0], values[1]


def work_author_ids(work: Mapping[str, Any]) -> set[str]:
    """The short author ids (``A123``) of a work's authorships."""
    ids = set()
    for authorship in work.get("authorships") or ():
        if isinstance(authorship, dict) and isinstance(authorship.get("author"), dict):
            author_id = short_id(str(authorship["author"].get("id") or ""))
            if author_id:
                ids.add(author_id)
    return ids


class OpenAlexSource(Source):
    """A Source over the OpenAlex API; the httpx client and the key are given to it. Requests are
    spaced to at most ``rate`` a second."""

    name = NAME
    cohort_limit = IDS_PER_REQUEST

    def __init__(
        self,
        client: httpx.Client,
        api_key: str,
        *,
        base_url: str = API,
        sleep: Callable[[float], None] = time.sleep,
        deadline: Deadline | None = None,
        rate: float = REQUESTS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not api_key:
            raise BadInputError(f"OpenAlex needs an API key and {KEY_ENV} is not set", KEY_HINT)
        self._client = client
        self._key = api_key
        hide_keys_in_http_logs()  # the key travels in the URL, which httpx logs
        self._base = base_url.rstrip("/")
        self._sleep = sleep
        self._deadline = deadline
        self._throttle = Throttle(1.0 / rate, clock=clock, sleep=sleep)
        self._owns_client = False
        self.requests = 0  # sent so far, for fetch's run report

    @classmethod
    def open(cls, *, deadline: Deadline | None = None, environ: Mapping[str, str] | None = None) -> OpenAlexSource:
        """A source with its own HTTP client (closed by ``close``) and the key from the environment."""
        from authorstats.sources.http import make_client

        key = api_key_from_env(environ)
        source = cls(make_client(), key, deadline=deadline)
        source._owns_client = True
        return source

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def _get_json(self, path: str, params: Mapping[str, str | int]) -> Any:
        self._throttle.wait()
        self.requests += 1
        response = get(
            self._client,
            f"{self._base}{path}",
            service=SERVICE,
            params={**params, "api_key": self._key},
            secrets=[self._key],
            hints=HINTS,
            sleep=self._sleep,
            allow=(404,),
            deadline=self._deadline,
        )
        if response.status_code == 404:
            return None
        return json_of(response, SERVICE)

    def pages(self, author: Author, window: YearWindow, cursor: str | None = None) -> Iterator[Page]:
        """The author's works in ``window``, 100 a page, from ``cursor`` (the start when None), following
        ``meta.next_cursor``."""
        author_id = self._author_id(author)
        return self._pages(author, author_id, window, cursor or "*")

    @staticmethod
    def _author_id(author: Author) -> str:
        author_id = short_id(author.openalex)
        if not author_id:
            what = f"{author.openalex!r} is not an OpenAlex author id" if author.openalex else "has no OpenAlex id"
            raise BadInputError(
                f"author {author.key!r} {what} in the roster",
                f"Run: authorstats authors resolve {author.key} --source openalex",
            )
        return author_id

    def _pages(self, author: Author, author_id: str, window: YearWindow, cursor: str) -> Iterator[Page]:
        fetched_at = utc_now()
        seen: set[str] = set()
        for _ in range(MAX_PAGES):
            data = self._get_json(
                "/works",
                {
                    "filter": f"author.id:{author_id},publication_year:{window.start}-{window.end}",
                    "per_page": PER_PAGE,
                    "cursor": cursor,
                    "select": SELECT,
                },
            )
            if data is None:
                raise SourceUnavailableError(
                    f"OpenAlex does not know the author id {author_id} ({author.key})",
                    f"Run: authorstats authors resolve {author.key} --source openalex",
                )
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise SourceUnavailableError(
                    "OpenAlex sent a works list without results", "Try again later; the API may have changed"
                )
            records = [
                r
                for r in (parse_work(w, author.key, fetched_at) for w in data["results"] if isinstance(w, dict))
                if r is not None
            ]
            seen.add(cursor)
            next_cursor = (data.get("meta") or {}).get("next_cursor") or None
            if not data["results"] or next_cursor in seen:
                next_cursor = None
            yield Page(records=records, cursor=next_cursor, info={"openalex": author_id})
            if next_cursor is None:
                return
            cursor = next_cursor
        raise SourceUnavailableError(
            f"OpenAlex kept paging past {MAX_PAGES} pages for {author.key}", "Narrow --years and try again"
        )

    def in_cohort(self, author: Author) -> bool:
        return bool(short_id(author.openalex))

    def cohort_pages(
        self, authors: Sequence[Author], window: YearWindow, cursor: str | None = None
    ) -> Iterator[CohortPage]:
        """The works of up to ``IDS_PER_REQUEST`` authors in ``window``, asked with one OR filter
        (``author.id:A1|A2|...``), COHORT_PER_PAGE a page from ``cursor``; each work becomes a record of every
        listed author among its authorships (so a paper of two of them counts for both)."""
        if not 0 < len(authors) <= IDS_PER_REQUEST:
            raise ValueError(f"a cohort holds 1 to {IDS_PER_REQUEST} authors, not {len(authors)}")
        keys_by_id: dict[str, list[str]] = {}
        for author in authors:
            keys_by_id.setdefault(self._author_id(author), []).append(author.key)
        return self._cohort_pages(keys_by_id, window, cursor or "*")

    def _cohort_pages(self, keys_by_id: dict[str, list[str]], window: YearWindow, cursor: str) -> Iterator[CohortPage]:
        fetched_at = utc_now()
        seen: set[str] = set()
        ids = "|".join(keys_by_id)
        received = 0
        for _ in range(COHORT_MAX_PAGES):
            data = self._get_json(
                "/works",
                {
                    "filter": f"author.id:{ids},publication_year:{window.start}-{window.end}",
                    "per_page": COHORT_PER_PAGE,
                    "cursor": cursor,
                    "select": SELECT,
                },
            )
            if not isinstance(data, dict) or not isinstance(data.get("results"), list):
                raise SourceUnavailableError(
                    "OpenAlex sent a works list without results", "Try again later; the API may have changed"
                )
            records: dict[str, list[Publication]] = {key: [] for keys in keys_by_id.values() for key in keys}
            for work in data["results"]:
                if not isinstance(work, dict):
                    continue
                for author_id in work_author_ids(work) & keys_by_id.keys():
                    for key in keys_by_id[author_id]:
                        record = parse_work(work, key, fetched_at)
                        if record is not None:
                            records[key].append(record)
            seen.add(cursor)
            meta = data.get("meta") or {}
            received += len(data["results"])
            next_cursor = meta.get("next_cursor") or None
            count = meta.get("count")
            if not data["results"] or next_cursor in seen or (isinstance(count, int) and received >= count):
                next_cursor = None  # the last page: no request for the empty page after it
            yield CohortPage(records=records, cursor=next_cursor)
            if next_cursor is None:
                return
            cursor = next_cursor
        raise SourceUnavailableError(
            f"OpenAlex kept paging past {COHORT_MAX_PAGES} pages for a cohort of {len(keys_by_id)} authors",
            "Narrow --years and try again",
        )

    def search_authors(self, name: str, orcid: str = "", limit: int = 10) -> list[Candidate]:
        """People OpenAlex knows under ``name`` (or exactly the one with ``orcid``, when given and known)."""
        if orcid:
            found = self._get_json(f"/authors/orcid:{orcid}", {})
            if isinstance(found, dict) and found.get("id"):
                return [_candidate(found, by_orcid=True)]
        data = self._get_json("/authors", {"search": name, "per_page": limit})
        results = data.get("results") if isinstance(data, dict) else None
        if not isinstance(results, list):
            return []
        return [_candidate(r) for r in results if isinstance(r, dict) and short_id(str(r.get("id", "")))]


def _candidate(author: Mapping[str, Any], by_orcid: bool = False) -> Candidate:
    institutions = author.get("last_known_institutions") or []
    if not institutions and isinstance(author.get("last_known_institution"), dict):
        institutions = [author["last_known_institution"]]
    affiliation = "; ".join(str(i.get("display_name", "")) for i in institutions if isinstance(i, dict))
    works = author.get("works_count")
    orcid = str(author.get("orcid") or "").rsplit("/", 1)[-1]
    return Candidate(
        id=short_id(str(author.get("id", ""))),
        name=str(author.get("display_name", "")),
        affiliation=affiliation,
        works_count=works if isinstance(works, int) else None,
        orcid=orcid,
        url=str(author.get("id", "")),
        by_orcid=by_orcid,
    )
