"""The command line's help pages: click's plain layout, arguments named as in the usage line (FILE, not {file} or
<path>)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer.core import TyperCommand

if TYPE_CHECKING:
    # Typer carries its own copy of click (typer._click), and TyperCommand's methods take its Context and
    # HelpFormatter, not the separate click package's.
    from typer import _click

_F = TypeVar("_F", bound=Callable[..., Any])


class HelpCommand(TyperCommand):
    """A Typer command whose --help reads well at 80 columns: a required argument is FILE in the usage line
    (Typer writes {FILE}), and the Arguments section names it without a <type>."""

    def collect_usage_pieces(self, ctx: _click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [p[1:-1] if p.startswith("{") and p.endswith("}") else p for p in pieces]

    def format_options(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((param.metavar or (param.name or "").upper(), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class App(typer.Typer):
    """typer.Typer whose commands are HelpCommands unless they name another class."""

    def command(self, *args: Any, cls: type[TyperCommand] | None = HelpCommand, **kwargs: Any) -> Callable[[_F], _F]:
        return super().command(*args, cls=cls, **kwargs)
