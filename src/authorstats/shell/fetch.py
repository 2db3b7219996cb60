"""`authorstats fetch`: source -> year filter -> data/raw/, with a cache, resumable runs and a run report.

For each author: a manifest entry for the same window younger than ``max_age_days`` means "cached"
and no request. Otherwise the source's pages are read (resuming at the cursor an interrupted run
left in ``data/raw/<source>/.partial/``), filtered to the window, optionally filled with details
one record at a time (saved after each), and only then written to ``data/raw/<source>/<author>.jsonl``
and the manifest, both atomically. A failed author never touches what ``data/raw`` already held.

A refusal of the whole source (:class:`~authorstats.sources.SourceRefused`: offline, rate limit,
captcha, deadline) stops requests for the rest of the run; an author-specific failure (no such
profile) does not. :class:`RunReport` counts done, cached and failed authors and decides the exit code;
nothing here prints: the command layer passes where the lines go and prints how the run ends.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authorstats.errors import AuthorstatsError, BadInputError, ExitCode
from authorstats.models import Author, Publication, YearWindow, utc_now
from authorstats.shell import lock, store
from authorstats.shell.fetch_state import (
    AuthorResult,
    FetchOptions,
    age_days,
    read_manifest,
    roster_ids,
)
from authorstats.sources import Deadline, Source, SourceRefused, service_name


def _open_scholar(options: FetchOptions, deadline: Deadline, alternatives: Sequence[str]) -> Source:
    from authorstats.sources import scholar

    return scholar.open_source(
        deadline=deadline, proxy=options.proxy, scraperapi_key=options.scraperapi_key, alternatives=alternatives
    )


def _open_openalex(options: FetchOptions, deadline: Deadline, alternatives: Sequence[str]) -> Source:
    from authorstats.sources import openalex

    return openalex.OpenAlexSource.open(deadline=deadline)


def _open_dblp(options: FetchOptions, deadline: Deadline, alternatives: Sequence[str]) -> Source:
    from authorstats.sources import dblp

    return dblp.DblpSource.open(deadline=deadline)


# name -> opener(options, deadline, other source names) returning a Source, closed with .close() after the run
SOURCES: dict[str, Callable[[FetchOptions, Deadline, Sequence[str]], Source]] = {
    "scholar": _open_scholar,
    "openalex": _open_openalex,
    "dblp": _open_dblp,
}


# ---------------------------------------------------------------------------------------------
# The run report


def _quiet(line: str) -> None:
    """Where a run's lines go unless the caller says otherwise: nowhere (the command layer prints)."""


@contextlib.contextmanager
def _no_progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    yield lambda steps: None


@dataclass
class RunReport:
    """Counts each author as done, cached or failed (one failure does not stop the batch) and decides
    the exit code; it prints nothing itself.

    ``out`` receives each fetched or cached author's line as it is counted; :meth:`closing_lines`
    and :meth:`error` say how the run ends, for the command layer to print and raise.
    """

    source: str
    window: YearWindow
    results: list[AuthorResult] = field(default_factory=list)
    out: Callable[[str], None] = field(default=_quiet, repr=False, compare=False)

    def add(self, result: AuthorResult) -> None:
        self.results.append(result)
        if result.status == "cached":
            self.out(
                f"{result.author}: cached, {result.records} publications in {self.window} "
                f"({result.note}; --refresh fetches again)"
            )
        elif result.status == "done":
            self.out(
                f"{result.author}: done, {result.records} publications in {self.window} "
                f"({_plural(result.requests, 'request')}{result.note})"
            )

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def done(self) -> int:
        return self._count("done")

    @property
    def cached(self) -> int:
        return self._count("cached")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def exit_code(self) -> int:
        if not self.failed:
            return int(ExitCode.OK)
        if self.done or self.cached:
            return int(ExitCode.PARTIAL)
        return int(_error_of(self.results_failed()[0]).exit_code)

    def results_failed(self) -> list[AuthorResult]:
        return [r for r in self.results if r.status == "failed"]

    def __str__(self) -> str:
        return f"fetch {self.window} from {self.source}: {self.done} done, {self.cached} cached, {self.failed} failed"

    def error(self) -> AuthorstatsError | None:
        """When nothing was fetched or cached, the run's outcome as one error: the first failure,
        naming the authors it cost (so a refused run reads as one line with its cause and its ways
        out). None when some author was fetched or cached."""
        failed = self.results_failed()
        if not failed or self.done or self.cached:
            return None
        first = _error_of(failed[0])
        same = [r.author for r in failed if r.error is first]
        return type(first)(f"{first.message.rstrip('.')}; not fetched: {', '.join(same)}", first.hint)

    def closing_lines(self) -> list[str]:
        """The lines that end the run: each failure (an error shared by several authors once), then
        the counts. When :meth:`error` is the outcome, only the failures it does not cover."""
        failed = self.results_failed()
        if failed and not (self.done or self.cached):
            first = failed[0].error
            return [f"{r.author}: failed: {r.error}" for r in failed[1:] if r.error is not first]
        lines: list[str] = []
        reported: set[int] = set()
        for result in failed:
            if id(result.error) in reported:
                lines.append(f"{result.author}: not fetched: {result.note}")
            else:
                reported.add(id(result.error))
                lines.append(f"{result.author}: failed: {result.error}")
        lines.append(str(self))
        return lines


# ---------------------------------------------------------------------------------------------
# The run


MAX_AGE_DAYS_LIMIT = 36500
DEADLINE_LIMIT = 7 * 24 * 3600  # seconds


def check_options(options: FetchOptions) -> None:
    if options.source not in SOURCES:
        raise BadInputError(
            f"unknown source {options.source!r}", f"Use auto (the default) or one of: {', '.join(sorted(SOURCES))}"
        )
    check_limits(options)


def check_limits(options: FetchOptions) -> None:
    """Refuse --max-age and --deadline values no run can use: negative, nan (which passes every range
    check), infinite or too large to add to a clock."""
    if options.max_age_days < 0:
        raise BadInputError(
            f"--max-age {options.max_age_days:g} is negative",
            "Give the cache's age limit in days, 0 or more (0 always fetches)",
        )
    if not math.isfinite(options.max_age_days) or options.max_age_days > MAX_AGE_DAYS_LIMIT:
        raise BadInputError(
            f"--max-age {options.max_age_days:g} is not a number of days up to {MAX_AGE_DAYS_LIMIT}",
            "Give a finite number, e.g. --max-age 7",
        )
    if options.deadline is None:
        return
    if options.deadline <= 0:
        raise BadInputError(
            f"--deadline {options.deadline:g} is not a positive number of seconds",
            "Give the time the run may take, e.g. --deadline 30",
        )
    if not math.isfinite(options.deadline) or options.deadline > DEADLINE_LIMIT:
        raise BadInputError(
            f"--deadline {options.deadline:g} is not a number of seconds up to {DEADLINE_LIMIT}",
            "Give a finite number, e.g. --deadline 30",
        )


def run(
    workspace: store.Workspace | str | os.PathLike[str],
    authors: Sequence[Author],
    window: YearWindow | str,
    options: FetchOptions = FetchOptions(),
    *,
    source: Source | None = None,
    echo: Callable[[str], None] = _quiet,
    progress: Callable[[int, str], AbstractContextManager[Callable[[int], None]]] = _no_progress,
    deadline: Deadline | None = None,
) -> RunReport:
    """Fetch ``authors`` in ``window`` (e.g. "2021-2022") into the ``workspace`` folder's data/raw/ (the library's
    ``authorstats.fetch``); ``source`` replaces the one named in ``options``.

    ``echo`` receives each author's line as it is counted and ``progress(total, label)`` gives the
    step function of a progress bar for the details; the returned report says how the run ends.
    """
    check_options(options)
    if not isinstance(workspace, store.Workspace):
        workspace = store.Workspace(Path(workspace))
    if isinstance(window, str):
        window = YearWindow.parse(window)
    name = source.name if source is not None else options.source
    report = RunReport(source=name, window=window, out=echo)
    deadline = deadline or Deadline(options.deadline)
    with lock.workspace_lock(workspace, "fetch"):
        with _opened(source, options, deadline) as src:
            from authorstats.shell import cohort_fetch

            cohorts = cohort_fetch.plan(
                src, authors, options, lambda a: _cache_entry(workspace, name, a, window, options) is not None
            )
            settled: dict[str, AuthorResult] = {}  # fetched (or failed) with an earlier author's batch
            refused: SourceRefused | None = None
            for author in authors:
                entry = _cache_entry(workspace, name, author, window, options)
                if author.key in settled:
                    report.add(settled.pop(author.key))
                    continue
                if entry is not None:
                    report.add(
                        AuthorResult(
                            author.key,
                            "cached",
                            records=int(entry.get("records", 0)),
                            note=f"fetched {_age_text(entry['fetched_at'])}",
                        )
                    )
                    continue
                if refused is not None:
                    report.add(
                        AuthorResult(
                            author.key,
                            "failed",
                            error=refused,
                            note=f"{service_name(name)} refused earlier in this run",
                        )
                    )
                    continue
                before = src.requests
                batch = cohorts.get(author.key)
                try:
                    if batch:
                        settled.update(
                            (r.author, r)
                            for r in cohort_fetch.fetch_batch(workspace, src, name, batch, window, options)
                        )
                        result = settled.pop(author.key)
                    else:
                        result = _fetch_author(workspace, src, name, author, window, options, progress)
                except SourceRefused as exc:
                    refused = exc
                    result = AuthorResult(author.key, "failed", error=exc)
                except AuthorstatsError as exc:
                    result = AuthorResult(author.key, "failed", error=exc)
                    if batch:
                        settled.update(cohort_fetch.failed_batch(batch, author, exc))
                result.requests = src.requests - before
                report.add(result)
    return report


def _error_of(result: AuthorResult) -> AuthorstatsError:
    """The error of a failed author's result (a failed result always carries one)."""
    if result.error is None:
        raise AssertionError(f"{result.author} failed without an error")
    return result.error


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@contextlib.contextmanager
def _opened(source: Source | None, options: FetchOptions, deadline: Deadline) -> Iterator[Source]:
    """The source to use: the one given (not closed here), or the one ``options`` names, closed after."""
    if source is not None:
        yield source
        return
    alternatives = [n for n in SOURCES if n not in (options.source, "auto")]
    opened = SOURCES[options.source](options, deadline, alternatives)
    try:
        yield opened
    finally:
        opened.close()


def _age_text(stamp: str) -> str:
    days = age_days(stamp)
    if days < 1 / 24:
        return "less than an hour ago"
    if days < 1:
        return f"{days * 24:.0f} h ago"
    return f"{days:.0f} days ago" if days >= 1.5 else "1 day ago"


def _cache_entry(
    workspace: store.Workspace, source: str, author: Author, window: YearWindow, options: FetchOptions
) -> dict[str, Any] | None:
    """The manifest entry that makes fetching ``author`` again unnecessary, or None."""
    if options.refresh:
        return None
    entry = read_manifest(workspace, source)["authors"].get(author.key)
    if not isinstance(entry, dict):
        return None
    fresh = age_days(entry.get("fetched_at", "")) < options.max_age_days
    if (
        entry.get("window") == str(window)
        and fresh
        and entry.get("roster_ids") == roster_ids(author)
        and (entry.get("details") or not options.details)
        and workspace.raw_file(source, author.key).is_file()
    ):
        return entry
    return None


def _load_partial(
    workspace: store.Workspace, source: str, author: Author, window: YearWindow, options: FetchOptions
) -> tuple[dict[str, Any], list[Publication]] | None:
    """What an interrupted run of the same author and window left, if still young enough to resume."""
    state_path = workspace.partial_state(source, author.key)
    records_path = workspace.partial_file(source, author.key)
    state = store.read_json(state_path, default=None)
    if not isinstance(state, dict):
        return None
    usable = (
        state.get("window") == str(window)
        and state.get("roster_ids") == roster_ids(author)
        and age_days(state.get("started_at", "")) < max(options.max_age_days, 1)
        and records_path.is_file()
    )
    if not usable:
        store.remove_files(state_path, records_path, workspace=workspace)
        return None
    count = int(state.get("records", 0))
    records = list(store.read_jsonl(records_path))[:count]
    return state, records


def _save_partial(
    workspace: store.Workspace, source: str, author: Author, state: dict[str, Any], records: list[Publication]
) -> None:
    # Records first, then the state that counts them: a crash in between resumes from the older state.
    store.write_jsonl(workspace.partial_file(source, author.key), records, workspace=workspace)
    store.write_json(
        workspace.partial_state(source, author.key), {**state, "records": len(records)}, workspace=workspace
    )


def _fetch_author(
    workspace: store.Workspace,
    src: Source,
    name: str,
    author: Author,
    window: YearWindow,
    options: FetchOptions,
    progress: Callable[[int, str], AbstractContextManager[Callable[[int], None]]],
) -> AuthorResult:
    loaded = _load_partial(workspace, name, author, window, options)
    if loaded:
        state, records = loaded
        note = f", resumed with {len(records)} records kept from an interrupted run"
    else:
        state = {
            "author": author.key,
            "window": str(window),
            "roster_ids": roster_ids(author),
            "started_at": utc_now(),
            "cursor": None,
            "listed": False,
            "info": {},
            "requests": 0,
        }
        records, note = [], ""
    earlier_requests = int(state.get("requests", 0))  # made by the interrupted runs
    start_requests = src.requests

    def requests_so_far() -> int:
        return earlier_requests + src.requests - start_requests

    def save() -> None:
        state["requests"] = requests_so_far()
        _save_partial(workspace, name, author, state, records)

    if not state["listed"]:
        for page in src.pages(author, window, state["cursor"]):
            records.extend(r for r in page.records if r.year in window)  # the year filter, for any source
            state["info"].update(page.info)
            state["cursor"] = page.cursor
            state["listed"] = page.cursor is None
            if page.cursor is not None or options.details:  # more requests follow: keep what we have
                save()
    details = options.details and src.fills_details
    if details:
        todo = [i for i, r in enumerate(records) if not r.extra.get("details")]
        if todo:
            with progress(len(todo), f"{author.key}: details") as advance:
                for i in todo:
                    records[i] = src.fill(records[i])
                    save()
                    advance(1)
    store.write_jsonl(workspace.raw_file(name, author.key), records, workspace=workspace)
    manifest = read_manifest(workspace, name)
    manifest["authors"][author.key] = {
        **{k: v for k, v in state["info"].items() if k in ("profile_id", "name")},
        **src.provenance(),
        "window": str(window),
        "fetched_at": utc_now(),
        "requests": requests_so_far(),
        "records": len(records),
        "details": details,
        "roster_ids": roster_ids(author),
    }
    store.write_json(workspace.manifest_file(name), manifest, workspace=workspace)
    store.remove_files(
        workspace.partial_file(name, author.key), workspace.partial_state(name, author.key), workspace=workspace
    )
    return AuthorResult(author.key, "done", records=len(records), note=note)
