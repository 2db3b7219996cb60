"""The authors to study: a TOML roster's text parsed and validated into Author objects."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from authorstats.config.toml_text import parse_toml
from authorstats.errors import BadInputError
from authorstats.models import Author

KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
KEY_MAX = 64  # a key names files (data/raw/<source>/<key>.jsonl, reports/<key>_*.png): well under any file-name limit
SCHOLAR_ID = re.compile(r"^[A-Za-z0-9_-]{12}$")
ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
OPENALEX_ID = re.compile(r"^A\d+$")
FIELDS = {"key", "name", "scholar", "openalex", "dblp", "orcid", "names"}


def parse_roster(text: str, origin: str | Path = "<text>") -> list[Author]:
    """Parse and validate a roster's TOML text; errors name ``origin`` (its file) and the entry."""
    data = parse_toml(text, origin, "roster")
    entries = data.get("author", [])
    if not isinstance(entries, list) or not entries:
        raise BadInputError(
            f"roster {origin} lists no authors",
            'Add one [[author]] table per researcher with key = "...", name = "..." and scholar = "..."',
        )
    authors: list[Author] = []
    seen: dict[str, str] = {}  # casefolded key -> the key as written
    for number, entry in enumerate(entries, start=1):
        where = f"roster {origin}, author #{number}"
        if not isinstance(entry, dict):
            raise BadInputError(f"{where} is not a table", "Write each author as an [[author]] table")
        unknown = set(entry) - FIELDS
        if unknown:
            raise BadInputError(
                f"{where} has unknown field(s) {', '.join(sorted(unknown))}",
                f"Use only {', '.join(sorted(FIELDS))}",
            )
        names = entry.get("names", [])
        if not isinstance(names, list) or not all(isinstance(n, str) and n.strip() for n in names):
            raise BadInputError(
                f"{where}: names must be a list of names", 'Write it as names = ["Y. LeCun", "Yann Le Cun"]'
            )
        values = {k: entry.get(k, "") for k in FIELDS - {"names"}}
        for name, value in values.items():
            if not isinstance(value, str):
                raise BadInputError(f"{where}: {name} must be a string", f'Quote it: {name} = "{value}"')
        key = values["key"].strip()
        where = f"roster {origin}, author {key!r}" if key else where
        if len(key) > KEY_MAX:
            raise BadInputError(
                f"roster {origin}, author #{number}: the key is {len(key)} characters long",
                f'Use at most {KEY_MAX}, e.g. key = "lastname"',
            )
        if not KEY.match(key):
            raise BadInputError(f"{where}: key must be letters, digits, _ or -", 'Set key = "lastname" or similar')
        # Keys name files, and Windows and macOS file names ignore case: Smith and smith would share them.
        first = seen.get(key.casefold())
        if first == key:
            raise BadInputError(f"roster {origin} lists the key {key!r} twice", "Give every author a different key")
        if first is not None:
            raise BadInputError(
                f"roster {origin} lists the keys {first!r} and {key!r}, which differ only in case",
                "Give every author a different key: keys ignore case",
            )
        seen[key.casefold()] = key
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
            Author(
                key=key,
                name=values["name"].strip(),
                scholar_id=scholar,
                openalex=openalex,
                dblp=values["dblp"].strip(),
                orcid=orcid,
                names=tuple(" ".join(n.split()) for n in names),
            )
        )
    return authors


def select(authors: Sequence[Author], keys: Sequence[str]) -> list[Author]:
    """The authors named by ``keys`` (all when empty), each once, in the order first named; keys ignore case.

    An unknown key is a BadInputError.
    """
    if not keys:
        return list(authors)
    by_key = {a.key.casefold(): a for a in authors}
    chosen: dict[str, Author] = {}
    for key in keys:
        author = by_key.get(key.casefold())
        if author is None:
            raise BadInputError(
                f"unknown author {key!r}",
                f"Use one of {', '.join(sorted(a.key for a in authors))}, or add it to your roster (--roster FILE)",
            )
        chosen.setdefault(author.key, author)
    return list(chosen.values())
