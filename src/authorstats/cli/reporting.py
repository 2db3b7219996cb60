"""The commands that present the data: report, export, serve."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from authorstats.cli.app import AuthorOpt, RosterOpt, TaxonomyOpt, WorkspaceOpt, YearsOpt, app
from authorstats.shell.console import command, print_report, print_unchanged, progress_bar


def _parse_size(text: str) -> tuple[int, int]:
    from authorstats.errors import BadInputError

    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise BadInputError(
            f"--cloud-size {text!r} is not WIDTHxHEIGHT", "Write it like --cloud-size 1600x800"
        ) from None
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
    cloud_size: Annotated[
        str, typer.Option(metavar="WxH", help="Word cloud size in pixels, WIDTHxHEIGHT.")
    ] = "1600x800",
    dpi: Annotated[
        int, typer.Option(min=50, max=600, metavar="DPI", help="Resolution of the charts, 50 to 600 dots per inch.")
    ] = 150,
    stopwords: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Your own filler-word list for word clouds.", show_default="the bundled list"
        ),
    ] = None,
    chart_format: Annotated[
        ChartFormat,
        typer.Option("--format", metavar="[png|svg]", help="File format of the charts (word clouds are always PNG)."),
    ] = ChartFormat.png,
    heatmap: Annotated[
        HeatmapScale | None,
        typer.Option(
            metavar="[shares|counts]",
            help="Shade the heatmap by each author's shares or by paper counts; the cells show counts either way.",
            show_default="shares when the authors' totals differ over 2x",
        ),
    ] = None,
    cloud_from: Annotated[
        CloudFrom,
        typer.Option(metavar="[titles|abstracts]", help="Draw word clouds from titles, or from abstracts where known."),
    ] = CloudFrom.titles,
    distinctive: Annotated[
        bool,
        typer.Option(
            "--distinctive", help="Word clouds of the words over-represented for each author compared with the others."
        ),
    ] = False,
    open_report: Annotated[
        bool, typer.Option("--open", help="Open reports/index.html in the default browser when done.")
    ] = False,
    tables_only: Annotated[
        bool,
        typer.Option(
            "--tables-only",
            help=(
                "Write only the CSV tables, summary.md and authorstats.db: no pictures, no HTML (fast for large "
                "rosters)."
            ),
        ),
    ] = False,
    author_charts: Annotated[
        AuthorCharts,
        typer.Option(
            "--author-charts",
            metavar="[all|top40|none]",
            help=(
                "Whose own charts and word clouds to draw: all, top40 (the 40 with the most papers) or none; the "
                "overview charts are always drawn."
            ),
        ),
    ] = AuthorCharts.all,
    redraw: Annotated[
        bool,
        typer.Option(
            "--redraw",
            help=(
                "Draw every picture again; by default a picture the last report drew from the same data, size and "
                "format (and library versions) is reused from its file."
            ),
        ),
    ] = False,
    venues: Annotated[
        Path | None,
        typer.Option(
            "--venues",
            metavar="FILE",
            help="Your own venue-alias TOML file (how venue strings are named).",
            show_default="the bundled aliases",
        ),
    ] = None,
    year_basis: Annotated[
        YearBasis,
        typer.Option(
            "--year-basis",
            help=(
                "The year a merged work counts in when its versions' years differ: its earliest public version's "
                "(first) or the kept, peer-reviewed version's (published)."
            ),
        ),
    ] = YearBasis.first,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by",
            metavar="NAME",
            help=(
                "Count each paper under its topic's category in one of the taxonomy's groupings (the bundled "
                "taxonomy has 'seminar', the seminar's 11 categories, and 'broad'; see its [groupings] tables)."
            ),
        ),
    ] = None,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot/--no-snapshot",
            help="Add the bundled snapshot's works to authors without data from Google Scholar, OpenAlex or dblp "
            "(imported lists add to them); --no-snapshot: only the workspace's records.",
        ),
    ] = True,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            metavar="FILE.csv",
            show_default="the seminar's tables with the bundled roster and 2021-2022, else none",
            help=(
                "Set each author's table beside a reference table (columns author, topic, count; a Total row "
                "allowed); 'none': no comparison."
            ),
        ),
    ] = None,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE.csv",
            show_default="the roster",
            help=(
                "Measure each author's specialisation against these topic counts (columns topic, count; another "
                "report's topic_counts.csv works as it stands)."
            ),
        ),
    ] = None,
) -> None:
    """Tag every publication in the window with a topic; write topic tables, charts, word clouds, index.html and
    summary.md.

    Uses the fetched data in WORKSPACE/data/raw, or the bundled snapshot for authors with none. With more than 40
    authors, index.html holds the overview and each author gets reports/authors/KEY.html.
    """
    from authorstats.shell import report as reporting
    from authorstats.shell import store, unchanged

    width, height = _parse_size(cloud_size)
    request = reporting.ReportRequest(
        years=years,
        authors=author or [],
        roster=roster,
        taxonomy=taxonomy,
        stopwords=stopwords,
        venues=venues,
        reference=reference,
        group_by=group_by,
        clouds=clouds and not tables_only,
        cloud_from=cloud_from.value,
        distinctive=distinctive,
        year_basis=year_basis.value,
        snapshot=snapshot,
        baseline=baseline,
    )
    save = reporting.SaveOptions(
        cloud_width=width,
        cloud_height=height,
        chart_dpi=dpi,
        chart_format=chart_format.value,
        tables_only=tables_only,
        author_charts=author_charts.value,
        heatmap=heatmap.value if heatmap else None,
        redraw=redraw,
    )
    ws = store.Workspace(workspace)
    key, last = unchanged.check(ws, request, save, reuse=not redraw)  # before the report reads any input
    if last is not None:  # nothing changed since the last report: it is left as it is
        print_unchanged(last, reporting.request_warnings(request), workspace)
        index = last.index
    else:
        result = reporting.run_report(ws, request, save, bar=progress_bar)
        printed = print_report(result, workspace)
        unchanged.remember(ws, key, result.manifest, printed.notes, printed.body)
        index = result.index
    if open_report and index is not None:
        import webbrowser

        if not webbrowser.open(index.resolve().as_uri()):
            typer.echo(f"Could not open a browser; open {index.resolve()} yourself.", err=True)


class DeckFormat(str, Enum):
    pptx = "pptx"
    pdf = "pdf"


@app.command(short_help="Write the seminar deck: editable tables, charts, notes (.pptx or PDF).")
@command
def slides(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the deck here.", show_default="reports/authorstats.pptx"
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            metavar="FILE.pptx",
            help="Use this deck's theme, masters and layouts (it needs 'Title Slide' and 'Title Only' layouts).",
        ),
    ] = None,
    deck_format: Annotated[
        DeckFormat,
        typer.Option("--format", metavar="[pptx|pdf]", help="pptx, or pdf (converted by LibreOffice, when installed)."),
    ] = DeckFormat.pptx,
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    author: AuthorOpt = None,
    taxonomy: TaxonomyOpt = None,
    roster: RosterOpt = None,
    group_by: Annotated[
        str | None,
        typer.Option(
            "--group-by", metavar="NAME", help="Count each paper under its topic's category in this grouping."
        ),
    ] = None,
    reference: Annotated[
        str | None,
        typer.Option(
            "--reference",
            metavar="FILE.csv",
            show_default="the seminar's tables with the bundled roster and 2021-2022, else none",
            help="A reference table to compare with (author, topic, count); 'none': no comparison slides.",
        ),
    ] = None,
) -> None:
    """Write the report as a slide deck that opens in PowerPoint, Keynote, LibreOffice Impress and Google Slides.

    A title slide; per author the topic table as an editable table with the topic chart, then topics by year and
    the word cloud; the overview; the comparison with the reference table; trends, co-authors, citations and
    venues when the data has them; and a methods slide. Each slide's speaker notes give the numbers' source and
    the papers behind each table row. With more than 40 authors, the 40 with the most papers get slides of their
    own. See docs/slides.md.
    """
    from authorstats.shell import report as reporting
    from authorstats.shell import slides as decks

    request = reporting.ReportRequest(
        years=years, authors=author or [], roster=roster, taxonomy=taxonomy, reference=reference, group_by=group_by
    )
    result = decks.write_slides(
        workspace, request, decks.SlideOptions(output, template, deck_format.value), bar=progress_bar
    )
    note = (
        f"; {result.authors - result.authors_with_slides} of {result.authors} authors have no slides of their own"
        if result.authors_with_slides < result.authors
        else ""
    )
    typer.echo(f"Wrote {result.slides} slides -> {result.path}{note}.")


class ExportFormat(str, Enum):
    bibtex = "bibtex"
    ris = "ris"
    csljson = "csljson"
    csv = "csv"
    gexf = "gexf"
    graphml = "graphml"
    pajek = "pajek"


@app.command(short_help="Write the window's works (BibTeX, RIS, CSL JSON, CSV) or co-author network (GEXF, ...).")
@command
def export(
    export_format: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="[bibtex|ris|csljson|csv|gexf|graphml|pajek]",
            help=(
                "bibtex (LaTeX, Zotero), ris (reference managers), csljson (Zotero, citeproc, pandoc) or csv; or the "
                "co-author network: gexf (Gephi), graphml (Gephi, Cytoscape) or pajek (VOSviewer, Pajek)."
            ),
        ),
    ] = ExportFormat.bibtex,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the file here.", show_default="standard output"),
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    author: AuthorOpt = None,
    taxonomy: TaxonomyOpt = None,
    roster: RosterOpt = None,
    venues: Annotated[
        Path | None,
        typer.Option(
            "--venues", metavar="FILE", help="Your own venue-alias TOML file.", show_default="the bundled aliases"
        ),
    ] = None,
    snapshot: Annotated[
        bool,
        typer.Option(
            "--snapshot/--no-snapshot",
            help="Add the bundled snapshot's works to authors without data from a service, as report does.",
        ),
    ] = True,
) -> None:
    """Write the window's works as a bibliography: one entry per work, its topic as a keyword, with its DOI, link and
    arXiv id when known.

    Reads what `report` reads (fetched data, else the bundled snapshot) and tags each work the same way. A work of
    several roster authors is one entry. gexf, graphml and pajek write the co-author network instead: every row of
    reports/collaborators.csv as an edge, with its topics.
    """
    from authorstats.shell import exporting
    from authorstats.shell.report import ReportRequest

    request = ReportRequest(
        years=years, authors=author or [], roster=roster, taxonomy=taxonomy, venues=venues, snapshot=snapshot
    )
    if export_format.value in ("gexf", "graphml", "pajek"):
        from authorstats.render.network_files import encode

        graph = exporting.window_network(workspace, request)
        text = encode(graph, export_format.value)
        what = f"a network of {graph.number_of_nodes()} people and {graph.number_of_edges()} links"
        shared = ""
    else:
        from authorstats.render.export import shared_note

        items = exporting.window_works(workspace, request)
        text = exporting.export_text(items, export_format.value)
        what = f"{len(items)} works"
        shared = shared_note(items)
    if output is None:
        typer.echo(text, nl=False)
    else:
        exporting.write_export(text, output)
        typer.echo(f"Wrote {what} as {export_format.value} -> {output}{shared}", err=True)


@app.command()
@command
def serve(
    workspace: WorkspaceOpt = Path("."),
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help=(
                "Interface to listen on. Anything but 127.0.0.1 or localhost lets other machines read the data (a "
                "warning says so)."
            ),
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on; 0 picks a free one.")] = 0,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the works table in the default browser.")
    ] = True,
) -> None:
    """Browse the last report's data in Datasette: facets, full-text search, SQL, JSON and CSV of every view.

    Serves WORKSPACE/data/processed/authorstats.db (written by `authorstats report`) until Ctrl-C. Needs the serve
    extra: pip install 'authorstats[serve]'. See docs/database.md.
    """
    from authorstats.shell import serve as serving
    from authorstats.shell import store

    serving.serve(store.Workspace(workspace), serving.ServeOptions(host, port, open_browser), typer.echo)
