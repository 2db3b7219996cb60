"""The records a report reads: the workspace's fetched and imported ones, or the bundled snapshot's, per author;
and how many works each author had in the last report, to warn when most of them are gone."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from authorstats.errors import OutputError
from authorstats.models import Author, Publication
from authorstats.shell import store
from authorstats.source_names import SERVICE_NAMES, SNAPSHOT
from authorstats.sources import snapshot


@dataclass(frozen=True)
class Gathered:
    """The records a report reads, and for each author where they came from (fetched sources, or the snapshot)."""

    records: list[Publication]
    sources: dict[str, tuple[str, ...]]


def read_records(workspace: store.Workspace, authors: Sequence[Author], *, snapshot_too: bool = True) -> Gathered:
    """Every record the report of ``authors`` reads, with where each author's came from.

    Fetched data in the workspace (every source) comes first. An author with no data from a service (Google
    Scholar, OpenAlex, dblp) also gets the bundled snapshot's records and their arXiv versions (a second source
    the report merges), named as the snapshot in ``sources``: imported lists add to the bundled works rather than
    replace them, merged by the usual version rules. ``snapshot_too=False`` (`report --no-snapshot`) reads only
    the workspace's records.
    """
    fetched_sources = workspace.raw_sources()
    bundled: list[Publication] | None = None
    records: list[Publication] = []
    sources: dict[str, tuple[str, ...]] = {}
    for author in authors:
        found: list[Publication] = []
        names: list[str] = []
        for source in fetched_sources:
            path = workspace.raw_file(source, author.key)
            if path.is_dir():  # skipping it would report the snapshot as if nothing had been fetched
                raise OutputError(
                    f"{path} is a folder, not a file",
                    f"Move it away: data/raw/{source}/ holds one <author>.jsonl file per author",
                )
            if path.is_file():
                rows = [r for r in store.read_jsonl(path) if r.author == author.key]
                if rows:
                    found.extend(rows)
                    names.append(source)
        if snapshot_too and not any(name in SERVICE_NAMES for name in names):
            if bundled is None:
                bundled = snapshot.read_bundled()
            mine = [r for r in bundled if r.author == author.key]
            if mine:
                found = mine + found
                names = [SNAPSHOT, *names]
        records.extend(found)
        sources[author.key] = tuple(names)
    return Gathered(records, sources)


SHRINK_FROM = 5  # an author with at least this many works in the last report is watched for losing most of them


def previous_works(workspace: store.Workspace) -> dict[str, int]:
    """Each author's works in the last report (data/processed/publications.csv), {} when there is none."""
    import csv
    import io

    path = workspace.processed / "publications.csv"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    counts: dict[str, int] = {}
    for row in csv.DictReader(io.StringIO(text)):
        key = row.get("author") or ""
        counts[key] = counts.get(key, 0) + 1
    return counts


def shrunk(before: Mapping[str, int], now: Mapping[str, int], *, snapshot: bool = True) -> list[str]:
    """A warning for each author who has under half the works the last report counted for them."""
    why = (
        "did a fetch replace their data? (fetched data from a service replaces the bundled snapshot)"
        if snapshot
        else "--no-snapshot leaves the bundled works out"
    )
    return [
        f"{key} has {now[key]} works in this report, the last one counted {before[key]}: {why}"
        for key in now
        if before.get(key, 0) >= SHRINK_FROM and now[key] < before[key] / 2
    ]
