"""What fetch keeps between runs and shares with its batch fetch: the run's options, one author's result, the
roster ids an entry was fetched for, and the source's manifest in data/raw/<source>/."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from authorstats.errors import AuthorstatsError
from authorstats.models import Author
from authorstats.shell import store

DEFAULT_SOURCE = "scholar"
DEFAULT_MAX_AGE_DAYS = 7.0
DEFAULT_DEADLINE = 30.0


@dataclass(frozen=True)
class FetchOptions:
    """How `authorstats fetch` fetches: from which source, how old a cached author may be, within what time."""

    source: str = DEFAULT_SOURCE
    refresh: bool = False
    max_age_days: float = DEFAULT_MAX_AGE_DAYS
    details: bool = False
    proxy: str | None = None
    scraperapi_key: str | None = None  # from SCRAPERAPI_KEY; never printed or saved
    deadline: float | None = DEFAULT_DEADLINE  # seconds for the whole run; None = no limit


@dataclass
class AuthorResult:
    """How fetching one author ended, for the run report."""

    author: str
    status: str  # "done", "cached" or "failed"
    records: int = 0
    requests: int = 0  # made for this author in this run
    note: str = ""
    error: AuthorstatsError | None = None


def roster_ids(author: Author) -> dict[str, str]:
    """The ids an author was fetched by: a cache entry or a resumable run is used only while they are unchanged."""
    return {"scholar": author.scholar_id, "openalex": author.openalex, "dblp": author.dblp, "orcid": author.orcid}


def age_days(stamp: str) -> float:
    """Days since an ISO time stamp (naive ones are UTC); infinite when it is missing or not a time."""
    try:
        when = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return float("inf")
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return (dt.datetime.now(dt.UTC) - when).total_seconds() / 86400


def read_manifest(workspace: store.Workspace, source: str) -> dict[str, Any]:
    """data/raw/<source>/manifest.json: what was fetched for each author, when, for which window; empty if
    unreadable."""
    data = store.read_json(workspace.manifest_file(source), default={})
    if not isinstance(data, dict) or not isinstance(data.get("authors"), dict):
        return {"source": source, "authors": {}}
    return data
