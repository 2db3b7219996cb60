"""The commands that gather publications: fetch, import, authors resolve."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authorstats.cli.app import AuthorOpt, RosterOpt, WorkspaceOpt, YearsOpt, app
from authorstats.shell.console import command, progress_bar, say
from authorstats.shell.help import App


@app.command(short_help="Fetch publications from Scholar, OpenAlex or dblp.")
@command
def fetch(
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    author: AuthorOpt = None,
    roster: RosterOpt = None,
    source: Annotated[
        str,
        typer.Option(
            "--source",
            "-s",
            metavar="SOURCE",
            help=(
                "Where to fetch from: auto (Google Scholar, then OpenAlex if OPENALEX_API_KEY is set, then dblp, for "
                "authors with those ids), scholar, openalex or dblp."
            ),
        ),
    ] = "auto",
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Fetch again even when cached data is young enough.")
    ] = False,
    max_age: Annotated[
        float, typer.Option("--max-age", metavar="DAYS", help="Reuse fetched data younger than this many days.")
    ] = 7,
    details: Annotated[
        bool,
        typer.Option(
            "--details", help="Also read each publication's page (authors, venue, abstract): one request each."
        ),
    ] = False,
    proxy: Annotated[
        str | None,
        typer.Option("--proxy", metavar="URL", help="Send requests through this proxy, e.g. http://HOST:PORT."),
    ] = None,
    deadline: Annotated[
        float,
        typer.Option(
            "--deadline",
            metavar="SECONDS",
            help="Give up after this many seconds; what was fetched is kept and resumed.",
        ),
    ] = 30,
) -> None:
    """Fetch the authors' publications in the year window into WORKSPACE/data/raw/<source>/.

    Data younger than --max-age is reused without a request; an interrupted run resumes where it stopped.

    When Google Scholar refuses, the run ends at once with the cause and the ways out. A ScraperAPI key in
    SCRAPERAPI_KEY is used as proxy. See docs/fetch.md.
    """
    import os

    from authorstats.config import roster as rosters
    from authorstats.models import YearWindow
    from authorstats.shell import config_files, store
    from authorstats.shell import fetch as fetching
    from authorstats.shell.fetch_state import FetchOptions

    options = FetchOptions(
        source=source,
        refresh=refresh,
        max_age_days=max_age,
        details=details,
        proxy=proxy,
        scraperapi_key=os.environ.get("SCRAPERAPI_KEY") or None,
        deadline=deadline,
    )
    fetching.check_limits(options)  # before any source (auto's too) is opened
    window = YearWindow.parse(years)
    authors = rosters.select(config_files.load_roster(roster), author or [])
    if source == "auto":  # Scholar, then OpenAlex, then dblp for the authors Scholar did not serve
        from authorstats.shell import fallback

        report = fallback.run_auto(
            store.Workspace(workspace), authors, window, options, echo=say, progress=progress_bar
        )
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
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help=(
                "The exported list: a Publish or Perish or Zotero CSV, a BibTeX (.bib) or RIS (.ris) file, or a CSV "
                "with columns author, title, year (see docs/import.md)."
            ),
        ),
    ],
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            "-a",
            metavar="KEY",
            help=(
                "Roster key of the researcher whose list this is: every row goes to them. Without it, each row goes "
                "to the roster authors among the paper's authors (or in an author column)."
            ),
        ),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="The file's format, when detection guesses wrong: csv, pop, zotero, bibtex or ris.",
            show_default="detected from the file",
        ),
    ] = None,
    source: Annotated[
        str, typer.Option("--source", "-s", metavar="NAME", help="Name of this list; it goes to data/raw/NAME/.")
    ] = "import",
    name: Annotated[
        str | None,
        typer.Option(
            "--name",
            metavar="NAME",
            help=(
                "Identifies this list: importing again under the same name replaces what it gave, wherever the file "
                "is. Default: the file's full path."
            ),
        ),
    ] = None,
    workspace: WorkspaceOpt = Path("."),
    roster: RosterOpt = None,
) -> None:
    """Import publications exported from Publish or Perish, Zotero, a reference manager (BibTeX, RIS) or written by
    hand into data/raw/SOURCE/.

    The format is detected from the file. With --author every row is that researcher's (a row whose author list does
    not name them is imported with a warning); without it, each row goes to every roster author its paper's authors
    name ("Y LeCun", "LeCun, Yann", ...). Bad rows are reported with their line numbers and skipped; good rows are
    kept. Importing the same file (same path, or same --name) again replaces what it gave before; other files' records
    are kept, even under the same file name.
    """
    from authorstats.config import roster as rosters
    from authorstats.errors import BadInputError
    from authorstats.shell import config_files, importer, lock, store
    from authorstats.sources.import_formats import UTF8, encoding_name

    authors = config_files.load_roster(roster)
    owner = rosters.select(authors, [author])[0] if author is not None else None
    ws = store.Workspace(workspace)
    with lock.workspace_lock(ws, "import"):
        result = importer.import_file(file, ws, authors, source, name, fmt=file_format, author=owner)
    if result.encoding != UTF8:
        typer.echo(
            f"warning: {file.name} is not UTF-8 text: read as {encoding_name(result.encoding)}, the encoding it looks "
            "most like; if accented names look wrong, save it as UTF-8 and import it again",
            err=True,
        )
    for bad in result.bad_rows:
        typer.echo(f"skipped {file.name} {bad}", err=True)
    for warning in result.warnings:
        typer.echo(f"warning: {file.name} {warning}", err=True)
    if not result.added:
        raise BadInputError(
            f"no usable rows in {file} ({len(result.bad_rows)} skipped)", "Fix the rows listed above and import again"
        )
    for key, count in result.added.items():
        earlier = f", kept {result.kept[key]} earlier" if result.kept[key] else ""
        typer.echo(
            f"{key}: {count} publications from {file.name} ({result.format}){earlier} -> "
            f"{ws.raw_file(result.source, key)}"
        )
    if result.replaced:
        typer.echo(f"Replaced {result.replaced} records of an earlier import of {name or file.name}.")
    if result.bad_rows:
        typer.echo(f"Skipped {len(result.bad_rows)} bad row(s); see the lines above.", err=True)


authors_app = App(
    help="Look up the authors of your roster in other sources.", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(authors_app, name="authors")


@authors_app.command("resolve", short_help="Find an author's OpenAlex or dblp id; write it to the roster.")
@command
def authors_resolve(
    key: Annotated[str, typer.Argument(metavar="KEY", help="Roster key of the author, e.g. lecun.")],
    source: Annotated[
        str, typer.Option("--source", "-s", metavar="SOURCE", help="Where to look the author up: openalex or dblp.")
    ],
    roster: Annotated[
        Path | None,
        typer.Option(
            "--roster",
            metavar="FILE",
            help="Your roster TOML file; the id is written into it.",
            show_default="WORKSPACE/authors.toml, copied from the bundled roster",
        ),
    ] = None,
    choose: Annotated[
        int | None, typer.Option("--choose", min=1, metavar="N", help="Take candidate N of the list shown.")
    ] = None,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Find an author's OpenAlex or dblp id by name (OpenAlex: by ORCID first) and write it into your roster.

    Shows the candidates (name, affiliation, works count). An ambiguous name is never picked: rerun with --choose N.
    Without --roster the bundled roster is first copied to WORKSPACE/authors.toml.
    """
    from authorstats.errors import BadInputError
    from authorstats.shell import resolve as resolving
    from authorstats.shell import store
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
        raise BadInputError(
            f"{len(result.candidates)} candidate(s) for {result.author.name!r} and none is certain; "
            "nothing was written",
            f"Pick one from the list: {again}",
        )
    path = result.target.path
    if result.target.copy_from is not None:
        typer.echo(f"Copied the bundled roster to {path}.")
    typer.echo(f'Wrote {resolving.FIELD[source]} = "{result.chosen.id}" for {key} into {path} ({result.why}).')
    if roster is None:
        typer.echo(f"Pass --roster {path} to later commands (fetch, report) to use it.")
