"""The authors to study, loaded and validated from a TOML roster (the package's own by default)."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Sequence

from authorstats.shell import store
from authorstats.errors import BadInputError
from authorstats.models import Author

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
SCHOLAR_ID = re.compile(r"^[A-Za-z0-9_-]{12}$")
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
OPENALEX_ID = re.compile(r"^A\d+$")
FIELDS = {"key", "name", "scholar", "openalex", "dblp", "orcid"}


def default_roster_path() -> Path:
    return Path(str(resources.files("authorstats") / "data" / "authors.toml"))


def read_toml(path: Path, what: str) -> dict:
    """Parse a TOML file, turning every way it can fail into one BadInputError naming the file."""
    path = Path(path)
    text = store.read_input_text(path, f"{what} file")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInputError(f"{what} file {path} is not valid TOML: {exc}", "Fix the syntax at that line") from None


def load_roster(path: Path | None = None) -> list[Author]:
    """Load and validate a roster; errors name the file and the entry."""
    path = Path(path) if path else default_roster_path()
    data = read_toml(path, "roster")
    entries = data.get("author", [])
    if not isinstance(entries, list) or not entries:
        raise BadInputError(
            f"roster {path} lists no authors",
            'Add one [[author]] table per researcher with key = "...", name = "..." and scholar = "..."',
        )
    authors: list[Author] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"roster {path}, author #{number}"
        if not isinstance(entry, dict):
            raise BadInputError(f"{where} is not a table", "Write each author as an [[author]] table")
        unknown = set(entry) - FIELDS
        if unknown:
            raise BadInputError(
                f"{where} has unknown field(s) {', '.join(sorted(unknown))}",
                f"Use only {', '.join(sorted(FIELDS))}",
            )
        values = {k: entry.get(k, "") for k in FIELDS}
        for name, value in values.items():
            if not isinstance(value, str):
                raise BadInputError(f"{where}: {name} must be a string", f'Quote it: {name} = "{value}"')
        key = values["key"].strip()
        where = f"roster {path}, author {key!r}" if key else where
        if not KEY.match(key):
            raise BadInputError(f"{where}: key must be letters, digits, _ or -", 'Set key = "lastname" or similar')
        if key in seen:
            raise BadInputError(f"roster {path} lists the key {key!r} twice", "Give every author a different key")
        seen.add(key)
        if not values["name"].strip():
            raise BadInputError(f"{where} has no name", 'Add name = "Full Name"')
        scholar = values["scholar"].strip()
        if scholar and not SCHOLAR_ID.match(scholar):
            raise BadInputError(
                f"{where}: {scholar!r} is not a Google Scholar id",
                "Copy the 12-character user= value from the profile URL, e.g. kukA0LcAAAAJ",
            )
        orcid = values["orcid"].strip()
        if orcid and not ORCID.match(orcid):
            raise BadInputError(f"{where}: {orcid!r} is not an ORCID", "Write it as 0000-0002-1825-0097")
        openalex = values["openalex"].strip().rsplit("/", 1)[-1]
        if openalex and not OPENALEX_ID.match(openalex):
            raise BadInputError(f"{where}: {openalex!r} is not an OpenAlex author id", "It looks like A5012345678")
        authors.append(
            Author(key=key, name=values["name"].strip(), scholar_id=scholar, openalex=openalex,
                   dblp=values["dblp"].strip(), orcid=orcid)
        )
    return authors


def select(authors: Sequence[Author], keys: Sequence[str]) -> list[Author]:
    """The authors named by ``keys`` (all when empty); an unknown key is a BadInputError."""
    if not keys:
        return list(authors)
    by_key = {a.key: a for a in authors}
    chosen = []
    for key in keys:
        if key not in by_key:
            raise BadInputError(
                f"unknown author {key!r}",
                f"Use one of {', '.join(sorted(by_key))}, or add it to your roster (--roster FILE)",
            )
        chosen.append(by_key[key])
    return chosen
