"""Read a report's records from the workspace (or the bundled snapshot), and save a computed report: the only writer of report files."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from authorstats.analysis.report import Provenance
from authorstats.models import Author, Publication, YearWindow, utc_now
from authorstats.shell import store
from authorstats.sources import snapshot

if TYPE_CHECKING:
    from authorstats.analysis.merge import Merge
    from authorstats.analysis.report import ReportData
    from authorstats.shell.painter import Painter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gathered:
    """The records a report reads, and for each author where they came from (fetched sources, or the snapshot)."""

    records: list[Publication]
    sources: dict[str, tuple[str, ...]]


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
    index: Path | None = None  # reports/index.html
    summary: Path | None = None  # reports/summary.md


@dataclass(frozen=True)
class SaveOptions:
    """How a computed report is drawn and saved."""

    cloud_width: int = 1600
    cloud_height: int = 800
    chart_dpi: int = 150
    chart_format: str = "png"  # png or svg, for the chart files (word clouds are always PNG)
    stopwords: Path | None = None  # the stop-word file the clouds used, named in the methods section
    workers: int | None = None  # processes drawing the pictures; None: one per CPU, 1: all in this process


def read_records(workspace: store.Workspace, authors: Sequence[Author]) -> Gathered:
    """Every record the report of ``authors`` reads, with where each author's came from.

    Fetched data in the workspace (every source) comes first; authors with none fall back to the
    bundled snapshot.
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
            if path.is_file():
                rows = [r for r in store.read_jsonl(path) if r.author == author.key]
                if rows:
                    found.extend(rows)
                    names.append(source)
        if not found:
            if bundled is None:
                bundled = snapshot.read_snapshot()
            found = [r for r in bundled if r.author == author.key]
            names = [snapshot.NAME] if found else []
        records.extend(found)
        sources[author.key] = tuple(names)
    return Gathered(records, sources)


def gather(workspace: store.Workspace, authors: Sequence[Author], window: YearWindow
           ) -> tuple[list[Publication], dict[str, Provenance], list[Merge]]:
    """Each author's in-window records from the workspace, one per work, their provenance, and the merges."""
    from authorstats.analysis.report import select_records

    gathered = read_records(workspace, authors)
    selection = select_records(gathered.records, authors, window, gathered.sources)
    return selection.records, selection.provenance, selection.merges


@store.all_or_nothing()  # the files replace the previous report together, at the end, or not at all
def save_report(workspace: store.Workspace, data: ReportData, options: SaveOptions = SaveOptions(), *,
                labels: Path | None = None, painter: Painter | None = None) -> ReportResult:
    """Draw the pictures (in worker processes) and write every file of ``data``: data/processed/*.csv, and
    under reports/ the tables, pictures, summary.md and index.html.

    ``labels``: the labels file the report applied, named in the methods section. ``painter``: draws the
    pictures (default: one worker process per CPU, as ``options.workers`` says).
    """
    from authorstats.shell.painter import Painter

    store.require_workspace(workspace)
    if painter is None:
        with Painter(options.workers if data.authors else 1, clouds=data.options.clouds) as own:
            return _save(workspace, data, options, labels, own)
    return _save(workspace, data, options, labels, painter)


def _save(workspace: store.Workspace, data: ReportData, options: SaveOptions, labels: Path | None,
          painter) -> ReportResult:
    from authorstats.analysis.report import PAPER_COLUMNS
    from authorstats.render import charts, markdown
    from authorstats.render import html as html_report
    from authorstats.render import pictures

    written = [
        store.atomic_write_text(workspace.processed / "publications.csv", data.processed().to_csv(index=False)),
        store.atomic_write_text(workspace.processed / "duplicates.csv", data.duplicates().to_csv(index=False)),
        store.atomic_write_text(workspace.reports / "topic_counts.csv", data.topic_counts.to_csv(index=False)),
    ]
    embedded = set(data.overview)
    reports: dict[str, AuthorReport] = {}
    sections: dict[str, html_report.AuthorSection] = {}
    for item in data.authors:
        key = item.author.key
        reports[key] = AuthorReport(item.author, item.provenance, item.table)
        reports[key].files.append(store.atomic_write_text(workspace.reports / f"{key}_topics.csv",
                                                          item.table.to_csv(index=False)))
        written.append(reports[key].files[-1])
        sections[key] = html_report.AuthorSection(key, item.author.name, item.table,
                                                  item.papers.reindex(columns=PAPER_COLUMNS))
        if data.options.clouds:
            sections[key].cloud_note = item.cloud_caption

    # The painter's workers draw the pictures side by side; this process writes them in the same order.
    jobs = pictures.report_pictures(data, cloud_size=(options.cloud_width, options.cloud_height),
                                    dpi=options.chart_dpi, fmt=options.chart_format)
    overview: dict[str, html_report.Picture] = {}
    for picture, drawn in zip(jobs, painter.draw([p.job for p in jobs])):
        path = store.atomic_write_bytes(workspace.reports / picture.name, drawn)
        written.append(path)
        width = pictures.shown_width(picture.job, drawn)
        if not picture.key:
            overview[picture.part] = html_report.Picture(drawn, picture.fmt, picture.alt, width)
            continue
        reports[picture.key].files.append(path)
        if picture.key in embedded:
            shown = html_report.Picture(drawn, picture.fmt, picture.alt, width)
        else:  # the bytes are not kept: the page links to the file
            shown = html_report.Picture(b"", picture.fmt, picture.alt, width, link=picture.name)
        setattr(sections[picture.key], picture.part, shown)
    jobs.clear()

    notes = data.notes
    by_year = [(a.author.key, a.author.name, a.table, a.by_year) for a in data.authors]
    summary_path = store.atomic_write_text(
        workspace.reports / "summary.md", markdown.render(str(data.window), by_year, data.matrix, data.shares, notes))
    written.append(summary_path)
    shown_count, total = len(data.overview), len(data.authors)
    page = html_report.Page(
        title="authorstats report", window=str(data.window), generated=utc_now(),
        version=html_report.versions(("authorstats",))["authorstats"],
        authors=list(sections.values()), colors=charts.topic_colors(data.taxonomy.names), matrix=data.matrix,
        heatmap=overview.get("heatmap"), shares=overview.get("shares"),
        methods=_methods(workspace, data, options, labels, notes),
        overview_note="" if shown_count == total else (
            f"The heatmap and the share chart show the {shown_count} authors with the most papers "
            f"{pictures.overview_note(shown_count, total)}. Charts are embedded for these {shown_count} authors; "
            "the other authors' charts are the files linked from their sections, next to this page."),
    )
    index = store.atomic_write_text(workspace.reports / "index.html", html_report.render(page))
    written.append(index)
    return ReportResult(data.window, list(reports.values()), written, data.used_snapshot, index, summary_path)


def _methods(workspace: store.Workspace, data: ReportData, options: SaveOptions, labels: Path | None,
             notes: list[str]):
    from authorstats.render import html as html_report

    rows = [html_report.MethodsRow(a.author.name, a.provenance.label, a.fetched, a.provenance.records_read,
                                   a.provenance.records_merged, a.provenance.records_in_window)
            for a in data.authors]
    labels = workspace.labels if labels is None else labels
    labels_path = str(labels) if labels.is_file() else f"{labels} (none)"
    if not data.options.clouds:
        cloud_method = "not drawn (--no-clouds)"
    else:
        cloud_method = (f"from {data.options.cloud_from}, "
                        + ("distinctive words (smoothed log-odds z-scores against the other authors)"
                           if data.options.distinctive else "word counts")
                        + f", stop words from {options.stopwords or 'the bundled list'}")
    return html_report.Methods(str(data.window), str(data.taxonomy.path), labels_path, data.manual_labels, rows,
                               html_report.versions(), cloud_method, list(notes))
