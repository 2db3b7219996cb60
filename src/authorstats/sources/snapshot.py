"""The bundled snapshot: verified 2021-22 works of the default authors and arXiv versions of some, shipped in the
package."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

from authorstats.models import Publication
from authorstats.source_names import SNAPSHOT, SNAPSHOT_ARXIV


def _data_file(name: str) -> Path:
    return Path(str(resources.files("authorstats") / "data" / name))


def snapshot_path() -> Path:
    return _data_file("publications_2021_2022.csv")


def arxiv_versions_path() -> Path:
    return _data_file("arxiv_versions.csv")


def _read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


def _known(**fields: str) -> dict[str, str]:
    return {name: value for name, value in fields.items() if value}


def read_snapshot(path: Path | None = None) -> list[Publication]:
    """Every record of the snapshot CSV, with where it was checked as ``source_id`` and its own page,
    arXiv id and DOI kept (``extra["url"]``, ``extra["arxiv_id"]``, ``doi``) where known."""
    return [
        Publication(
            author=row["author_key"],
            title=row["title"],
            year=int(row["year"]),
            source=SNAPSHOT,
            venue=row.get("venue", ""),
            authors=tuple(a.strip() for a in row.get("authors", "").split(";") if a.strip()),
            doi=row.get("doi", ""),
            source_id=row.get("source_url", ""),
            extra=_known(
                collected_from=row.get("source", ""), url=row.get("url", ""), arxiv_id=row.get("arxiv_id", "")
            ),
        )
        for row in _read_rows(path or snapshot_path())
    ]


def read_arxiv_versions(path: Path | None = None) -> list[Publication]:
    """The arXiv versions of snapshot papers, as their own records: the title as on arXiv, the year of the
    first version, venue "arXiv preprint"; ``source_id`` is where each was checked."""
    return [
        Publication(
            author=row["author_key"],
            title=row["title_as_on_arxiv"],
            year=int(row["first_version_year"]),
            source=SNAPSHOT_ARXIV,
            venue="arXiv preprint",
            source_id=row.get("source_url", ""),
            extra={"arxiv_id": row["arxiv_id"], "url": f"https://arxiv.org/abs/{row['arxiv_id']}"},
        )
        for row in _read_rows(path or arxiv_versions_path())
    ]


def read_bundled() -> list[Publication]:
    """Both bundled files: the snapshot's records, then their arXiv versions."""
    return read_snapshot() + read_arxiv_versions()
