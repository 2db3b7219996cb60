"""Topic groupings: named sets of categories that roll a taxonomy's topics up (``[groupings.NAME]`` in its TOML).

Each category lists the topics it takes; every topic of the taxonomy is in exactly one category of a grouping,
which is checked on load. A report grouped by one (``report --group-by NAME``) counts each paper under its
topic's category.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from authorstats.errors import BadInputError

GROUPING_FIELDS = {"description", "categories"}
RESERVED = ("Total",)


@dataclass(frozen=True)
class Grouping:
    """One grouping: its name, what it is for, and its categories in order, each with the topics it takes."""

    name: str
    description: str
    categories: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The categories, in the file's order."""
        return tuple(name for name, _ in self.categories)

    @property
    def mapping(self) -> dict[str, str]:
        """topic -> its category."""
        return {topic: name for name, topics in self.categories for topic in topics}


def parse_groupings(path: Path, raw: object, topics: Sequence[str]) -> tuple[Grouping, ...]:
    """The ``[groupings]`` table of a taxonomy, validated against its ``topics``; errors name the file, the grouping
    and the topic: a topic in two categories, a topic in none, or a name that is not a topic."""
    if not isinstance(raw, dict):
        raise BadInputError(
            f"taxonomy {path}: groupings must be a table of [groupings.NAME] tables",
            'Write [groupings.broad] then [groupings.broad.categories] and "Category" = ["Topic", ...]',
        )
    return tuple(_grouping(path, str(name), entry, topics) for name, entry in raw.items())


def _grouping(path: Path, name: str, entry: object, topics: Sequence[str]) -> Grouping:
    where = f"taxonomy {path}, grouping {name!r}"
    if not isinstance(entry, dict):
        raise BadInputError(f"{where} is not a table", f"Write it as [groupings.{name}]")
    unknown = set(entry) - GROUPING_FIELDS
    if unknown:
        raise BadInputError(
            f"{where} has unknown field(s) {', '.join(sorted(unknown))}",
            f"Use only {', '.join(sorted(GROUPING_FIELDS))}",
        )
    description = entry.get("description", "")
    categories = entry.get("categories")
    if not isinstance(description, str):
        raise BadInputError(f"{where}: description must be a string", 'Write description = "..."')
    if not isinstance(categories, dict) or not categories:
        raise BadInputError(
            f"{where} has no categories", f'Add [groupings.{name}.categories] with "Category" = ["Topic", ...]'
        )
    known = set(topics)
    placed: dict[str, str] = {}
    out: list[tuple[str, tuple[str, ...]]] = []
    for category, listed in categories.items():
        if str(category).casefold() in {r.casefold() for r in RESERVED}:
            raise BadInputError(
                f"{where}: the category name {category!r} is reserved for the tables' sums", "Rename the category"
            )
        if not isinstance(listed, list) or not listed or not all(isinstance(t, str) for t in listed):
            raise BadInputError(
                f"{where}, category {category!r} must list topics", f'Write "{category}" = ["Topic", ...]'
            )
        for topic in listed:
            if topic not in known:
                raise BadInputError(
                    f"{where}, category {category!r}: {topic!r} is not a topic of the taxonomy",
                    "A topic renamed or removed in [[topic]] must be renamed or removed here too "
                    "(or delete the [groupings] tables); the topics are: " + ", ".join(topics),
                )
            if topic in placed:
                raise BadInputError(
                    f"{where}: the topic {topic!r} is in two categories, {placed[topic]!r} and {category!r}",
                    "Keep it in one of them",
                )
            placed[topic] = str(category)
        out.append((str(category), tuple(listed)))
    missing = [t for t in topics if t not in placed]
    if missing:
        raise BadInputError(
            f"{where}: the topic(s) {', '.join(repr(t) for t in missing)} are in no category",
            "Add each to one category: every topic is in exactly one",
        )
    return Grouping(name, description, tuple(out))
