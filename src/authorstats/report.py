"""data/raw (or the bundled snapshot) -> data/processed -> reports/: the only writer of report files."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from authorstats import store
from authorstats.models import Author, Publication, YearWindow
from authorstats.sources import snapshot

log = logging.getLogger(__name__)

PROCESSED_COLUMNS = [
    "author", "year", "title", "topic", "score", "confidence", "evidence", "topics", "manual",
    "venue", "authors", "citations", "doi", "source", "source_id", "fetched_at",
]


@dataclass(frozen=True)
class Provenance:
    """Where one author's records came from, for the terminal and the methods section."""

    author: str
    sources: tuple[str, ...]  # e.g. ("scholar",) or ("snapshot",); () when nothing was found
    records_in_window: int
    records_read: int
    records_merged: int = 0  # versions of one work counted once (see data/processed/duplicates.csv)

    @property
    def label(self) -> str:
        return "+".join(self.sources) if self.sources else "no data"


@dataclass
class AuthorReport:
    author: Author
    provenance: Provenance
    table: object  # pandas.DataFrame in the seminar's shape
    files: list[Path] = field(default_factory=list)


@dataclass
class ReportResult:
    window: YearWindow
    authors: list[AuthorReport]
    files: list[Path]
    used_snapshot: bool


@dataclass(frozen=True)
class ReportOptions:
    clouds: bool = True
    cloud_width: int = 1600
    cloud_height: int = 800
    chart_dpi: int = 150
    stopwords: Path | None = None


def gather(workspace: store.Workspace, authors: Sequence[Author], window: YearWindow
           ) -> tuple[list[Publication], dict[str, Provenance], list]:
    """Each author's in-window records, one per work, and the merges that made them one.

    Fetched data in the workspace (every source, versions merged) comes first; authors with none
    fall back to the bundled snapshot. Merging happens before the year filter, so a work counts in
    the year of the version that is kept (the peer-reviewed one when there is one).
    """
    from authorstats.merge import merge_publications

    fetched_sources = workspace.raw_sources()
    snapshot_records: list[Publication] | None = None
    records: list[Publication] = []
    merges: list = []
    provenance: dict[str, Provenance] = {}
    for author in authors:
        found: list[Publication] = []
        sources: list[str] = []
        for source in fetched_sources:
            path = workspace.raw_file(source, author.key)
            if path.is_file():
                rows = [r for r in store.read_jsonl(path) if r.author == author.key]
                if rows:
                    found.extend(rows)
                    sources.append(source)
        if not found:
            if snapshot_records is None:
                snapshot_records = snapshot.read_snapshot()
            found = [r for r in snapshot_records if r.author == author.key]
            sources = [snapshot.NAME] if found else []
        kept, merged = merge_publications(found)
        in_window = [r for r in kept if r.year in window]
        records.extend(in_window)
        merges.extend(m for m in merged if m.kept_year in window)
        provenance[author.key] = Provenance(author.key, tuple(sources), len(in_window), len(found),
                                            len(found) - len(kept))
    return records, provenance, merges


def publications_frame(records: Sequence[Publication]):
    """One row per record, with the columns the classifier and the tables use."""
    import pandas as pd

    rows = [
        {
            "author": r.author, "year": r.year, "title": r.title, "abstract": r.abstract, "venue": r.venue,
            "authors": "; ".join(r.authors), "citations": r.citations, "doi": r.doi, "source": r.source,
            "source_id": r.source_id, "fetched_at": r.fetched_at,
        }
        for r in records
    ]
    columns = ["author", "year", "title", "abstract", "venue", "authors", "citations", "doi", "source",
               "source_id", "fetched_at"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["citations"] = frame["citations"].astype("Int64")
    return frame


def build_report(workspace: store.Workspace, authors: Sequence[Author], window: YearWindow, taxonomy,
                 options: ReportOptions = ReportOptions()) -> ReportResult:
    """Classify every in-window record, then write the processed CSV and every report file."""
    import pandas as pd

    from authorstats import charts, classify, clouds, labels, tables

    from authorstats.merge import MERGE_COLUMNS

    records, provenance, merges = gather(workspace, authors, window)
    frame = classify.classify_frame(publications_frame(records), taxonomy)
    frame = labels.apply_labels(frame, labels.load_labels(workspace.labels))
    frame = frame.sort_values(["author", "year", "title"], kind="stable").reset_index(drop=True)

    written: list[Path] = []
    written.append(store.atomic_write_text(
        workspace.processed / "publications.csv",
        frame.reindex(columns=PROCESSED_COLUMNS).to_csv(index=False),
    ))
    duplicates = pd.DataFrame([m.to_row() for m in merges], columns=list(MERGE_COLUMNS))
    written.append(store.atomic_write_text(workspace.processed / "duplicates.csv", duplicates.to_csv(index=False)))
    keys = [a.key for a in authors]
    written.append(store.atomic_write_text(
        workspace.reports / "topic_counts.csv", tables.topic_counts(frame, keys).to_csv(index=False)
    ))

    colors = charts.topic_colors(taxonomy.names)
    stopwords = clouds.load_stopwords(options.stopwords) if options.clouds else frozenset()
    reports: list[AuthorReport] = []
    for author in authors:
        mine = frame[frame["author"] == author.key]
        table = tables.topic_table(mine)
        item = AuthorReport(author, provenance[author.key], table)
        item.files.append(store.atomic_write_text(
            workspace.reports / f"{author.key}_topics.csv", table.to_csv(index=False)
        ))
        fig, ax = charts.new_figure(8, 5, options.chart_dpi)
        charts.draw_topic_bars(ax, table, colors, f"{author.name}, {window}")
        item.files.append(store.atomic_write_bytes(
            workspace.reports / f"{author.key}_topics.png", charts.figure_bytes(fig, "png")
        ))
        if options.clouds:
            frequencies = clouds.word_frequencies(mine["title"], stopwords)
            if frequencies:
                cloud = clouds.make_cloud(frequencies, width=options.cloud_width, height=options.cloud_height)
                item.files.append(store.atomic_write_bytes(
                    workspace.reports / f"{author.key}_wordcloud.png", clouds.cloud_png(cloud)
                ))
            else:
                log.warning("no word cloud for %s: no titles in %s", author.key, window)
        written.extend(item.files)
        reports.append(item)
    used_snapshot = any(p.sources == (snapshot.NAME,) for p in provenance.values())
    return ReportResult(window, reports, written, used_snapshot)
