"""The thin command layer: parse options, call one function, turn errors into exit codes."""

from __future__ import annotations

import functools
import logging
import signal
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from authorstats import __version__
from authorstats.errors import AuthorstatsError, ExitCode

log = logging.getLogger("authorstats")
_state = {"debug": False}


class _EchoHandler(logging.Handler):
    """Print warnings on stderr as one line each, resolved at emit time (works under CliRunner)."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"{record.levelname.lower()}: {record.getMessage()}", err=True)


def command(func: Callable) -> Callable:
    """Run a command under the one error policy: one line on stderr, a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        _setup_logging()
        previous = _trap_sigterm()
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except AuthorstatsError as exc:
            if _state["debug"]:
                raise
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("Interrupted: files written before the interruption are complete; nothing was half-written.", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:  # a bug: explain once, keep the traceback behind --debug
            if _state["debug"]:
                raise
            typer.echo(
                f"Internal error: {type(exc).__name__}: {exc}. Rerun with --debug for the traceback and report it.",
                err=True,
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        finally:
            _restore_sigterm(previous)

    return wrapper


def _setup_logging() -> None:
    if not any(isinstance(h, _EchoHandler) for h in log.handlers):
        log.addHandler(_EchoHandler(level=logging.WARNING))
        log.setLevel(logging.INFO)
        log.propagate = False


def _raise_interrupt(signum, frame):  # pragma: no cover - exercised through a subprocess test
    raise KeyboardInterrupt


def _trap_sigterm():
    try:
        return signal.signal(signal.SIGTERM, _raise_interrupt)
    except ValueError:  # not the main thread
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None:
        try:
            signal.signal(signal.SIGTERM, previous)
        except ValueError:
            pass


app = typer.Typer(
    help="What do these researchers publish about, in these years? "
    "Fetch publications, tag each with a topic, and write tables, charts and word clouds.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Options shared by several commands.
WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-w", help="Folder holding data/ and reports/.", show_default="current folder")
]
YearsOpt = Annotated[str, typer.Option("--years", "-y", help="Year window, START-END or one year.")]
AuthorOpt = Annotated[
    Optional[list[str]], typer.Option("--author", "-a", help="Roster key of an author; repeat for several. Default: all.")
]
RosterOpt = Annotated[
    Optional[Path], typer.Option("--roster", help="Your own roster TOML file.", show_default="the bundled roster")
]
TaxonomyOpt = Annotated[
    Optional[Path], typer.Option("--taxonomy", help="Your own taxonomy TOML file.", show_default="the bundled taxonomy")
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
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    _state["debug"] = debug
    if debug:
        logging.getLogger("authorstats").setLevel(logging.DEBUG)


def main() -> None:
    """Console-script entry point."""
    app()
