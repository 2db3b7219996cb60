"""The bundled snapshot: real 2021-22 conference records of the default authors, shipped in the package."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from authorstats.models import Publication

NAME = "snapshot"
DESCRIPTION = (
    "the bundled snapshot (2021-22 conference papers from public proceedings and conference lists; "
    "smaller than Google Scholar's lists; `authorstats fetch` gets fresh data)"
)


def snapshot_path() -> Path:
    return Path(str(resources.files("authorstats") / "data" / "publications_2021_2022.csv"))


def read_snapshot(path: Path | None = None) -> list[Publication]:
    """Every record of the snapshot CSV, with its source URL as ``source_id``."""
    with open(path or snapshot_path(), encoding="utf-8", newline="") as handle:
        return [
            Publication(
                author=row["author_key"],
                title=row["title"],
                year=int(row["year"]),
                source=NAME,
                venue=row.get("venue", ""),
                authors=tuple(a.strip() for a in row.get("authors", "").split(";") if a.strip()),
                source_id=row.get("source_url", ""),
                extra={"collected_from": row.get("source", "")},
            )
            for row in csv.DictReader(handle)
        ]

