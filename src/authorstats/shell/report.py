"""`authorstats report` as one pipeline (run_report): read the configuration and the workspace's records (or the
bundled snapshot), compute the report in the core, and save it: the only writer of report files."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from authorstats.analysis.report import Provenance, ReportOptions
from authorstats.errors import BadInputError
from authorstats.models import Author, Publication, YearWindow, utc_now
from authorstats.shell import picture_cache, store
from authorstats.shell.records import previous_works, read_records, shrunk

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.reference import Comparison
    from authorstats.analysis.report import ReportData
    from authorstats.config.reference import Reference
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.render.jobs import Picture
    from authorstats.shell.painter import Painter

log = logging.getLogger(__name__)
MERGE_BAR_FROM = 20_000  # roster records: fewer merge in a few seconds, without a progress bar


@dataclass
class AuthorReport:
    author: Author
    provenance: Provenance
    table: pd.DataFrame  # the seminar's shape: Topic, Count; Total first
    files: list[Path] = field(default_factory=list)
    source_note: str = ""  # where the numbers come from (analysis.coverage)


@dataclass
class ReportResult:
    window: YearWindow
    authors: list[AuthorReport]
    files: list[Path]
    used_snapshot: bool
    index: Path | None = None  # reports/index.html
    summary: Path | None = None  # reports/summary.md
    removed: list[Path] = field(default_factory=list)  # files an earlier report wrote and this one did not
    kept: list[Path] = field(default_factory=list)  # such files left in place: changed since, or not removable
    comparison: Comparison | None = None  # the side-by-side with a reference table, if one was given
    warnings: list[str] = field(default_factory=list)  # e.g. an author who lost most works since the last report
    pictures_drawn: list[str] = field(default_factory=list)  # file names under reports/
    pictures_reused: list[str] = field(default_factory=list)  # unchanged since the last report: read back, not drawn
    fingerprints: dict[str, str] = field(default_factory=dict)  # of each picture and the database, for the manifest


@dataclass(frozen=True)
class SaveOptions:
    """How a computed report is drawn and saved."""

    cloud_width: int = 1600
    cloud_height: int = 800
    chart_dpi: int = 150
    chart_format: str = "png"  # png or svg, for the chart files (word clouds are always PNG)
    heatmap: str | None = None  # shade the heatmap by "counts" or "shares"; None: shares when totals differ >2x
    stopwords: Path | None = None  # the stop-word file the clouds used, named in the methods section
    workers: int | None = None  # processes drawing the pictures; None: one per CPU, 1: all in this process
    tables_only: bool = False  # only the CSV files, summary.md and authorstats.db: no pictures, no HTML
    author_charts: str = "all"  # whose own pictures are drawn: all, top40 (the overview's authors) or none
    redraw: bool = False  # draw every picture, reusing none of the last report's (report --redraw)


def report_options(**fields: object) -> ReportOptions:
    """ReportOptions with the bundled stop words and venue aliases where ``fields`` give none: the options
    `authorstats report` computes with by default (the library's ``authorstats.report_options``)."""
    from authorstats.shell.config_files import load_stopwords, load_venues

    options = dataclasses.replace(ReportOptions(), **fields)  # type: ignore[arg-type]  # checked by the dataclass
    if options.clouds and options.stopwords is None:
        options = dataclasses.replace(options, stopwords=load_stopwords())
    if options.venues is None:
        options = dataclasses.replace(options, venues=load_venues())
    return options


@dataclass(frozen=True)
class ReportRequest:
    """What a report is asked for, as `authorstats report`'s options say it: files are paths (None: the bundled
    ones), the window and the authors as text."""

    years: str | YearWindow = "2021-2022"
    authors: Sequence[str] = ()  # roster keys; none: the whole roster
    roster: Path | None = None
    taxonomy: Path | None = None
    stopwords: Path | None = None  # the word clouds' filler words
    venues: Path | None = None  # venue aliases
    # A reference table to compare with: a CSV path, "none", or None: the seminar's tables when the roster is
    # the bundled one and the window 2021-2022.
    reference: str | None = None
    group_by: str | None = None  # one of the taxonomy's groupings, whose categories the tables count in
    clouds: bool = True
    cloud_from: str = "titles"  # titles or abstracts
    distinctive: bool = False
    year_basis: str = "first"  # first or published
    snapshot: bool = True  # add the bundled snapshot to authors without data from a service (False: --no-snapshot)
    baseline: Path | None = None  # topic counts to measure specialisation against; None: the roster


@dataclass(frozen=True)
class Prepared:
    """A request's configuration, read and checked before any record is: the report's inputs but the records."""

    window: YearWindow
    authors: list[Author]
    taxonomy: Taxonomy
    reference: Reference | None
    group_by: str | None
    options: ReportOptions
    snapshot: bool = True


def prepare(request: ReportRequest) -> Prepared:
    """Read and check the roster, taxonomy, grouping, reference and word lists a request names; any mistake in
    them stops the run here, before the lock is taken or a record read."""
    from authorstats.config import roster as rosters
    from authorstats.shell import config_files

    window = request.years if isinstance(request.years, YearWindow) else YearWindow.parse(request.years)
    authors = rosters.select(config_files.load_roster(request.roster), list(request.authors))
    taxonomy = config_files.load_taxonomy(request.taxonomy)
    counted = taxonomy.names
    if request.group_by:
        counted = taxonomy.grouping(request.group_by).names  # an unknown grouping stops the run before any work
    reference = config_files.choose_reference(request.reference, bundled_roster=request.roster is None, window=window)
    options = ReportOptions(
        clouds=request.clouds,
        cloud_from=request.cloud_from,
        distinctive=request.distinctive,
        year_basis=request.year_basis,
        stopwords=config_files.load_stopwords(request.stopwords) if request.clouds else None,
        venues=config_files.load_venues(request.venues),
        baseline=config_files.load_baseline(request.baseline, counted) if request.baseline else None,
        baseline_name=f"the comparison set {Path(request.baseline).name}" if request.baseline else "",
    )
    return Prepared(window, authors, taxonomy, reference, request.group_by, options, request.snapshot)


def report_data(
    workspace: store.Workspace,
    prepared: Prepared,
    bar: Callable[[int, str], AbstractContextManager[Callable[[int], None]]] | None = None,
) -> ReportData:
    """The computed report of the workspace's records (or the bundled snapshot's) with its manual labels; reads
    files, writes none. The caller holds the workspace lock. ``bar`` draws a progress bar for a long merge."""
    from authorstats.analysis.report import compute_report
    from authorstats.shell import config_files

    gathered = read_records(workspace, prepared.authors, snapshot_too=prepared.snapshot)
    labels = config_files.load_labels(workspace.labels, prepared.taxonomy.names)
    with merge_progress(gathered.records, prepared.authors, bar) as advance:
        return compute_report(
            handed_over(gathered.records),
            roster=prepared.authors,
            taxonomy=prepared.taxonomy,
            years=prepared.window,
            labels=labels,
            options=prepared.options,
            sources=gathered.sources,
            progress=advance,
            reference=prepared.reference,
            group_by=prepared.group_by,
        )


def run_report(
    workspace: store.Workspace | str | os.PathLike[str],
    request: ReportRequest = ReportRequest(),
    save: SaveOptions = SaveOptions(),
    *,
    bar: Callable[[int, str], AbstractContextManager[Callable[[int], None]]] | None = None,
    painter: Painter | None = None,
) -> ReportResult:
    """`authorstats report`: read the request's configuration, then, holding the workspace lock, read the
    records, compute the report and save every file of it (the library's ``authorstats.run_report``)."""
    from authorstats.shell import lock
    from authorstats.shell.config_files import reference_left_out

    ws = workspace if isinstance(workspace, store.Workspace) else store.Workspace(Path(workspace))
    prepared = prepare(request)
    with lock.workspace_lock(ws, "report"):
        before = previous_works(ws)
        data = report_data(ws, prepared, bar)
        result = save_report(ws, data, dataclasses.replace(save, stopwords=request.stopwords), painter=painter)
    now = {a.author.key: a.provenance.records_in_window for a in data.authors}
    result.warnings = shrunk(before, now, snapshot=request.snapshot)
    left_out = reference_left_out(request.reference, bundled_roster=request.roster is None, window=prepared.window)
    result.warnings += [left_out] if left_out else []
    return result


def handed_over(records: list[Publication]) -> Iterator[Publication]:
    """The records, in order, each let go of by ``records`` as it is handed over: the report keeps only those it
    counts (a million records read are not all held until the report is done)."""
    records.reverse()
    while records:
        yield records.pop()


@contextlib.contextmanager
def merge_progress(
    records: Sequence[Publication],
    authors: Sequence[Author],
    bar: Callable[[int, str], AbstractContextManager[Callable[[int], None]]] | None,
) -> Iterator[Callable[[int], None] | None]:
    """A progress bar (drawn by ``bar``) for merging the roster's records when there are enough of them to
    take more than a few seconds (MERGE_BAR_FROM); yields what compute_report's ``progress`` takes."""
    keys = {a.key for a in authors}
    total = sum(1 for r in records if r.author in keys)
    if bar is None or total < MERGE_BAR_FROM:
        yield None
        return
    with bar(total, "Merging versions of each work") as advance:
        yield advance


def save_report(
    workspace: store.Workspace,
    data: ReportData,
    options: SaveOptions = SaveOptions(),
    *,
    labels: Path | None = None,
    painter: Painter | None = None,
) -> ReportResult:
    """Draw the pictures (in worker processes) and write every file of ``data``: data/processed/*.csv and
    authorstats.db, and
    under reports/ the tables, pictures, summary.md and index.html.

    Then the files the previous report wrote and this one did not (its manifest,
    data/processed/report_manifest.json, lists them) are removed, unless changed since; no other file is.
    A picture the previous report drew from exactly the same data, size and format, with the same library
    versions, is read back from its file instead of drawn again (shell/picture_cache.py), unless
    ``options.redraw``.

    ``labels``: the labels file the report applied, named in the methods section. ``painter``: draws the
    pictures (default: one worker process per CPU, as ``options.workers`` says).
    """
    from authorstats.shell import manifest

    store.require_workspace(workspace)
    previous = manifest.read(workspace)
    previous_keys = manifest.read_fingerprints(workspace)
    # the files replace the previous report together, at the end, or not at all; each is the workspace's own
    with store.all_or_nothing(workspace), contextlib.ExitStack() as stack:
        result = _save(
            workspace, data, options, labels, picture_cache.Painting(stack, painter, previous, previous_keys)
        )
    cleanup = manifest.replace(workspace, previous, result.files, result.fingerprints)
    result.removed, result.kept = cleanup.removed, cleanup.kept
    return result


def _start_drawing(
    workspace: store.Workspace, data: ReportData, options: SaveOptions, painting: picture_cache.Painting
) -> picture_cache.Drawing:
    """Hand the pictures still to draw to the painter's workers, which draw them while the tables are written."""
    from authorstats.render import pictures

    jobs = pictures.report_pictures(
        data,
        cloud_size=(options.cloud_width, options.cloud_height),
        dpi=options.chart_dpi,
        fmt=options.chart_format,
        author_charts=options.author_charts,
        heatmap=options.heatmap,
    )
    return painting.start(workspace, jobs, workers=options.workers, redraw=options.redraw)


def _save(
    workspace: store.Workspace,
    data: ReportData,
    options: SaveOptions,
    labels: Path | None,
    painting: picture_cache.Painting,
) -> ReportResult:
    from authorstats.render import analyses_markdown, analyses_page, comparison, html, markdown, page, pictures
    from authorstats.shell import database
    from authorstats.shell.csv_files import csv_text, write_csv  # spreadsheet-safe: no cell runs as a formula
    from authorstats.shell.page_templates import compiled_templates

    generated = generation_time()  # before any work: a malformed SOURCE_DATE_EPOCH stops the run at once
    drawing = None if options.tables_only else _start_drawing(workspace, data, options, painting)
    written = [
        write_csv(workspace.processed / "publications.csv", data.processed()),  # a million rows: in parts
        write_csv(workspace.processed / "duplicates.csv", data.duplicates()),
        store.atomic_write_text(workspace.reports / "topic_counts.csv", csv_text(data.topic_counts)),
    ]
    relative_db = "data/processed/" + database.NAME  # authorstats.db: the same data for SQL and Datasette
    saved = database.save_database(
        workspace, data, last_key=painting.keys.get(relative_db), last_digest=painting.files.get(relative_db)
    )
    written.append(saved.path)
    reports: dict[str, AuthorReport] = {}
    for item in data.authors:
        key = item.author.key
        reports[key] = AuthorReport(item.author, item.provenance, item.table, source_note=item.source_note)
        reports[key].files.append(
            store.atomic_write_text(
                workspace.reports / f"{key}_topics{pictures.grouped_names(data.group_by).suffix}.csv",
                csv_text(item.table),
            )
        )
        written.append(reports[key].files[-1])
    if data.comparison is not None:
        written.append(
            store.atomic_write_text(workspace.reports / "reference_comparison.csv", csv_text(data.comparison.table()))
        )

    from authorstats.shell.analysis_files import write_analysis_tables

    written += write_analysis_tables(workspace, data)
    by_year = [(a.author.key, a.author.name, a.table, a.by_year) for a in data.authors]
    summary_path = store.atomic_write_text(
        workspace.reports / "summary.md",
        markdown.render(
            str(data.window),
            by_year,
            data.matrix,
            data.shares,
            data.notes,
            analyses_markdown.sections(analyses_page.analyses_view(data, {}), str(data.window)),
            {a.author.key: a.source_note for a in data.authors},
            {a.author.key: a.checking for a in data.authors},
        )
        + ("\n" + comparison.markdown_section(data.comparison) if data.comparison is not None else ""),
    )
    written.append(summary_path)
    if drawing is None:
        return ReportResult(
            data.window,
            list(reports.values()),
            written,
            data.used_snapshot,
            None,
            summary_path,
            comparison=data.comparison,
            fingerprints={relative_db: saved.key},
        )

    # The painter's workers draw the pictures side by side; this process writes them in the same order.
    shown: dict[page.PictureKey, Picture] = {}
    for picture, drawn, reused in drawing.results():
        # a reused picture's file holds exactly these bytes already (checked as it was read): left as it is
        path = (
            workspace.reports / picture.name
            if reused
            else store.atomic_write_bytes(workspace.reports / picture.name, drawn)
        )
        written.append(path)
        if picture.key:
            reports[picture.key].files.append(path)
        shown[picture.key, picture.part] = page.shown_picture(data, picture, drawn)

    labels = workspace.labels if labels is None else labels
    built = page.report_page(
        data,
        shown,
        generated=generated,
        versions=package_versions(),
        labels_path="data/labels.csv" if labels == workspace.labels else Path(labels).name,
        labels_found=labels.is_file(),  # names, not local paths: the page is mailed
        stopwords=Path(options.stopwords).name if options.stopwords else page.BUNDLED_STOPWORDS,
    )
    compiled = compiled_templates()
    index = store.atomic_write_text(workspace.reports / "index.html", html.render(built, compiled))
    written.append(index)
    if built.author_folder:  # a large report: every author's section on a page of its own
        for item in data.authors:
            key = item.author.key
            own = page.author_page(data, key, shown, generated=generated, version=built.version)
            written.append(
                store.atomic_write_text(
                    workspace.reports / built.author_folder / f"{key}.html", html.render_author(own, compiled)
                )
            )
            reports[key].files.append(written[-1])
    return ReportResult(
        data.window,
        list(reports.values()),
        written,
        data.used_snapshot,
        index,
        summary_path,
        comparison=data.comparison,
        pictures_drawn=drawing.drawn,
        pictures_reused=drawing.reused,
        fingerprints={**drawing.keys(), relative_db: saved.key},
    )


def generation_time(environ: Mapping[str, str] | None = None) -> str:
    """When the report says it was written: now, or SOURCE_DATE_EPOCH when set (reproducible builds), in UTC.

    SOURCE_DATE_EPOCH is a whole number of seconds since 1970-01-01 00:00 UTC, as `date +%s` prints it.
    """
    value = (os.environ if environ is None else environ).get("SOURCE_DATE_EPOCH")
    if value is None:
        return utc_now()
    try:
        if not value.isascii() or not value.isdigit():
            raise ValueError(value)
        moment = dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BadInputError(
            f"SOURCE_DATE_EPOCH is {value!r}, not a number of seconds since 1970-01-01 UTC",
            "Set it to a whole number such as the output of `date +%s`, or unset it",
        ) from None
    return moment.isoformat()


def package_versions(
    packages: Sequence[str] = ("authorstats", "pandas", "matplotlib", "wordcloud", "scholarly"),
) -> dict[str, str]:
    """Installed versions of the packages that shaped the report ("not installed" when missing)."""
    from importlib import metadata

    found: dict[str, str] = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
