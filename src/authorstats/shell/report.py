"""data/raw (or the bundled snapshot) -> data/processed -> reports/: the only writer of report files."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from authorstats.shell import store
from authorstats.models import Author, Publication, YearWindow, utc_now
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
    index: Path | None = None  # reports/index.html
    summary: Path | None = None  # reports/summary.md


@dataclass(frozen=True)
class ReportOptions:
    clouds: bool = True
    cloud_width: int = 1600
    cloud_height: int = 800
    chart_dpi: int = 150
    stopwords: Path | None = None
    chart_format: str = "png"  # png or svg, for the chart files (word clouds are always PNG)
    cloud_from: str = "titles"  # titles or abstracts
    distinctive: bool = False  # clouds of the words over-represented for an author against the others
    workers: int | None = None  # processes drawing the pictures; None: one per CPU, 1: all in this process


def gather(workspace: store.Workspace, authors: Sequence[Author], window: YearWindow
           ) -> tuple[list[Publication], dict[str, Provenance], list]:
    """Each author's in-window records, one per work, and the merges that made them one.

    Fetched data in the workspace (every source, versions merged) comes first; authors with none
    fall back to the bundled snapshot. Merging happens before the year filter, so a work counts in
    the year of the version that is kept (the peer-reviewed one when there is one).
    """
    from authorstats.analysis.merge import merge_publications

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


# The heatmap and share charts compare at most this many authors (those with the most papers), and
# index.html embeds the charts of those authors only: beyond it, a chart would be too big to read
# (and to draw) and the page too big to open; every author keeps a section and the files.
OVERVIEW_AUTHORS = 40


@store.all_or_nothing()  # the files replace the previous report together, at the end, or not at all
def build_report(workspace: store.Workspace, authors: Sequence[Author], window: YearWindow, taxonomy,
                 options: ReportOptions = ReportOptions()) -> ReportResult:
    """Classify every in-window record, then write the processed CSV and every report file."""
    store.require_workspace(workspace)
    from authorstats.render import pictures as render

    # The workers start now, while this process reads and classifies the records.
    with render.Painter(options.workers if authors else 1, clouds=options.clouds) as painter:
        return _build(workspace, authors, window, taxonomy, options, painter)


def _build(workspace, authors, window, taxonomy, options, painter) -> ReportResult:
    import pandas as pd

    from authorstats.render import charts

    from authorstats.classify import engine as classify

    from authorstats.render import html as html_report

    from authorstats.config import labels
    from authorstats.shell import config_files

    from authorstats.render import pictures as render

    from authorstats.render import markdown as summary

    from authorstats.analysis import tables

    from authorstats.analysis.merge import MERGE_COLUMNS

    records, provenance, merges = gather(workspace, authors, window)
    frame = classify.classify_frame(publications_frame(records), taxonomy)
    frame = labels.apply_labels(frame, config_files.load_labels(workspace.labels))
    frame = frame.sort_values(["author", "year", "title"], kind="stable").reset_index(drop=True)
    rows_of = frame.groupby("author", sort=False).indices  # author -> row positions, in frame order

    def rows(key: str):
        return frame.iloc[rows_of.get(key, [])]

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
    names = {a.key: a.name for a in authors}
    fmt, dpi = options.chart_format, options.chart_dpi
    matrix = tables.author_topic_matrix(frame, keys, taxonomy.names)
    shares = tables.topic_shares(matrix)
    clouds_by_author = _cloud_weights(rows, authors, options) if options.clouds else {}
    shown = overview_authors(matrix, OVERVIEW_AUTHORS)
    embedded = set(shown)

    reports: list[AuthorReport] = []
    sections: list[html_report.AuthorSection] = []
    summaries = []
    for author in authors:
        mine = rows(author.key)
        table = tables.topic_table(mine)
        reports.append(AuthorReport(author, provenance[author.key], table))
        reports[-1].files.append(store.atomic_write_text(
            workspace.reports / f"{author.key}_topics.csv", table.to_csv(index=False)))
        written.append(reports[-1].files[-1])
        sections.append(html_report.AuthorSection(author.key, author.name, table,
                                                  mine.reindex(columns=PAPER_COLUMNS)))
        summaries.append((author.key, author.name, table, tables.topics_by_year(mine, taxonomy.names)))
        if options.clouds:
            sections[-1].cloud_note = clouds_by_author[author.key][1]

    # Every picture is a job (data in, bytes out) that the painter's workers draw side by side; this
    # process writes them in the same order. The longest come first (word clouds, then the overview
    # charts), so that no worker is left with a long job at the end while the other waits.
    jobs: list[tuple[str, str, str, str, object]] = []  # (author key or "", part, file name, alt text, job)
    if options.clouds:
        for author in authors:
            weights = clouds_by_author[author.key][0]
            if weights:
                jobs.append((author.key, "cloud", f"{author.key}_wordcloud.png", f"Word cloud of {author.name}",
                             render.Cloud(weights, options.cloud_width, options.cloud_height)))
    if authors and _present(matrix):
        note = "" if len(shown) == len(authors) else f"\n{overview_note(len(shown), len(authors))}"
        used = matrix.sum(axis=0) > 0
        jobs.append(("", "heatmap", f"topic_heatmap.{fmt}", "Heatmap of papers per author and topic",
                     render.Chart("draw_heatmap", (matrix.loc[shown, used], names, f"Papers per topic, {window}{note}"),
                                  (6, 4), dpi, fmt)))  # the heatmap sizes itself to its rows and columns
        rows_h = 0.7 if len(shown) <= 8 else 0.45  # the share bars get thinner, not the chart endless
        jobs.append(("", "shares", f"topic_shares.{fmt}", "Stacked bars comparing the authors' topic shares",
                     render.Chart("draw_shares", (shares.loc[shown], colors, names,
                                                  f"Share of each author's papers per topic, {window}{note}"),
                                  (11, 2.6 + (0.3 if note else 0) + rows_h * len(shown)), dpi, fmt)))
    for author, (_, _, table, by_year) in zip(authors, summaries):
        jobs.append((author.key, "bars", f"{author.key}_topics.{fmt}", f"Bar chart of {author.name}'s topics",
                     render.Chart("draw_topic_bars", (table, colors, f"{author.name}, {window}"), (8, 5), dpi, fmt)))
        if not by_year.empty:
            jobs.append((author.key, "by_year", f"{author.key}_by_year.{fmt}",
                         f"Stacked bars of {author.name}'s topics by year",
                         render.Chart("draw_topics_by_year", (by_year, colors, f"{author.name}: topics by year"),
                                      (9, 5), dpi, fmt)))

    by_key = {s.key: (s, r) for s, r in zip(sections, reports)}
    overview: dict[str, html_report.Picture] = {}
    for (key, part, name, alt, job), data in zip(jobs, painter.draw([job for *_, job in jobs])):
        path = store.atomic_write_bytes(workspace.reports / name, data)
        written.append(path)
        if isinstance(job, render.Cloud):
            picture_fmt, width = "png", None
        else:
            picture_fmt, width = fmt, _shown_width(job, data)
        if not key:
            overview[part] = html_report.Picture(data, picture_fmt, alt, width)
            continue
        section, item = by_key[key]
        item.files.append(path)
        if key in embedded:
            picture = html_report.Picture(data, picture_fmt, alt, width)
        else:  # the bytes are not kept: the page links to the file
            picture = html_report.Picture(b"", picture_fmt, alt, width, link=name)
        setattr(section, part, picture)
    jobs.clear()
    used_snapshot = any(p.sources == (snapshot.NAME,) for p in provenance.values())
    notes = [f"Authors without fetched data used {snapshot.DESCRIPTION}."] if used_snapshot else []
    summary_path = store.atomic_write_text(
        workspace.reports / "summary.md", summary.render(str(window), summaries, matrix, shares, notes))
    written.append(summary_path)
    page = html_report.Page(
        title="authorstats report", window=str(window), generated=utc_now(), version=html_report.versions(("authorstats",))["authorstats"],
        authors=sections, colors=colors, matrix=matrix, heatmap=overview.get("heatmap"),
        shares=overview.get("shares"),
        methods=_methods(workspace, frame, rows, authors, provenance, window, taxonomy, options, notes),
        overview_note="" if len(shown) == len(authors) else (
            f"The heatmap and the share chart show the {len(shown)} authors with the most papers "
            f"{overview_note(len(shown), len(authors))}. Charts are embedded for these {len(shown)} authors; "
            "the other authors' charts are the files linked from their sections, next to this page."),
    )
    index = store.atomic_write_text(workspace.reports / "index.html", html_report.render(page))
    written.append(index)
    return ReportResult(window, reports, written, used_snapshot, index, summary_path)


def overview_authors(matrix, limit: int) -> list[str]:
    """The authors the overview charts show: all of them up to ``limit``, else the ``limit`` with the most
    papers (ties in roster order), kept in roster order."""
    keys = list(matrix.index)
    if len(keys) <= limit:
        return keys
    totals = matrix.sum(axis=1)
    order = sorted(range(len(keys)), key=lambda i: (-int(totals.iloc[i]), i))
    top = set(order[:limit])
    return [k for i, k in enumerate(keys) if i in top]


def overview_note(shown: int, total: int) -> str:
    return f"(top {shown} of {total:,} authors; all in topic_counts.csv)"


def _shown_width(job, data: bytes) -> int | None:
    """CSS pixels to show a chart at: its size in inches x 96, as on a slide.

    The heatmap sizes itself to its rows and columns, so its width is read from the PNG; an SVG
    carries its own size.
    """
    if job.draw != "draw_heatmap":
        return round(job.size[0] * 96)
    if job.fmt == "png" and data[12:16] == b"IHDR":
        return round(int.from_bytes(data[16:20], "big") / job.dpi * 96)
    return None


PAPER_COLUMNS = ["year", "title", "venue", "topic", "evidence", "manual"]


def _present(matrix) -> int:
    return int((matrix.sum(axis=0) > 0).sum())


def _cloud_texts(mine, key: str, cloud_from: str) -> tuple[list[str], str]:
    """The texts one author's cloud is drawn from (``mine``: that author's rows), and a caption saying which they are."""
    titles = [t for t in mine["title"].fillna("").astype(str) if t.strip()]
    if cloud_from == "abstracts":
        abstracts = [a for a in mine.get("abstract", []) if isinstance(a, str) and a.strip()]
        if abstracts:
            return abstracts, f"abstracts of {len(abstracts)} of {len(mine)} papers"
        if titles:
            log.warning("%s: no abstracts known; the word cloud uses titles instead "
                        "(fetch with --details to get abstracts)", key)
    return titles, f"titles of {len(titles)} papers"


def _cloud_weights(rows, authors: Sequence[Author], options: ReportOptions) -> dict[str, tuple[dict, str]]:
    """Per author: the word weights for the cloud (plain counts or distinctiveness) and its caption.

    ``rows(key)`` gives one author's classified rows.
    """
    from authorstats.render import clouds
    from authorstats.shell import config_files

    stopwords = config_files.load_stopwords(options.stopwords)
    texts = {a.key: _cloud_texts(rows(a.key), a.key, options.cloud_from) for a in authors}
    out = {}
    for author in authors:
        mine, what = texts[author.key]
        others = [t for key, (ts, _) in texts.items() if key != author.key for t in ts]
        if options.distinctive and others:
            weights = clouds.distinctive_frequencies(mine, others, stopwords)
            caption = f"Distinctive words of {author.name} against the other authors ({what})"
        else:
            if options.distinctive:
                log.warning("%s: no other author's texts to compare with; the word cloud shows plain counts",
                            author.key)
            weights = clouds.word_frequencies(mine, stopwords)
            caption = f"Word cloud of {author.name} ({what})"
        if not weights:
            log.warning("no word cloud for %s: no words to draw (%s)", author.key, what)
            caption = f"No word cloud for {author.name}: no words to draw ({what})."
        out[author.key] = (weights, caption)
    return out


def _methods(workspace, frame, rows_of, authors, provenance, window, taxonomy, options, notes):
    from authorstats.render import html as html_report

    rows = []
    for author in authors:
        prov = provenance[author.key]
        stamps = sorted(str(t)[:10] for t in rows_of(author.key)["fetched_at"] if isinstance(t, str) and t.strip())
        fetched = "not recorded" if not stamps else stamps[0] if stamps[0] == stamps[-1] else f"{stamps[0]} to {stamps[-1]}"
        rows.append(html_report.MethodsRow(author.name, prov.label, fetched, prov.records_read,
                                           prov.records_merged, prov.records_in_window))
    manual = int(frame["manual"].map(html_report.truthy).sum()) if "manual" in frame else 0
    labels_path = str(workspace.labels) if workspace.labels.is_file() else f"{workspace.labels} (none)"
    if not options.clouds:
        cloud_method = "not drawn (--no-clouds)"
    else:
        cloud_method = (f"from {options.cloud_from}, "
                        + ("distinctive words (smoothed log-odds z-scores against the other authors)"
                           if options.distinctive else "word counts")
                        + f", stop words from {options.stopwords or 'the bundled list'}")
    return html_report.Methods(str(window), str(taxonomy.path), labels_path, manual, rows,
                               html_report.versions(), cloud_method, list(notes))
