"""The terminal: the one error policy (one line, a documented exit code), warnings, progress bars, report tables."""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer

from authorstats.errors import AuthorstatsError, ExitCode
from authorstats.shell import processes

if TYPE_CHECKING:
    from authorstats.analysis.reference import Comparison
    from authorstats.shell.report import ReportResult
    from authorstats.shell.unchanged import Replay

log = logging.getLogger("authorstats")
_P = ParamSpec("_P")
_R = TypeVar("_R")
_STATE: dict[str, Any] = {"debug": False, "secrets": ()}


def say(line: str) -> None:
    """One line on stderr, with every secret the run knows masked."""
    from authorstats.sources.masking import mask

    typer.echo(mask(line, _STATE["secrets"]), err=True)


class _EchoHandler(logging.Handler):
    """Print warnings on stderr as one line each, resolved at emit time (works under CliRunner)."""

    def emit(self, record: logging.LogRecord) -> None:
        say(f"{record.levelname.lower()}: {record.getMessage()}")


def command(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run a command under the one error policy: one line on stderr, a documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        from authorstats.sources.masking import known_secrets

        proxy = kwargs.get("proxy")  # the --proxy option's URL, for commands that have one
        _STATE["secrets"] = known_secrets(urls=[proxy if isinstance(proxy, str) else None])
        _setup_logging()
        previous = processes.trap_sigterm()  # SIGTERM ends the run as Ctrl-C does
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except AuthorstatsError as exc:
            _debug_traceback()
            say(f"Error: {exc}")
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            say(
                "Interrupted: files written before the interruption are complete and nothing was half-written; "
                "run the command again to finish (fetch resumes where it stopped)."
            )
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:  # a bug: explain once, keep the traceback behind --debug
            _debug_traceback()
            say(f"Internal error: {type(exc).__name__}: {exc}. Rerun with --debug for the traceback and report it.")
            raise typer.Exit(int(ExitCode.INTERNAL)) from None
        finally:
            processes.restore_sigterm(previous)

    return wrapper


def _debug_traceback() -> None:
    """With --debug: the traceback of the exception being handled, secrets masked."""
    if _STATE["debug"]:
        import traceback

        say(traceback.format_exc().rstrip())


def _setup_logging() -> None:
    if not any(isinstance(h, _EchoHandler) for h in log.handlers):
        log.addHandler(_EchoHandler(level=logging.WARNING))
        log.setLevel(logging.INFO)
        log.propagate = False


def set_debug(debug: bool) -> None:
    """--debug: tracebacks instead of one-line errors, and debug logging."""
    _STATE["debug"] = debug
    if debug:
        log.setLevel(logging.DEBUG)


@contextlib.contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr for fetch's details; yields the function that advances it."""
    with typer.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


@dataclass
class ReportText:
    """What `report` prints: notes and warnings on stderr, each author's table and the comparison on stdout, then
    where the files are (a line and whether it goes to stderr)."""

    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    closing: list[tuple[str, bool]] = field(default_factory=list)

    def show(self) -> None:
        for line in self.notes:
            typer.echo(line, err=True)
        for warning in self.warnings:
            typer.echo(f"Warning: {warning}", err=True)
        for line in self.body:
            typer.echo(line)
        for line, err in self.closing:
            typer.echo(line, err=err)


def print_report(result: ReportResult, workspace: Path) -> ReportText:
    """Print the report's tables on stdout, and where its files are; returns what it printed."""
    text = report_text(result, workspace)
    text.show()
    return text


def report_text(result: ReportResult, workspace: Path) -> ReportText:
    """The report's tables, and where its files are, as `report` prints them."""
    from authorstats.source_names import SNAPSHOT, SNAPSHOT_DESCRIPTION

    text = ReportText(warnings=list(result.warnings))
    if result.used_snapshot:
        keys = [i.author.key for i in result.authors if i.provenance.sources == (SNAPSHOT,)]
        text.notes.append(
            f"Note: no fetched data for {', '.join(keys)} in {(workspace / 'data' / 'raw').resolve()}; "
            f"used {SNAPSHOT_DESCRIPTION}."
        )
    for item in result.authors:
        extra = [s for s in item.provenance.sources if s != SNAPSHOT]
        if SNAPSHOT in item.provenance.sources and extra:
            text.notes.append(
                f"Note: {item.author.key}: records from {' + '.join(extra)} were added to the bundled snapshot's and "
                "merged with them (report --no-snapshot leaves the snapshot out)."
            )
    for item in result.authors:
        prov = item.provenance
        text.body.append(
            f"\n{item.author.name} ({item.author.key}), {result.window}: "
            f"{prov.records_in_window} papers from {prov.label}"
            + (f" ({item.source_note})" if item.source_note else "")
        )
        width = max(len(str(t)) for t in item.table["Topic"])
        text.body += [f"  {topic:<{width}}  {count:>4}" for topic, count in item.table.itertuples(index=False)]
    if result.comparison is not None:
        text.body += comparison_lines(result.comparison)
    reports_dir, processed = (workspace / "reports").resolve(), (workspace / "data" / "processed").resolve()
    closing = text.closing
    closing.append((f"\nWrote {len(result.files)} files under {reports_dir} and {processed}.", False))
    if result.pictures_reused:
        closing.append(
            (
                f"Pictures: drew {len(result.pictures_drawn)}, reused {len(result.pictures_reused)} unchanged since "
                "the last report (--redraw draws them all).",
                False,
            )
        )
    elif result.pictures_drawn:
        closing.append((f"Pictures: drew {len(result.pictures_drawn)}.", False))
    if result.removed:
        closing.append(
            (
                f"Removed {len(result.removed)} file(s) an earlier report wrote and this one does not: "
                f"{', '.join(p.name for p in result.removed)}.",
                False,
            )
        )
    if result.kept:
        closing.append(
            (
                f"Kept {len(result.kept)} file(s) an earlier report wrote, as they were changed since or could "
                f"not be removed: {', '.join(p.name for p in result.kept)}.",
                True,
            )
        )
    if result.index is not None:
        assert result.summary is not None  # report() writes summary.md before index.html
        closing.append((opened_line(result.index, result.summary), False))
    return text


def print_unchanged(last: Replay, warnings: list[str], workspace: Path) -> None:
    """What the last report printed, and that nothing has changed since, so nothing was written."""
    ReportText(notes=last.notes, warnings=warnings, body=last.body).show()
    typer.echo(
        f"\nNothing has changed since the last report ({_when(last.written_at)}): the same records, labels, options "
        f"and software, and its {last.files} files under {(workspace / 'reports').resolve()} and "
        f"{(workspace / 'data' / 'processed').resolve()} hold what it wrote, so none was written again "
        "(--redraw makes them all afresh)."
    )
    if last.index is not None and last.summary is not None:
        typer.echo(opened_line(last.index, last.summary))


def _when(moment: str) -> str:
    """An ISO 8601 UTC time as "2026-12-06 19:09 UTC"."""
    return f"{moment[:10]} {moment[11:16]} UTC" if len(moment) >= 16 else moment


def opened_line(index: Path, summary: Path) -> str:
    """Where the report's page is, the last line `report` prints."""
    return f"Report: {index.resolve()} (tables as Markdown: {summary.name})."


def comparison_lines(comparison: Comparison) -> list[str]:
    """Each author's table beside the reference's, the agreement, and why they differ (coverage, classification)."""
    from authorstats.render.comparison import short_name

    label = short_name(comparison)
    lines: list[str] = []
    lines.append(f"\nCompared with {comparison.name} ({comparison.origin}):")
    for item in comparison.authors:
        if item.reference_total is None:
            lines.append(f"\n{item.name}: no table in the reference.")
            continue
        agreement = item.agreement_text
        if item.agreement_taxonomy is not None:
            agreement += f" in the {comparison.grouping} categories, {item.agreement_taxonomy:.0%} in the full taxonomy"
        lines.append(
            f"\n{item.name}: Total {item.reference_total} ({label}) against {item.ours_total} "
            f"(authorstats); agreement of the topic shares {agreement}"
        )
        rows = [
            (t.topic + ("" if t.in_taxonomy else " (not in taxonomy)"), t.reference, t.ours, t.difference)
            for t in item.topics
        ]
        if rows:
            width = max(len(r[0]) for r in rows)
            lines.append(f"  {'Topic':<{width}}  {label:>8}  {'ours':>5}  {'diff':>5}")
            for topic, theirs, ours, difference in rows:
                lines.append(f"  {topic:<{width}}  {theirs:>8}  {ours:>5}  {difference:>+5}")
        lines.append(f"  {item.explanation('the ' + label if label == 'seminar' else 'the reference')}")
    if comparison.unmatched:
        lines.append(f"\nIn the reference but not in this report: {', '.join(comparison.unmatched)}.")
    return lines
