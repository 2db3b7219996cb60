"""TOML text to a dict, with every syntax error turned into one BadInputError naming where the text came from."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from authorstats.errors import BadInputError


def parse_toml(text: str, origin: str | Path, what: str) -> dict[str, Any]:
    """Parse ``text``; ``origin`` (a path or a name) and ``what`` ("roster", "taxonomy") name it in errors.

    A leading byte-order mark (Windows editors save UTF-8 with one) is dropped, as the CSV readers do.
    """
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"{what} file {origin} is not valid TOML: {exc}", "Fix the syntax at that line") from None
