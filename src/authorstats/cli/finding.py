"""The command that finds people: who works on a topic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authorstats.cli.app import RosterOpt, TaxonomyOpt, WorkspaceOpt, YearsOpt, app
from authorstats.shell.console import command


@app.command(short_help="Rank the roster's authors by their recent works on a topic (who works on X?).")
@command
def who(
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help="A topic name, keywords, or an abstract in quotes.")
    ] = None,
    query_file: Annotated[
        Path | None, typer.Option("--from", metavar="FILE", help="Read the query from a text file (an abstract).")
    ] = None,
    coauthors_of: Annotated[
        str | None,
        typer.Option(
            "--exclude-coauthors-of",
            metavar="KEY",
            help="Flag this roster author and everyone who published with them in the window (conflicts of "
            "interest); --drop-coauthors leaves them out.",
        ),
    ] = None,
    drop_coauthors: Annotated[
        bool,
        typer.Option("--drop-coauthors", help="Leave the authors --exclude-coauthors-of flags out of the ranking."),
    ] = False,
    half_life: Annotated[
        float,
        typer.Option(
            "--half-life", metavar="YEARS", help="A work this many years before the window's end counts half."
        ),
    ] = 2.0,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Show this many authors at most.")] = 10,
    works: Annotated[int, typer.Option("--works", min=0, help="Show this many deciding works per author.")] = 3,
    workspace: WorkspaceOpt = Path("."),
    years: YearsOpt = "2021-2022",
    taxonomy: TaxonomyOpt = None,
    roster: RosterOpt = None,
    stopwords: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE", help="Your own list of words a query leaves out.", show_default="the bundled list"
        ),
    ] = None,
) -> None:
    """Rank the roster's authors by their recent works on TEXT (or --from FILE), showing the works and the words
    that decided each rank.

    Reads what `report` reads (fetched data, else the bundled snapshot) and tags each work the same way. A work
    counts when the taxonomy's classifier gives it the query's topic or it holds most of the query's words; rare
    words count more, recent works more. See docs/analyses.md.
    """
    from authorstats.render.expertise_text import ranking_lines
    from authorstats.shell import expertise
    from authorstats.shell.report import ReportRequest

    query = expertise.query_text(text, query_file)
    if drop_coauthors and coauthors_of is None:
        from authorstats.errors import BadInputError

        raise BadInputError("--drop-coauthors needs --exclude-coauthors-of KEY", "Name whose co-authors to leave out")
    request = ReportRequest(years=years, roster=roster, taxonomy=taxonomy)
    options = expertise.WhoOptions(half_life, coauthors_of, drop_coauthors, stopwords)
    ranking = expertise.who(workspace, request, query, options)
    for line in ranking_lines(ranking, years, limit=limit, works=works):
        typer.echo(line)
