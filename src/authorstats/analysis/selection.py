"""Which records a report counts, and as what table: each author's in-window records, one per work (versions
merged, the year a merged work counts in), where they came from, and the records as the frame the classifier reads.
Values in, values out."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.models import Author, Publication, YearWindow
from authorstats.text import clean_control

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.merge import Merge
    from authorstats.config.taxonomy import Taxonomy

_FRAME_COLUMNS = [
    "author",
    "year",
    "title",
    "abstract",
    "venue",
    "authors",
    "citations",
    "doi",
    "source",
    "source_id",
    "fetched_at",
    "url",
    "arxiv_id",
    "citations_by_year",
    "fwci",
    "citation_percentile",
]


@dataclass(frozen=True)
class Provenance:
    """Where one author's records came from, for the terminal and the methods section."""

    author: str
    sources: tuple[str, ...]  # e.g. ("scholar",) or ("snapshot",); () when nothing was found
    records_in_window: int
    records_read: int
    records_merged: int = 0  # versions of one work counted once (see data/processed/duplicates.csv)
    # records whose near-equal titles were compared only in part: beyond analysis/blocking.py's cap (docs/scale.md)
    records_capped: int = 0

    @property
    def label(self) -> str:
        return "+".join(self.sources) if self.sources else "no data"


@dataclass(frozen=True)
class Selection:
    """Each author's in-window records, one per work, how many were read and merged, and the merges."""

    records: list[Publication]
    provenance: dict[str, Provenance]
    merges: list[Merge]


def sources_of(selection: Selection) -> dict[str, tuple[str, ...]]:
    return {key: p.sources for key, p in selection.provenance.items()}


def select_records(
    records: Iterable[Publication],
    authors: Sequence[Author],
    window: YearWindow,
    sources: Mapping[str, Sequence[str]] | None = None,
    year_basis: str = "first",
    progress: Callable[[int], None] | None = None,
) -> Selection:
    """Each author's in-window records, one per work, and the merges that made them one.

    Merging happens before the year filter. A merged work whose versions have different years counts in its
    earliest version's year (``year_basis="first"``: an arXiv 2022 preprint of an ICLR 2023 paper counts in
    2022) or in the kept version's (``"published"``: 2023); its record carries that year.
    """
    from authorstats.analysis.merge import merge_works

    if year_basis not in YEAR_BASES:
        raise ValueError(f"year_basis {year_basis!r} is not one of {', '.join(YEAR_BASES)}")
    by_author: dict[str, list[Publication]] = {a.key: [] for a in authors}
    for record in records:
        if record.author in by_author:
            by_author[record.author].append(printable(record))
    kept_records: list[Publication] = []
    merges: list[Merge] = []
    provenance: dict[str, Provenance] = {}
    for author in authors:
        found = by_author[author.key]
        merging = merge_works(found, progress)
        kept, merged = merging.kept, merging.merges
        if year_basis == "first":
            kept, merged = _first_years(kept, merged)
        else:
            merged = [dataclasses.replace(m, counted_year=m.kept_year) for m in merged]
        in_window = [r for r in kept if r.year in window]
        kept_records.extend(in_window)
        merges.extend(m for m in merged if m.counted_year in window)
        names = (
            tuple(sources[author.key])
            if sources is not None and author.key in sources
            else tuple(dict.fromkeys(r.source for r in found))
        )
        provenance[author.key] = Provenance(
            author.key, names, len(in_window), len(found), len(found) - len(kept), merging.capped
        )
    return Selection(kept_records, provenance, merges)


YEAR_BASES = ("first", "published")


def _first_years(kept: list[Publication], merges: list[Merge]) -> tuple[list[Publication], list[Merge]]:
    """The kept records dated by their earliest version's year, and the merges saying which year each counts in."""
    earliest: dict[tuple[str, str, int | None], int] = {}
    for m in merges:
        key = (m.kept_title, m.kept_source, m.kept_year)
        years = [y for y in (m.kept_year, m.dropped_year, earliest.get(key)) if y is not None]
        if years:
            earliest[key] = min(years)
    dated = [
        dataclasses.replace(r, year=earliest[key])
        if (key := (r.title, r.source, r.year)) in earliest and earliest[key] != r.year
        else r
        for r in kept
    ]
    counted = [
        dataclasses.replace(m, counted_year=earliest.get((m.kept_title, m.kept_source, m.kept_year), m.kept_year))
        for m in merges
    ]
    return dated, counted


def printable(record: Publication) -> Publication:
    """``record`` with no control character in its text (text.clean_control), so that no output of the report
    (CSV, HTML, Markdown, charts) receives one; data/raw keeps the text as the source gave it."""
    extra = [v for v in record.extra.values() if isinstance(v, str)]  # a source's url, arxiv_id, ...
    texts = (record.title, record.venue, record.abstract, record.doi, record.source_id, *record.authors, *extra)
    if all(text.isprintable() for text in texts):
        return record
    return dataclasses.replace(
        record,
        title=clean_control(record.title),
        venue=clean_control(record.venue),
        abstract=clean_control(record.abstract),
        doi=clean_control(record.doi),
        source_id=clean_control(record.source_id),
        authors=tuple(clean_control(a) for a in record.authors),
        extra={k: clean_control(v) if isinstance(v, str) else v for k, v in record.extra.items()},
    )


def publications_frame(records: Sequence[Publication]) -> pd.DataFrame:
    """One row per record, with the columns the classifier and the tables use."""
    import pandas as pd

    # column by column: a million records never become a million dicts on the way to the table
    columns: dict[str, list[object]] = {
        "author": [r.author for r in records],
        "year": [r.year for r in records],
        "title": [r.title for r in records],
        "abstract": [r.abstract for r in records],
        "venue": [r.venue for r in records],
        "authors": ["; ".join(r.authors) for r in records],
        "citations": [r.citations for r in records],
        "doi": [r.doi for r in records],
        "source": [r.source for r in records],
        "source_id": [r.source_id for r in records],
        "fetched_at": [r.fetched_at for r in records],
        # the paper's own page and arXiv id as the source gave them (the page links the title to one)
        "url": [str(r.extra.get("url") or "") for r in records],
        "arxiv_id": [str(r.extra.get("arxiv_id") or "") for r in records],
        "citations_by_year": [r.citations_by_year for r in records],  # (year, count) pairs; () when none given
        "fwci": [r.fwci for r in records],
        "citation_percentile": [r.citation_percentile for r in records],
    }
    frame = pd.DataFrame(columns if len(records) else [], columns=_FRAME_COLUMNS)  # none: object columns
    frame["citations"] = frame["citations"].astype("Int64")
    for column in ("fwci", "citation_percentile"):
        frame[column] = frame[column].astype("Float64")
    return frame


def classify_records(records: Sequence[Publication], taxonomy: Taxonomy, labels: Mapping[str, str]) -> pd.DataFrame:
    """The records as a table with their topics (manual labels win), sorted by author, year and title."""
    from authorstats.classification import engine
    from authorstats.config.labels import apply_labels

    frame = engine.classify_frame(publications_frame(records), taxonomy)
    frame = apply_labels(frame, dict(labels))
    return frame.sort_values(["author", "year", "title"], kind="stable").reset_index(drop=True)
