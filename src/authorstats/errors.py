"""The one error root of authorstats, its kinds, and the exit codes they map to."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Exit codes of the ``authorstats`` command (documented in docs/errors.md)."""

    OK = 0
    INTERNAL = 1  # a bug: please report it with --debug output
    BAD_INPUT = 2  # wrong option, file, year window, roster or taxonomy
    SOURCE_UNAVAILABLE = 3  # a source refused or could not be reached
    PARTIAL = 4  # some authors done, some failed
    OUTPUT = 5  # an output file could not be written
    BUSY = 6  # another authorstats run holds the workspace lock
    INTERRUPTED = 130  # Ctrl-C or SIGTERM


class AuthorstatsError(Exception):
    """Root of every error authorstats explains to its user.

    ``message`` names the problem; ``hint`` says how to fix it. The command layer
    prints both on one line and exits with ``exit_code``.
    """

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return " ".join(_sentence(part) for part in (self.message, self.hint) if part)


def _sentence(text: str) -> str:
    """End ``text`` with exactly one full stop, unless it already ends with ? or !."""
    text = text.rstrip().rstrip(".")
    return text if text.endswith(("?", "!")) else f"{text}."


class BadInputError(AuthorstatsError):
    """The user gave an option, file or value authorstats cannot use."""

    exit_code = ExitCode.BAD_INPUT


class SourceUnavailableError(AuthorstatsError):
    """A publication source refused the request or could not be reached."""

    exit_code = ExitCode.SOURCE_UNAVAILABLE


class OutputError(AuthorstatsError):
    """A result could not be written where it belongs."""

    exit_code = ExitCode.OUTPUT


class WorkspaceBusyError(AuthorstatsError):
    """Another authorstats process is writing to the same workspace."""

    exit_code = ExitCode.BUSY
