"""`fetch --source auto`: Google Scholar first; the authors it could not serve go to OpenAlex (when a
key is set), then to dblp. Each author's lines name the source its data came from."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from authorstats.models import Author, YearWindow
from authorstats.shell import fetch, store
from authorstats.shell.fetch_state import FetchOptions
from authorstats.sources import Source, service_name

ORDER = ("scholar", "openalex", "dblp")


def _has_id(author: Author, name: str) -> bool:
    return bool(author.openalex if name == "openalex" else author.dblp)


def run_auto(
    workspace: store.Workspace,
    authors: Sequence[Author],
    window: YearWindow,
    options: FetchOptions,
    *,
    echo: Callable[[str], None] = fetch._quiet,
    environ: Mapping[str, str] | None = None,
    sources: Mapping[str, Source] | None = None,
    **run_kwargs: Any,
) -> fetch.RunReport:
    """Fetch from Google Scholar; authors it could not serve go on to OpenAlex, then dblp.

    An author goes on to a source only when the roster holds their id there (and, for OpenAlex, when
    OPENALEX_API_KEY is set). With nobody to go on, the run and its output are exactly Scholar's.
    Every source gets its own --deadline, so a slow refusal by one still leaves time for the next.
    ``sources`` replaces the opened sources by name (tests). ``echo`` receives every line of the run
    (the command layer prints them); the returned report says how it ends. ``run_kwargs`` (such as
    ``progress``) are passed on to fetch.run.
    """
    from authorstats.sources.openalex import KEY_ENV, KEY_HINT

    environ = os.environ if environ is None else environ

    def stage(name: str, todo: Sequence[Author], prefix: str) -> fetch.RunReport:
        kwargs = dict(run_kwargs)
        if sources is not None:
            kwargs["source"] = sources[name]
        say = (lambda line: echo(f"{prefix}{line}")) if prefix else echo
        return fetch.run(workspace, todo, window, dataclasses.replace(options, source=name), echo=say, **kwargs)

    first = stage(ORDER[0], authors, "")
    final = {r.author: r for r in first.results}
    origin = {r.author: ORDER[0] for r in first.results if r.status != "failed"}
    tried = [ORDER[0]]
    for name in ORDER[1:]:
        todo = [a for a in authors if final[a.key].status == "failed" and _has_id(a, name)]
        if not todo:
            continue
        if name == "openalex" and not environ.get(KEY_ENV, "").strip():
            echo(f"OpenAlex skipped for {', '.join(a.key for a in todo)}: {KEY_ENV} is not set. {KEY_HINT}.")
            continue
        causes = {str(final[a.key].error) for a in todo}
        cause = f" ({causes.pop()})" if len(causes) == 1 else ""
        echo(
            f"{' and '.join(service_name(t) for t in tried)} did not serve {', '.join(a.key for a in todo)}{cause}; "
            f"trying {service_name(name)}."
        )
        tried.append(name)
        for result in stage(name, todo, f"[{name}] ").results:
            final[result.author] = result
            if result.status != "failed":
                origin[result.author] = name
    if len(tried) == 1:
        return first
    for author in authors:
        if author.key in origin:
            echo(
                f"{author.key}: data from {service_name(origin[author.key])} "
                f"(data/raw/{origin[author.key]}/{author.key}.jsonl)"
            )
    report = fetch.RunReport(source=", then ".join(tried), window=window)
    report.results = [final[a.key] for a in authors]
    return report
