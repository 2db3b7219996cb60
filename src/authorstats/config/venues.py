"""Venue aliases: a TOML file's text (data/venues.toml or the user's own) parsed and validated into VenueAliases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from authorstats.config.toml_text import parse_toml
from authorstats.errors import BadInputError
from authorstats.text import fold

FIELDS = {"name", "aliases", "kind"}
KINDS = ("conference", "journal", "preprint")  # what the exports call a paper of the venue


@dataclass(frozen=True)
class VenueAliases:
    """Venue names and the texts that mean each, in file order; ``path``: where they were read from."""

    names: tuple[str, ...]
    aliases: tuple[tuple[str, str], ...]  # (folded alias, venue name)
    path: str = "<text>"
    kinds: tuple[tuple[str, str], ...] = ()  # (venue name, one of KINDS), for the venues that give one

    def kind(self, name: str) -> str:
        """The venue's kind (conference, journal or preprint), "" when the file gives none."""
        return dict(self.kinds).get(name, "")

    def pattern(self) -> re.Pattern[str] | None:
        """One regular expression matching any alias as whole words in folded text (None: no aliases)."""
        if not self.aliases:
            return None
        ordered = sorted({a for a, _ in self.aliases}, key=len, reverse=True)  # the longest first on a tie
        return re.compile(r"(?<!\w)(" + "|".join(re.escape(a) for a in ordered) + r")(?!\w)")


def parse_venues(text: str, origin: str | Path = "<text>") -> VenueAliases:
    """Parse and validate a venue-alias file's TOML text; errors name ``origin`` (its file) and the entry."""
    data = parse_toml(text, origin, "venue aliases")
    entries = data.get("venue", [])
    if set(data) - {"venue"} or not isinstance(entries, list):
        raise BadInputError(
            f"venue aliases {origin} hold something other than [[venue]] tables",
            'Write one [[venue]] table per venue: name = "NeurIPS", aliases = ["NeurIPS", "NIPS"]',
        )
    names: list[str] = []
    aliases: list[tuple[str, str]] = []
    kinds: list[tuple[str, str]] = []
    seen: dict[str, str] = {}  # folded alias -> venue name
    for number, entry in enumerate(entries, start=1):
        where = f"venue aliases {origin}, venue #{number}"
        if not isinstance(entry, dict) or set(entry) - FIELDS:
            raise BadInputError(
                f"{where} is not a table of name and aliases",
                'Write it as name = "NeurIPS" and aliases = ["NeurIPS", "NIPS"]',
            )
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip() or not name.isprintable():
            raise BadInputError(f"{where} has no name", 'Add name = "Venue name"')
        name = " ".join(name.split())
        listed = entry.get("aliases", [name])
        if not isinstance(listed, list) or not all(isinstance(a, str) for a in listed):
            raise BadInputError(f"{where} ({name}): aliases must be a list of strings", f'Write aliases = ["{name}"]')
        for alias in [name, *listed]:
            folded = fold(alias)
            if not folded:
                raise BadInputError(f"{where} ({name}) has an empty alias", "Remove it or write the venue's name")
            if seen.get(folded, name) != name:
                raise BadInputError(
                    f"venue aliases {origin}: {alias!r} is an alias of both {seen[folded]} and {name}",
                    "Keep it under one venue",
                )
            if folded not in seen:
                seen[folded] = name
                aliases.append((folded, name))
        kind = entry.get("kind", "")
        if kind not in ("", *KINDS):
            raise BadInputError(
                f"{where} ({name}): kind {kind!r} is not one of {', '.join(KINDS)}",
                'Write kind = "conference", "journal" or "preprint", or leave it out',
            )
        if name not in names:
            names.append(name)
            if kind:
                kinds.append((name, kind))
    return VenueAliases(tuple(names), tuple(aliases), str(origin), tuple(kinds))
