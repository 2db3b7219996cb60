"""dblp: a person's whole bibliography in one request (``/pid/<pid>.xml``), filtered to the year
window here, and author search. No key; at most one request a second with a descriptive User-Agent."""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import httpx

from authorstats.errors import BadInputError, SourceUnavailableError
from authorstats.identifiers import arxiv_id_from_doi, arxiv_id_from_url, doi_from_url
from authorstats.models import Author, Publication, YearWindow, utc_now
from authorstats.sources import Deadline, Page, Source, service_name
from authorstats.sources.http import USER_AGENT, Candidate, Throttle, get, json_of

NAME = "dblp"
SERVICE = service_name(NAME)
BASE = "https://dblp.org"
HINTS = {
    429: "dblp asks for fewer requests; wait a few minutes and try again",
    404: "Check the dblp id in your roster, or run: authorstats authors resolve KEY --source dblp",
}
# Records of a person's own work; `proceedings` are volumes they edited, not papers they wrote.
RECORD_TYPES = {"article", "inproceedings", "incollection", "book", "phdthesis", "mastersthesis"}
_PID = re.compile(r"^[A-Za-z0-9]+(?:/[A-Za-z0-9_=-]+)+$")
_PID_URL = re.compile(r"^(?:https?://(?:dblp\.org|dblp\.uni-trier\.de)/pid/)?(.+?)(?:\.(?:html|xml))?$")
_HOMONYM = re.compile(r"\s+\d{4}$")  # dblp tells apart people of one name as "Wei Li 0001"


def normalise_pid(value: str) -> str:
    """``https://dblp.org/pid/l/YannLeCun.html`` or ``l/YannLeCun`` -> ``l/YannLeCun``; "" if not a pid."""
    match = _PID_URL.match((value or "").strip())
    pid = match.group(1) if match else ""
    return pid if _PID.match(pid) else ""


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _title(element: ET.Element | None) -> str:
    title = _text(element)
    return title[:-1] if title.endswith(".") else title  # dblp ends every title with a full stop


def parse_record(record: ET.Element, author_key: str, fetched_at: str = "") -> Publication | None:
    """One ``<article>``/``<inproceedings>``/... element as a Publication; None for other kinds."""
    if record.tag not in RECORD_TYPES:
        return None
    title = _title(record.find("title"))
    if not title:
        return None
    year_text = _text(record.find("year"))
    venue = _text(record.find("booktitle")) or _text(record.find("journal")) or _text(record.find("school"))
    doi = arxiv = ""
    links = [_text(ee) for ee in record.findall("ee")]
    for link in links:
        doi = doi or doi_from_url(link)
        arxiv = arxiv or arxiv_id_from_url(link)
    volume = _text(record.find("volume"))
    if not arxiv and venue == "CoRR" and volume.startswith("abs/"):
        arxiv = volume[4:].lower()
    arxiv = arxiv or arxiv_id_from_doi(doi)
    key = record.get("key", "")
    extra: dict[str, Any] = {"dblp_key": key, "dblp_type": record.tag}
    if record.get("publtype"):
        extra["publtype"] = record.get("publtype")
    if arxiv:
        extra["arxiv_id"] = arxiv
    if links:
        extra["links"] = links
    return Publication(
        author=author_key,
        title=title,
        year=int(year_text) if year_text.isdigit() else None,
        source=NAME,
        venue=venue,
        authors=tuple(_HOMONYM.sub("", _text(a)) for a in record.findall("author")),
        doi=doi,
        source_id=f"{BASE}/rec/{key}" if key else "",
        fetched_at=fetched_at,
        extra=extra,
    )


def parse_person(xml: bytes | str, author_key: str, fetched_at: str = "") -> list[Publication]:
    """Every publication on a ``<dblpperson>`` page, in page order (newest first)."""
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise SourceUnavailableError(
            f"dblp sent a page that is not valid XML ({exc})", "Try again later; the service may be down"
        ) from None
    if root.tag != "dblpperson":
        raise SourceUnavailableError(
            f"dblp sent a <{root.tag}> page instead of a person's bibliography", "Check the dblp id in your roster"
        )
    records = []
    for wrapper in root.findall("r"):
        for element in wrapper:
            record = parse_record(element, author_key, fetched_at)
            if record is not None:
                records.append(record)
    return records


class DblpSource(Source):
    """A Source over dblp; the httpx client is given to it and requests are spaced >= 1 s apart."""

    name = NAME

    def __init__(
        self,
        client: httpx.Client,
        *,
        base_url: str = BASE,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        deadline: Deadline | None = None,
    ) -> None:
        self._client = client
        self._deadline = deadline
        self._base = base_url.rstrip("/")
        self._sleep = sleep
        self._throttle = Throttle(interval, clock=clock, sleep=sleep)
        self._owns_client = False
        self.requests = 0  # sent so far, for fetch's run report

    @classmethod
    def open(cls, *, deadline: Deadline | None = None) -> DblpSource:
        """A source with its own HTTP client, closed by ``close``."""
        from authorstats.sources.http import make_client

        source = cls(make_client(), deadline=deadline)
        source._owns_client = True
        return source

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def _get(
        self, path: str, params: Mapping[str, str | int] | None = None, allow: tuple[int, ...] = ()
    ) -> httpx.Response:
        self._throttle.wait()
        self.requests += 1
        return get(
            self._client,
            f"{self._base}{path}",
            service=SERVICE,
            params=params,
            headers={"User-Agent": USER_AGENT},
            hints=HINTS,
            sleep=self._sleep,
            allow=allow,
            deadline=self._deadline,
        )

    def pages(self, author: Author, window: YearWindow, cursor: str | None = None) -> Iterator[Page]:
        """The author's publications in ``window`` as one page, from one request for the whole bibliography."""
        pid = normalise_pid(author.dblp)
        if not pid:
            what = f"{author.dblp!r} is not a dblp person id" if author.dblp else "has no dblp id"
            raise BadInputError(
                f"author {author.key!r} {what} in the roster",
                f"Run: authorstats authors resolve {author.key} --source dblp",
            )
        response = self._get(f"/pid/{pid}.xml", allow=(404, 410))
        if response.status_code in (404, 410):
            raise BadInputError(
                f"dblp has no person {pid} ({author.key})",
                f"Run: authorstats authors resolve {author.key} --source dblp",
            )
        records = parse_person(response.content, author.key, utc_now())
        return iter([Page([r for r in records if r.year in window], None)])

    def search_authors(self, name: str, orcid: str = "", limit: int = 10) -> list[Candidate]:
        """People dblp lists under ``name`` (dblp's search has no ORCID lookup, so ``orcid`` is unused)."""
        data = json_of(self._get("/search/author/api", {"q": name, "format": "json", "h": limit}), SERVICE)
        hits = (((data or {}).get("result") or {}).get("hits") or {}).get("hit") if isinstance(data, dict) else None
        if isinstance(hits, dict):
            hits = [hits]
        candidates = []
        for hit in hits or []:
            info = hit.get("info") if isinstance(hit, dict) else None
            if not isinstance(info, dict):
                continue
            pid = normalise_pid(str(info.get("url", "")))
            if pid:
                candidates.append(
                    Candidate(
                        id=pid,
                        name=str(info.get("author", "")),
                        affiliation=_affiliation(info),
                        url=str(info.get("url", "")),
                    )
                )
        return candidates


def _affiliation(info: dict[str, Any]) -> str:
    notes = (info.get("notes") or {}).get("note") if isinstance(info.get("notes"), dict) else None
    if isinstance(notes, dict):
        notes = [notes]
    return "; ".join(
        str(n.get("text", "")) for n in notes or [] if isinstance(n, dict) and n.get("@type") == "affiliation"
    )
