"""The thin command layer: parse options, call one function, turn errors into exit codes."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from authorstats.version import __version__
from authorstats.shell.console import command, print_report, progress_bar, say, set_debug
from authorstats.shell.help import App

app = App(
    help="What do these researchers publish about, in these years? "
    "Fetch publications, tag each with a topic, and write tables, charts and word clouds.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion for bash, zsh, fish, PowerShell
    rich_markup_mode=None,  # click's plain help: reads well at 80 columns, no <bool> after flags
    pretty_exceptions_enable=False,
)

# Options shared by several commands.
WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-w", metavar="FOLDER", help="Folder holding data/ and reports/.",
                       show_default="current folder")
]
YearsOpt = Annotated[str, typer.Option("--years", "-y", metavar="YEARS", help="Year window, START-END or one year.")]
AuthorOpt = Annotated[
    Optional[list[str]], typer.Option("--author", "-a", metavar="KEY",
                                     help="Roster key of an author; repeat for several. Default: all.")
]
RosterOpt = Annotated[
    Optional[Path], typer.Option("--roster", metavar="FILE", help="Your own roster TOML file.",
                                   show_default="the bundled roster")
]
TaxonomyOpt = Annotated[
    Optional[Path], typer.Option("--taxonomy", metavar="FILE", help="Your own taxonomy TOML file.",
                                   show_default="the bundled taxonomy")
]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"authorstats {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks instead of one-line errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    set_debug(debug)


def main() -> None:
    """Console-script entry point."""
    app()


def _parse_size(text: str) -> tuple[int, int]:
    from authorstats.errors import BadInputError

    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise BadInputError(f"--cloud-size {text!r} is not WIDTHxHEIGHT", "Write it like --cloud-size 1600x800") from None
    if not (100 <= width <= 8000 and 100 <= height <= 8000):
        raise BadInputError(f"--cloud-size {text} is out of range", "Use 100 to 8000 pixels per side")
    return width, height


class ChartFormat(str, Enum):
    png = "png"
    svg = "svg"


class HeatmapScale(str, Enum):
    shares = "shares"
    counts = "counts"
class YearBasis(str, Enum):
    first = "first"
    published = "published"


class CloudFrom(str, Enum):
    titles = "titles"
    abstracts = "abstracts"


class AuthorCharts(str, Enum):
    all = "all"
    top40 = "top40"
    none = "none"


@app.command(short_help="Tag the publications; write tables, charts, clouds, index.html.")
@command
def report(
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    author: AuthorOpt = None,
    taxonomy: TaxonomyOpt = None,
    roster: RosterOpt = None,
    clouds: Annotated[bool, typer.Option("--clouds/--no-clouds", help="Draw word clouds.")] = True,
    cloud_size: Annotated[str, typer.Option(metavar="WxH", help="Word cloud size in pixels, WIDTHxHEIGHT.")] = "1600x800",
    dpi: Annotated[int, typer.Option(min=50, max=600, metavar="DPI",
                                          help="Resolution of the charts, 50 to 600 dots per inch.")] = 150,
    stopwords: Annotated[
        Optional[Path], typer.Option(metavar="FILE", help="Your own filler-word list for word clouds.",
                                         show_default="the bundled list")
    ] = None,
    chart_format: Annotated[
        ChartFormat, typer.Option("--format", metavar="[png|svg]", help="File format of the charts (word clouds are always PNG).")
    ] = ChartFormat.png,
    heatmap: Annotated[
        Optional[HeatmapScale], typer.Option(metavar="[shares|counts]", help="Shade the heatmap by each author's "
                                             "shares or by paper counts; the cells show counts either way.",
                                             show_default="shares when the authors' totals differ over 2x")
    ] = None,
    cloud_from: Annotated[
        CloudFrom, typer.Option(metavar="[titles|abstracts]",
                                help="Draw word clouds from titles, or from abstracts where known.")
    ] = CloudFrom.titles,
    distinctive: Annotated[
        bool, typer.Option("--distinctive", help="Word clouds of the words over-represented for each author compared with the others.")
    ] = False,
    open_report: Annotated[
        bool, typer.Option("--open", help="Open reports/index.html in the default browser when done.")
    ] = False,
    tables_only: Annotated[
        bool, typer.Option("--tables-only", help="Write only the CSV tables, summary.md and authorstats.db: no pictures, no HTML (fast for large rosters).")
    ] = False,
    author_charts: Annotated[
        AuthorCharts, typer.Option("--author-charts", metavar="[all|top40|none]", help="Whose own charts and word clouds to draw: all, top40 (the 40 with the most papers) or none; the overview charts are always drawn.")
    ] = AuthorCharts.all,
    venues: Annotated[
        Optional[Path], typer.Option("--venues", metavar="FILE", help="Your own venue-alias TOML file (how venue strings are named).",
                                     show_default="the bundled aliases")
    ] = None,
    year_basis: Annotated[
        YearBasis, typer.Option("--year-basis", help="The year a merged work counts in when its versions' years differ: its earliest public version's (first) or the kept, peer-reviewed version's (published).")
    ] = YearBasis.first,
    group_by: Annotated[
        Optional[str], typer.Option("--group-by", metavar="NAME", help="Count each paper under its topic's category in one of the taxonomy's groupings (the bundled taxonomy has 'seminar', the seminar's 11 categories, and 'broad'; see its [groupings] tables).")
    ] = None,
    reference: Annotated[
        Optional[str], typer.Option("--reference", metavar="FILE.csv", show_default="the seminar's tables with the bundled roster and 2021-2022, else none",
                                    help="Set each author's table beside a reference table (columns author, topic, count; a Total row allowed); 'none': no comparison.")
    ] = None,
) -> None:
    """Tag every publication in the window with a topic; write topic tables, charts, word clouds, index.html and summary.md.

    Uses the fetched data in WORKSPACE/data/raw, or the bundled snapshot for authors with none. With more than 40 authors, index.html holds the overview and each author gets reports/authors/KEY.html.
    """
    from authorstats.analysis.report import ReportOptions, compute_report
    from authorstats.config import roster as rosters
    from authorstats.models import YearWindow
    from authorstats.shell import config_files, lock, store
    from authorstats.shell import report as reporting

    window = YearWindow.parse(years)
    authors = rosters.select(config_files.load_roster(roster), author or [])
    tax = config_files.load_taxonomy(taxonomy)
    if group_by:
        tax.grouping(group_by)  # an unknown grouping stops the run before any work
    compared = config_files.choose_reference(reference, bundled_roster=roster is None, window=window)
    width, height = _parse_size(cloud_size)
    ws = store.Workspace(workspace)
    with lock.workspace_lock(ws, "report"):
        gathered = reporting.read_records(ws, authors)
        labels = config_files.load_labels(ws.labels, tax.names)
        clouds = clouds and not tables_only
        options = ReportOptions(clouds=clouds, cloud_from=cloud_from.value, distinctive=distinctive,
                                year_basis=year_basis.value,
                                stopwords=config_files.load_stopwords(stopwords) if clouds else None,
                                venues=config_files.load_venues(venues))
        with reporting.merge_progress(gathered.records, authors, progress_bar) as advance:
            data = compute_report(gathered.records, roster=authors, taxonomy=tax, years=window, labels=labels,
                                  options=options, sources=gathered.sources, progress=advance,
                                  reference=compared, group_by=group_by)
        result = reporting.save_report(ws, data, reporting.SaveOptions(
            cloud_width=width, cloud_height=height, chart_dpi=dpi, chart_format=chart_format.value,
            stopwords=stopwords, tables_only=tables_only, author_charts=author_charts.value,
            heatmap=heatmap.value if heatmap else None))
    print_report(result, workspace)
    if open_report and result.index is not None:
        import webbrowser

        if not webbrowser.open(result.index.resolve().as_uri()):
            typer.echo(f"Could not open a browser; open {result.index.resolve()} yourself.", err=True)


class ExportFormat(str, Enum):
    bibtex = "bibtex"
    ris = "ris"
    csljson = "csljson"
    csv = "csv"


@app.command(short_help="Write the window's works as BibTeX, RIS, CSL JSON or CSV.")
@command
def export(
    export_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", metavar="[bibtex|ris|csljson|csv]", help="bibtex (LaTeX, Zotero), ris (reference managers), "
                                   "csljson (Zotero, citeproc, pandoc) or csv.")
    ] = ExportFormat.bibtex,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the file here.",
                                     show_default="standard output")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    author: AuthorOpt = None,
    taxonomy: TaxonomyOpt = None,
    roster: RosterOpt = None,
    venues: Annotated[
        Optional[Path], typer.Option("--venues", metavar="FILE", help="Your own venue-alias TOML file.",
                                     show_default="the bundled aliases")
    ] = None,
) -> None:
    """Write the window's works as a bibliography: one entry per work, its topic as a keyword, with its DOI, link and arXiv id when known.

    Reads what `report` reads (fetched data, else the bundled snapshot) and tags each work the same way. A work of several roster authors is one entry.
    """
    from authorstats.config import roster as rosters
    from authorstats.models import YearWindow
    from authorstats.shell import config_files, exporting, store

    window = YearWindow.parse(years)
    authors = rosters.select(config_files.load_roster(roster), author or [])
    items = exporting.window_works(store.Workspace(workspace), authors, config_files.load_taxonomy(taxonomy), window,
                                   config_files.load_venues(venues))
    text = exporting.export_text(items, export_format.value)
    if output is None:
        typer.echo(text, nl=False)
    else:
        exporting.write_export(text, output)
        typer.echo(f"Wrote {len(items)} works as {export_format.value} -> {output}", err=True)


@app.command(short_help="Fetch publications from Scholar, OpenAlex or dblp.")
@command
def fetch(
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    author: AuthorOpt = None,
    roster: RosterOpt = None,
    source: Annotated[str, typer.Option("--source", "-s", metavar="SOURCE", help="Where to fetch from: auto (Google Scholar, then OpenAlex if OPENALEX_API_KEY is set, then dblp, for authors with those ids), scholar, openalex or dblp.")] = "auto",
    refresh: Annotated[bool, typer.Option("--refresh", help="Fetch again even when cached data is young enough.")] = False,
    max_age: Annotated[
        float, typer.Option("--max-age", metavar="DAYS", help="Reuse fetched data younger than this many days.")
    ] = 7,
    details: Annotated[
        bool, typer.Option("--details", help="Also read each publication's page (authors, venue, abstract): one request each.")
    ] = False,
    proxy: Annotated[
        Optional[str], typer.Option("--proxy", metavar="URL", help="Send requests through this proxy, e.g. http://HOST:PORT.")
    ] = None,
    deadline: Annotated[
        float, typer.Option("--deadline", metavar="SECONDS", help="Give up after this many seconds; what was fetched is kept and resumed.")
    ] = 30,
) -> None:
    """Fetch the authors' publications in the year window into WORKSPACE/data/raw/<source>/.

    Data younger than --max-age is reused without a request; an interrupted run resumes where it stopped.

    When Google Scholar refuses, the run ends at once with the cause and the ways out. A ScraperAPI key in SCRAPERAPI_KEY is used as proxy. See docs/fetch.md.
    """
    import os

    from authorstats.shell import fetch as fetching
    from authorstats.config import roster as rosters
    from authorstats.shell import config_files, store
    from authorstats.models import YearWindow

    options = fetching.FetchOptions(
        source=source, refresh=refresh, max_age_days=max_age, details=details, proxy=proxy,
        scraperapi_key=os.environ.get("SCRAPERAPI_KEY") or None, deadline=deadline,
    )
    fetching.check_limits(options)  # before any source (auto's too) is opened
    window = YearWindow.parse(years)
    authors = rosters.select(config_files.load_roster(roster), author or [])
    if source == "auto":  # Scholar, then OpenAlex, then dblp for the authors Scholar did not serve
        from authorstats.shell import fallback

        report = fallback.run_auto(store.Workspace(workspace), authors, window, options,
                                   echo=say, progress=progress_bar)
    else:
        report = fetching.run(store.Workspace(workspace), authors, window, options, echo=say, progress=progress_bar)
    for line in report.closing_lines():
        say(line)
    error = report.error()
    if error is not None:
        raise error
    if report.exit_code:
        raise typer.Exit(report.exit_code)


@app.command("import", short_help="Import an exported list: Publish or Perish, Zotero, BibTeX, RIS.")
@command
def import_publications(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The exported list: a Publish or Perish or Zotero CSV, a BibTeX (.bib) or RIS (.ris) file, or a CSV with columns author, title, year (see docs/import.md).")],
    author: Annotated[Optional[str], typer.Option("--author", "-a", metavar="KEY", help="Roster key of the researcher whose list this is: every row goes to them. Without it, each row goes to the roster authors among the paper's authors (or in an author column).")] = None,
    file_format: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT", help="The file's format, when detection guesses wrong: csv, pop, zotero, bibtex or ris.", show_default="detected from the file")] = None,
    source: Annotated[str, typer.Option("--source", "-s", metavar="NAME", help="Name of this list; it goes to data/raw/NAME/.")] = "import",
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="Identifies this list: importing again under the same name replaces what it gave, wherever the file is. Default: the file's full path.")] = None,
    workspace: WorkspaceOpt = Path("."),
    roster: RosterOpt = None,
) -> None:
    """Import publications exported from Publish or Perish, Zotero, a reference manager (BibTeX, RIS) or written by hand into data/raw/SOURCE/.

    The format is detected from the file. With --author every row is that researcher's (a row whose author list does not name them is imported with a warning); without it, each row goes to every roster author its paper's authors name ("Y LeCun", "LeCun, Yann", ...). Bad rows are reported with their line numbers and skipped; good rows are kept. Importing the same file (same path, or same --name) again replaces what it gave before; other files' records are kept, even under the same file name.
    """
    from authorstats.config import roster as rosters
    from authorstats.errors import BadInputError
    from authorstats.shell import config_files, importer, lock, store

    authors = config_files.load_roster(roster)
    owner = rosters.select(authors, [author])[0] if author is not None else None
    ws = store.Workspace(workspace)
    with lock.workspace_lock(ws, "import"):
        result = importer.import_csv(file, ws, authors, source, name, fmt=file_format, author=owner)
    for bad in result.bad_rows:
        typer.echo(f"skipped {file.name} {bad}", err=True)
    for warning in result.warnings:
        typer.echo(f"warning: {file.name} {warning}", err=True)
    if not result.added:
        raise BadInputError(f"no usable rows in {file} ({len(result.bad_rows)} skipped)",
                            "Fix the rows listed above and import again")
    for key, count in result.added.items():
        earlier = f", kept {result.kept[key]} earlier" if result.kept[key] else ""
        typer.echo(f"{key}: {count} publications from {file.name} ({result.format}){earlier} -> "
                   f"{ws.raw_file(result.source, key)}")
    if result.replaced:
        typer.echo(f"Replaced {result.replaced} records of an earlier import of {name or file.name}.")
    if result.bad_rows:
        typer.echo(f"Skipped {len(result.bad_rows)} bad row(s); see the lines above.", err=True)


@app.command(short_help="List the taxonomy's topics with descriptions and example terms.")
@command
def topics(
    taxonomy: TaxonomyOpt = None,
    group_by: Annotated[
        Optional[str], typer.Option("--group-by", metavar="NAME",
                                    help="List one of the taxonomy's groupings instead: its categories and the topics each takes.")
    ] = None,
) -> None:
    """List the topics of the taxonomy: each one's name, description and strongest match terms.

    A trailing * in a term stands for any ending, (s) for an optional plural; docs/classifier.md explains
    the terms and their weights. With --group-by NAME: the categories of that grouping instead.
    """
    from shutil import get_terminal_size

    from authorstats.render.topics import format_grouping, format_listing, topic_listing
    from authorstats.shell.config_files import load_taxonomy

    source = f"taxonomy {taxonomy.name}" if taxonomy is not None else "bundled taxonomy"
    width = min(get_terminal_size().columns, 100)
    loaded = load_taxonomy(taxonomy)
    if group_by is not None:
        typer.echo(format_grouping(loaded.grouping(group_by), source, width), nl=False)
        return
    typer.echo(format_listing(topic_listing(loaded), source, width), nl=False)


authors_app = App(help="Look up the authors of your roster in other sources.", no_args_is_help=True,
                  rich_markup_mode=None)
app.add_typer(authors_app, name="authors")


@authors_app.command("resolve", short_help="Find an author's OpenAlex or dblp id; write it to the roster.")
@command
def authors_resolve(
    key: Annotated[str, typer.Argument(metavar="KEY", help="Roster key of the author, e.g. lecun.")],
    source: Annotated[str, typer.Option("--source", "-s", metavar="SOURCE", help="Where to look the author up: openalex or dblp.")],
    roster: Annotated[
        Optional[Path], typer.Option("--roster", metavar="FILE", help="Your roster TOML file; the id is written into it.",
                                     show_default="WORKSPACE/authors.toml, copied from the bundled roster")
    ] = None,
    choose: Annotated[Optional[int], typer.Option("--choose", min=1, metavar="N", help="Take candidate N of the list shown.")] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Find an author's OpenAlex or dblp id by name (OpenAlex: by ORCID first) and write it into your roster.

    Shows the candidates (name, affiliation, works count). An ambiguous name is never picked: rerun with --choose N. Without --roster the bundled roster is first copied to WORKSPACE/authors.toml.
    """
    from authorstats.shell import resolve as resolving
    from authorstats.shell import store
    from authorstats.errors import BadInputError
    from authorstats.sources.http import make_client

    with make_client() as client:
        result = resolving.resolve(store.Workspace(workspace), key, source, roster, choose, client)
    typer.echo(f"{source} candidates for {result.author.name} ({key}):")
    for line in resolving.format_candidates(result.candidates):
        typer.echo(line)
    if result.chosen is None:
        again = f"authorstats authors resolve {key} --source {source} --choose N"
        if roster is not None:
            again += f" --roster {roster}"
        raise BadInputError(f"{len(result.candidates)} candidate(s) for {result.author.name!r} and none is certain; "
                            "nothing was written", f"Pick one from the list: {again}")
    path = result.target.path
    if result.target.copy_from is not None:
        typer.echo(f"Copied the bundled roster to {path}.")
    typer.echo(f'Wrote {resolving.FIELD[source]} = "{result.chosen.id}" for {key} into {path} ({result.why}).')
    if roster is None:
        typer.echo(f"Pass --roster {path} to later commands (fetch, report) to use it.")


@app.command("classify", short_help="Tag every row of a CSV file with a topic.")
@command
def classify_file(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="CSV with a title column (and optionally abstract), or a .parquet file.")],
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Write the result here (.parquet: as Parquet).",
                                     show_default="CSV on standard output")
    ] = None,
    taxonomy: TaxonomyOpt = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Overwrite input columns named topic, score, evidence, topics or confidence.")
    ] = False,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", metavar="ADDRESS|local",
                                    help="Classify on a Dask cluster: a scheduler's address (tcp://host:8786), or "
                                         "local for one on this machine. Needs authorstats[dask]; see docs/scale.md.")
    ] = None,
) -> None:
    """Tag every row of a CSV or Parquet file with a topic: adds topic, score, evidence, topics and confidence columns.

    Works on any list with a title column, e.g. exported from another tool; an abstract column adds evidence.
    An input that already has one of those columns is refused, unless --replace: then the new ones replace them.
    The file is read and written a chunk at a time, so memory stays flat however long it is.
    """
    from authorstats.shell import classify_files, config_files, processes

    tax = config_files.load_taxonomy(taxonomy)
    if scheduler is None:
        rows = classify_files.classify_file(file, output, tax, replace=replace, workers=processes.cpu_count())
    else:
        from authorstats.shell import dask_classify

        rows = dask_classify.classify_file(file, output, tax, replace=replace, scheduler=scheduler)
    if output is not None:
        typer.echo(f"Classified {rows} rows -> {output}", err=True)


@app.command(short_help="Measure the classifier's accuracy on labelled titles.")
@command
def evaluate(
    labels: Annotated[Path, typer.Argument(metavar="FILE", help="CSV with title, topic and optional also_ok (semicolon-separated).")],
    taxonomy: TaxonomyOpt = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", metavar="FOLDER", help="Also write confusion.png, misclassified.csv and per_topic.csv here.")
    ] = None,
) -> None:
    """Measure the classifier on labelled titles: strict and lenient accuracy, per-topic precision/recall/F1, confusion.

    Strict: the prediction is the labelled topic. Lenient: it is the topic or one of also_ok.
    """
    from authorstats.analysis import evaluate as evaluation
    from authorstats.shell import config_files, csv_files

    tax = config_files.load_taxonomy(taxonomy)
    result = evaluation.evaluate(csv_files.read_labels_csv(labels), tax)
    typer.echo(evaluation.format_evaluation(result))
    if out is not None:
        for path in csv_files.write_evaluation(result, out):
            typer.echo(f"wrote {path}", err=True)


@app.command(short_help="Correct topics by hand: list uncertain records, --apply answers.")
@command
def review(
    workspace: WorkspaceOpt = Path("."),
    below: Annotated[
        float, typer.Option("--below", min=0.0, max=1.0, metavar="CONFIDENCE",
                            help="List records whose topic confidence is under this (0 to 1).")
    ] = 0.5,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", metavar="FILE", help="Where to write the review CSV.",
                                   show_default="WORKSPACE/data/review.csv")
    ] = None,
    apply: Annotated[
        Optional[Path], typer.Option("--apply", metavar="FILE", help="Merge a filled review CSV into WORKSPACE/data/labels.csv.")
    ] = None,
    taxonomy: TaxonomyOpt = None,
) -> None:
    """Correct topics by hand: list the least certain records to a CSV, then merge your answers with --apply.

    Fill the correct_topic column of the rows you check (leave the others empty). Labels in data/labels.csv
    are applied by every later `authorstats report`.
    """
    from authorstats.config import labels as manual
    from authorstats.shell import config_files, csv_files, lock, store

    ws = store.Workspace(workspace)
    tax = config_files.load_taxonomy(taxonomy)
    if apply is not None:
        filled = csv_files.read_review(apply)
        with lock.workspace_lock(ws, "review --apply"):
            merged, added, changed = manual.merge_review(config_files.read_labels(ws.labels, tax.names), filled, tax.names, apply)
            store.atomic_write_text(ws.labels, csv_files.csv_text(merged))
        typer.echo(f"Merged {added} new and {changed} changed label(s) into {ws.labels} ({len(merged)} in all). "
                   "Run `authorstats report` to apply them.")
        return
    table = manual.review_table(csv_files.read_processed(ws), below)
    target = output or ws.root / "data" / "review.csv"
    config_files.keep_corrections(target, ws.labels)
    (store.write_output_text if output else store.atomic_write_text)(target, csv_files.csv_text(table))
    typer.echo(f"Wrote {len(table)} record(s) with confidence under {below:g} to {target}.")
    typer.echo(f"Fill correct_topic with one of: {', '.join(tax.names)}; then run "
               f"`authorstats review --apply {target}`.")


@app.command()
@command
def serve(
    workspace: WorkspaceOpt = Path("."),
    host: Annotated[str, typer.Option("--host", help="Interface to listen on. Anything but 127.0.0.1 or localhost lets other machines read the data (a warning says so).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on; 0 picks a free one.")] = 0,
    open_browser: Annotated[bool, typer.Option("--open/--no-open", help="Open the works table in the default browser.")] = True,
) -> None:
    """Browse the last report's data in Datasette: facets, full-text search, SQL, JSON and CSV of every view.

    Serves WORKSPACE/data/processed/authorstats.db (written by `authorstats report`) until Ctrl-C. Needs the serve extra: pip install 'authorstats[serve]'. See docs/database.md.
    """
    from authorstats.shell import serve as serving
    from authorstats.shell import store

    serving.serve(store.Workspace(workspace), serving.ServeOptions(host, port, open_browser), typer.echo)


taxonomy_app = typer.Typer(help="Start a taxonomy for your own field.", no_args_is_help=True)
app.add_typer(taxonomy_app, name="taxonomy")


@taxonomy_app.command("suggest")
@command
def taxonomy_suggest(
    source: Annotated[
        Optional[Path], typer.Option("--from", metavar="FILE.csv", help="CSV with a title column (and optionally abstract) to model.", show_default="the workspace's records")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the suggested taxonomy.")] = Path("taxonomy.suggested.toml"),
    topics: Annotated[
        Optional[int], typer.Option("--topics", min=2, max=50, help="How many topics to propose.", show_default="the most coherent number from 2 to 12")
    ] = None,
    extend: Annotated[
        bool, typer.Option("--extend", help="Propose topics only for the records the taxonomy leaves in Other or tags with confidence under 0.5, and write the taxonomy with them added.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the output file if it exists.")] = False,
    taxonomy: Annotated[
        Optional[Path], typer.Option("--taxonomy", help="The taxonomy --extend adds to.", show_default="the bundled taxonomy")
    ] = None,
    roster: RosterOpt = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Suggest a starter taxonomy from titles (and abstracts): a TF-IDF + NMF topic model with a fixed seed.

    One topic per model component, named by its top terms, which become its weighted patterns; the ten titles that load most on it follow as comments. Rename, merge and edit the topics, then use the file with --taxonomy. Reads the workspace's records (fetched, else the bundled snapshot) or --from FILE.csv; never replaces an existing file without --force. See docs/classifier.md.
    """
    from authorstats.shell import store
    from authorstats.shell import suggest as suggesting

    options = suggesting.SuggestOptions(output=output, topics=topics, extend=extend, force=force, source=source,
                                        taxonomy=taxonomy, roster=roster)
    result = suggesting.suggest(store.Workspace(workspace), options, progress=progress_bar)
    if topics is None:
        tried = ", ".join(f"{n}: {score:.3f}" for n, score in result.coherence.items())
        typer.echo(f"Coherence (mean NPMI of the top terms) by number of topics: {tried}; chose {result.chosen}.")
    what = "new topic" if extend else "topic"
    typer.echo(f"{len(result.new_topics)} {what}s fitted on {result.texts} titles; records of the {result.read} "
               "each topic would take with this taxonomy:")
    width = max(len(name) for name in result.counts)
    for name, count in result.counts.items():
        typer.echo(f"  {name:<{width}}  {count:>5}")
    typer.echo(f"Wrote {output}. Rename, merge and edit its topics, then use it: --taxonomy {output}")
