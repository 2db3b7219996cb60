"""Fetching a cohort: authors a source can list together (OpenAlex: up to 100 ids in one OR filter)
are fetched batch by batch, and each author's records are saved, cached and counted as if fetched alone.

A batch's pages are kept in ``data/raw/<source>/.partial/`` (one file a page, and the cursor of the
next) until the batch is complete, so an interrupted run resumes at the page it stopped at; only then
are the authors' raw files and manifest entries written, each atomically. The requests of a batch are
shared by its authors: each manifest entry records the batch's count and the cohort's size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from authorstats.errors import AuthorstatsError
from authorstats.models import Author, Publication, YearWindow, utc_now
from authorstats.shell import store
from authorstats.shell.fetch_state import AuthorResult, FetchOptions, age_days, read_manifest, roster_ids
from authorstats.sources import Source


def batches(authors: Sequence[Author], limit: int) -> list[list[Author]]:
    """``authors`` in roster order, cut into batches of at most ``limit``."""
    return [list(authors[i : i + limit]) for i in range(0, len(authors), limit)]


def plan(
    src: Source, authors: Sequence[Author], options: FetchOptions, cached: Callable[[Author], bool]
) -> dict[str, list[Author]]:
    """Author key -> the batch it is fetched in, for the authors ``src`` can fetch together and that are
    not ``cached``; empty (everyone fetched alone) when the source cannot, details are asked of a
    source that reads them, or fewer than two authors are left."""
    if src.cohort_limit < 2 or (options.details and src.fills_details):
        return {}
    todo = [a for a in authors if src.in_cohort(a) and not cached(a)]
    if len(todo) < 2:
        return {}
    return {a.key: batch for batch in batches(todo, src.cohort_limit) for a in batch}


def failed_batch(batch: Sequence[Author], first: Author, error: AuthorstatsError) -> dict[str, AuthorResult]:
    """The other authors of a batch whose request failed, counted with the same error."""
    return {
        a.key: AuthorResult(a.key, "failed", error=error, note=f"fetched with {first.key}, which failed")
        for a in batch
        if a.key != first.key
    }


def _batch_name(authors: Sequence[Author], window: YearWindow) -> str:
    # Starts with a dot: roster keys start with a letter or digit, so it never names an author's file.
    digest = hashlib.sha256("\n".join([str(window), *sorted(a.key for a in authors)]).encode()).hexdigest()
    return f".cohort-{digest[:16]}"


def _page_file(workspace: store.Workspace, source: str, name: str, number: int) -> Path:
    return workspace.partial_file(source, f"{name}-p{number}")


def _load(
    workspace: store.Workspace,
    source: str,
    name: str,
    authors: Sequence[Author],
    window: YearWindow,
    options: FetchOptions,
) -> tuple[dict[str, Any], list[Publication]] | None:
    """What an interrupted run of the same batch and window left, if still young enough to resume."""
    state_path = workspace.partial_state(source, name)
    state = store.read_json(state_path, default=None)
    if not isinstance(state, dict):
        return None
    stored = state.get("pages")
    pages = stored if isinstance(stored, int) else -1
    files = [_page_file(workspace, source, name, i) for i in range(max(pages, 0))]
    usable = (
        pages >= 0
        and state.get("window") == str(window)
        and state.get("roster_ids") == {a.key: roster_ids(a) for a in authors}
        and age_days(state.get("started_at", "")) < max(options.max_age_days, 1)
        and all(f.is_file() for f in files)
    )
    if not usable:
        _remove(workspace, source, name, max(pages, 0))
        return None
    return state, [record for f in files for record in store.read_jsonl(f)]


def _remove(workspace: store.Workspace, source: str, name: str, pages: int) -> None:
    store.remove_files(
        workspace.partial_state(source, name),
        *(_page_file(workspace, source, name, i) for i in range(pages)),
        workspace=workspace,
    )


def fetch_batch(
    workspace: store.Workspace,
    src: Source,
    source: str,
    authors: Sequence[Author],
    window: YearWindow,
    options: FetchOptions,
) -> list[AuthorResult]:
    """Fetch one batch (at most ``src.cohort_limit`` authors) and save every author of it; raises what
    the source raises, leaving the pages got so far to resume from."""
    name = _batch_name(authors, window)
    loaded = _load(workspace, source, name, authors, window, options)
    if loaded:
        state, records = loaded
        note = f", resumed with {len(records)} records kept from an interrupted run"
    else:
        state = {
            "authors": [a.key for a in authors],
            "window": str(window),
            "roster_ids": {a.key: roster_ids(a) for a in authors},
            "started_at": utc_now(),
            "cursor": None,
            "pages": 0,
            "requests": 0,
        }
        records, note = [], ""
    earlier_requests = int(state.get("requests", 0))
    start_requests = src.requests
    if state["cursor"] is not None or not loaded:
        for page in src.cohort_pages(authors, window, state["cursor"]):
            kept = [r for key in state["authors"] for r in page.records.get(key, ()) if r.year in window]
            records.extend(kept)
            if page.cursor is not None:  # more requests follow: keep what we have, then where to go on
                store.write_jsonl(_page_file(workspace, source, name, state["pages"]), kept, workspace=workspace)
                state.update(
                    pages=state["pages"] + 1,
                    cursor=page.cursor,
                    requests=earlier_requests + src.requests - start_requests,
                )
                store.write_json(workspace.partial_state(source, name), state, workspace=workspace)
            else:
                state["cursor"] = None
    requests = earlier_requests + src.requests - start_requests
    by_author: dict[str, list[Publication]] = {a.key: [] for a in authors}
    for record in records:
        by_author[record.author].append(record)
    manifest = read_manifest(workspace, source)
    results = []
    for author in authors:
        store.write_jsonl(workspace.raw_file(source, author.key), by_author[author.key], workspace=workspace)
        manifest["authors"][author.key] = {
            **src.provenance(),
            "window": str(window),
            "fetched_at": utc_now(),
            "requests": requests,
            "cohort": len(authors),
            "records": len(by_author[author.key]),
            "details": False,
            "roster_ids": roster_ids(author),
        }
        shared = f" shared by a cohort of {len(authors)} authors" if len(authors) > 1 else ""
        results.append(
            AuthorResult(
                author.key,
                "done",
                records=len(by_author[author.key]),
                requests=src.requests - start_requests,
                note=shared + note,
            )
        )
    store.write_json(workspace.manifest_file(source), manifest, workspace=workspace)
    _remove(workspace, source, name, state["pages"])
    return results
