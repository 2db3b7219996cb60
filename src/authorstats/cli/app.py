"""The application object, the options several commands share, and the entry point."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from authorstats.shell.console import set_debug
from authorstats.shell.help import App
from authorstats.version import __version__

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
    Path,
    typer.Option(
        "--workspace", "-w", metavar="FOLDER", help="Folder holding data/ and reports/.", show_default="current folder"
    ),
]
YearsOpt = Annotated[str, typer.Option("--years", "-y", metavar="YEARS", help="Year window, START-END or one year.")]
AuthorOpt = Annotated[
    list[str] | None,
    typer.Option("--author", "-a", metavar="KEY", help="Roster key of an author; repeat for several. Default: all."),
]
RosterOpt = Annotated[
    Path | None,
    typer.Option("--roster", metavar="FILE", help="Your own roster TOML file.", show_default="the bundled roster"),
]
TaxonomyOpt = Annotated[
    Path | None,
    typer.Option(
        "--taxonomy", metavar="FILE", help="Your own taxonomy TOML file.", show_default="the bundled taxonomy"
    ),
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
