"""Pure: the tables of data/processed/authorstats.db (columns, types, keys, rows) from a computed report.

Writing them is the shell's job (shell/database.py); this module only says what goes in. A table
whose data a report does not have (collaborators, before that analysis exists) is left out, so the
database never holds an empty stand-in for an analysis that was not made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.report import ReportData

# The SQL types of the columns (sqlite-utils maps int -> INTEGER, float -> FLOAT, str -> TEXT).
ColumnTypes = dict[str, type]


Row = tuple[Any, ...]  # one row's values in its table's column order
BATCH = 50_000  # rows converted at a time: a million works are never all held as Python rows at once


@dataclass(frozen=True)
class Table:
    """One table of the database: its columns in order with their types, its rows, its keys and its full-text index.

    ``batches`` yields the rows (tuples in the columns' order) a batch at a time, computed as they are asked for,
    so the shell writes a million works without holding them all as Python objects; ``rows`` gives them as dicts.
    """

    name: str
    columns: ColumnTypes
    batches: Callable[[], Iterator[list[Row]]]
    pk: str | tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, other column)
    fts: tuple[str, ...] = ()  # columns searched by the full-text index

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Every row as a dict of column -> value."""
        return [dict(zip(self.columns, row)) for batch in self.batches() for row in batch]


WORKS_COLUMNS: ColumnTypes = {
    "id": int,
    "author_key": str,
    "title": str,
    "year": int,
    "venue": str,
    "venue_name": str,
    "topic": str,
    "topics": str,
    "score": float,
    "confidence": float,
    "evidence": str,
    "manual": int,
    "url": str,
    "doi": str,
    "arxiv_id": str,
    "citations": int,
    "source": str,
    "source_id": str,
    "authors": str,
    "abstract": str,
    "fetched_at": str,
}
WORKS_DESCRIPTIONS = {
    "id": "Row number of the work (the versions table points here)",
    "author_key": "Roster key of the author whose list holds the work",
    "title": "Title of the kept version",
    "year": "Publication year of the kept version",
    "venue": "Venue as the source wrote it",
    "venue_name": "Venue name normalised through the venue aliases (empty where no alias is known)",
    "topic": "Topic the classifier (or a manual label) gave",
    "topics": "Every topic that scored, as Topic:score separated by semicolons",
    "score": "Score of the chosen topic",
    "confidence": "How sure the classifier is, 0 to 1",
    "evidence": "Taxonomy terms that matched, separated by semicolons",
    "manual": "1 when a manual label in data/labels.csv set the topic",
    "url": "The paper's page as its source gave it",
    "doi": "DOI",
    "arxiv_id": "arXiv identifier",
    "citations": "Citation count the source reported (empty when unknown)",
    "source": "Where the kept version came from (scholar, openalex, dblp, snapshot, an import name)",
    "source_id": "The source's own id or URL of the record",
    "authors": "Co-authors, separated by semicolons",
    "abstract": "Abstract, where the source gave one",
    "fetched_at": "When the record was fetched (UTC)",
}
VERSIONS_COLUMNS: ColumnTypes = {
    "id": int,
    "work_id": int,
    "author_key": str,
    "title": str,
    "year": int,
    "venue": str,
    "source": str,
    "kept": int,
    "reason": str,
}
AUTHORS_COLUMNS: ColumnTypes = {
    "key": str,
    "name": str,
    "scholar_id": str,
    "openalex": str,
    "dblp": str,
    "orcid": str,
    "sources": str,
    "fetched": str,
    "records_read": int,
    "records_merged": int,
    "works": int,
}
TOPIC_COUNTS_COLUMNS: ColumnTypes = {"author_key": str, "topic": str, "count": int}


# What each table and column holds, in words: Datasette shows these (shell/serve.py), docs/database.md repeats them.
DESCRIPTIONS: dict[str, tuple[str, dict[str, str]]] = {
    "authors": (
        "The roster: one row per author in the report, with where their data came from and when",
        {
            "key": "Roster key",
            "name": "Display name",
            "scholar_id": "Google Scholar profile id",
            "openalex": "OpenAlex author id",
            "dblp": "dblp person id",
            "orcid": "ORCID",
            "sources": "Sources the author's records came from, joined by +",
            "fetched": "When those records were fetched",
            "records_read": "Records read, every year",
            "records_merged": "Records counted as versions of another work",
            "works": "Works in the report's year window",
        },
    ),
    "works": ("One row per merged work in the report's year window, with its topic", WORKS_DESCRIPTIONS),
    "versions": (
        "Every record read for a work in the window: the kept version and each version merged into it",
        {
            "id": "Row number",
            "work_id": "The work this record is a version of (works.id)",
            "author_key": "Roster key of the author",
            "title": "Title as this version has it",
            "year": "Year of this version",
            "venue": "Venue of this version",
            "source": "Where this version came from",
            "kept": "1 for the version the work shows, 0 for one merged into it",
            "reason": "Why the record counts as a version of the work ('kept' for the kept one)",
        },
    ),
    "topic_counts": (
        "Works per author and topic, as reports/topic_counts.csv",
        {
            "author_key": "Roster key of the author",
            "topic": "Topic",
            "count": "Number of the author's works with this topic",
        },
    ),
    "collaborators": (
        "Co-authors of each author, as reports/collaborators.csv",
        {
            "author_key": "Roster key of the author",
            "coauthor": "Co-author's name (spellings merged)",
            "papers": "Works the two share in the window",
            "topics": "Topics of those works",
            "first_year": "Year of their first shared work in the window",
            "last_year": "Year of their last",
        },
    ),
    "impact_by_year": (
        "Citations the window's works received each year and their h-index as it grew, as reports/impact_by_year.csv "
        "(Google Scholar's and OpenAlex's per-year counts, self-citations included)",
        {
            "author_key": "Roster key of the author",
            "topic": "Topic, or 'All topics'",
            "year": "Year the citations were received",
            "papers_with_counts": "The author's works of this topic with per-year counts",
            "citations": "Citations those works received in the year",
            "cumulative_citations": "Citations received up to the end of the year",
            "h_index": "h-index of those works counting citations up to the end of the year",
        },
    ),
    "impact_normalised": (
        "OpenAlex's field-weighted citation impact and citation percentiles per author and topic, as "
        "reports/impact_normalised.csv",
        {
            "author_key": "Roster key of the author",
            "topic": "Topic, or 'All topics'",
            "papers": "The author's works of this topic in the window",
            "papers_with_fwci": "Those with an FWCI",
            "median_fwci": "Median FWCI (1 = the world average of works of the same field, type and year)",
            "papers_with_percentile": "Those with a citation percentile",
            "top10_papers": "Those in the world's top 10% (percentile 0.9 or more)",
            "top10_share": "top10_papers / papers_with_percentile",
        },
    ),
    "specialisation": (
        "Each author's activity index per topic against the roster, with a bootstrap 95% interval, as "
        "reports/specialisation.csv",
        {
            "author_key": "Roster key of the author",
            "topic": "Topic",
            "works": "The author's works of this topic in the window",
            "share": "Their share of the author's works",
            "baseline_share": "The topic's share of the baseline's works (the roster's)",
            "activity_index": "share / baseline_share: 1 = the baseline's mix",
            "low": "2.5th percentile of the index over bootstrap draws of the author's works",
            "high": "97.5th percentile",
            "marked": "'over' or 'under' when the interval excludes 1, else empty",
        },
    ),
}


def database_tables(data: ReportData) -> list[Table]:
    """Every table of authorstats.db for ``data``, parents before the tables that point at them."""
    publications = data.publications.rename(columns={"author": "author_key"})
    counts = data.topic_counts.rename(columns={"author": "author_key"})
    authors = authors_rows(data)
    tables = [
        Table(
            "authors", AUTHORS_COLUMNS, lambda: iter([[tuple(r[c] for c in AUTHORS_COLUMNS) for r in authors]]), "key"
        ),
        Table(
            "works",
            WORKS_COLUMNS,
            lambda: frame_batches(publications, WORKS_COLUMNS),
            "id",
            (("author_key", "authors", "key"),),
            ("title", "abstract"),
        ),
        Table(
            "versions",
            VERSIONS_COLUMNS,
            lambda: versions_batches(publications, data.merges),
            "id",
            (("work_id", "works", "id"), ("author_key", "authors", "key")),
        ),
        Table(
            "topic_counts",
            TOPIC_COUNTS_COLUMNS,
            lambda: frame_batches(counts, TOPIC_COUNTS_COLUMNS, numbered=False),
            ("author_key", "topic"),
            (("author_key", "authors", "key"),),
        ),
    ]
    if data.collaboration is not None and len(data.collaboration.table):  # ReportData.collaboration (issue 14)
        tables.append(frame_table("collaborators", data.collaboration.table))
    over = data.impact_over_time  # issue 28: only when some author has them, as the CSVs' rows
    if over is not None and len(over.by_year):
        tables.append(frame_table("impact_by_year", over.by_year))
    if over is not None and len(over.normalised):
        tables.append(frame_table("impact_normalised", over.normalised))
    if data.specialisation is not None and len(data.specialisation.table):
        tables.append(frame_table("specialisation", data.specialisation.table))
    return tables


_VERSION_KEY = ("author_key", "title", "source", "year")  # how a merge names the work it was merged into


def versions_batches(works: pd.DataFrame, merges: Iterable[Any]) -> Iterator[list[Row]]:
    """Each work's kept version, then every version merged into it (``merges``: analysis.merge.Merge), numbered
    from 1: the versions table's rows for the works table ``works`` (author_key, title, year, venue, source) as
    frame_batches numbers it. A merge whose kept version is not among the works (another window) has no row."""
    into: dict[tuple[object, ...], list[Row]] = {}  # the kept version's (author, title, source, year) -> merged
    for merge in merges:
        into.setdefault((merge.author, merge.kept_title, merge.kept_source, merge.kept_year), []).append(
            (
                merge.author,
                merge.dropped_title,
                merge.dropped_year,
                merge.dropped_venue,
                merge.dropped_source,
                0,
                merge.reason,
            )
        )
    number = 0
    for batch in frame_batches(works, {name: WORKS_COLUMNS[name] for name in ("id", *_VERSION_KEY, "venue")}):
        rows: list[Row] = []
        for work_id, author, title, source, year, venue in batch:
            number += 1
            rows.append((number, work_id, author, title, year, venue, source, 1, "kept"))
            merged = into.pop((author, title, source, year), None)  # the first work of a key takes its versions
            for version in merged or ():
                number += 1
                rows.append((number, work_id, *version))
        yield rows


def authors_rows(data: ReportData) -> list[dict[str, Any]]:
    rows = []
    for item in data.authors:
        author, prov = item.author, item.provenance
        rows.append(
            {
                "key": author.key,
                "name": author.name,
                "scholar_id": author.scholar_id,
                "openalex": author.openalex,
                "dblp": author.dblp,
                "orcid": author.orcid,
                "sources": prov.label,
                "fetched": item.fetched,
                "records_read": prov.records_read,
                "records_merged": prov.records_merged,
                "works": prov.records_in_window,
            }
        )
    return rows


def frame_batches(frame: pd.DataFrame, columns: ColumnTypes, *, numbered: bool = True) -> Iterator[list[Row]]:
    """The rows of ``frame`` as tuples of ``columns`` (missing columns empty), BATCH rows at a time, each value of
    its column's type: numbers as numbers, a missing number as NULL, text as text. ``numbered``: the column
    ``id`` holds the row number, from 1."""
    for start in range(0, len(frame), BATCH):
        part = frame.iloc[start : start + BATCH]
        values: list[Sequence[object]] = []
        for name, kind in columns.items():
            if numbered and name == "id":
                values.append(range(start + 1, start + len(part) + 1))
            elif name in part.columns:
                values.append(column_values(part[name], kind))
            else:
                values.append([_value(None, kind)] * len(part))
        yield list(zip(*values))


def column_values(column: pd.Series, kind: type) -> list[object]:
    """The values of ``column`` as ``kind`` (what _value gives each), converted a column at a time."""
    missing = column.isna().tolist()
    values = column.tolist()
    if kind is str:
        return ["" if gone else value if type(value) is str else str(value) for value, gone in zip(values, missing)]
    convert = int if kind is int else float
    return [None if gone else convert(value) for value, gone in zip(values, missing)]


def frame_table(name: str, frame: pd.DataFrame) -> Table:
    """A table stored as ``frame`` holds it: integer, float and text columns, a row number as key."""
    columns: ColumnTypes = {"id": int}
    for column, dtype in frame.dtypes.items():
        kind = dtype.kind
        columns[str(column)] = int if kind in "iub" else float if kind == "f" else str
    named = frame.rename(columns=str)
    keys = (("author_key", "authors", "key"),) if "author_key" in columns else ()
    return Table(name, columns, lambda: frame_batches(named, columns), "id", keys)


def _value(value: object, kind: type) -> object:
    """``value`` as ``kind``; a missing value is NULL in a number column and empty text in a text column."""
    if _missing(value):
        return "" if kind is str else None
    if kind is int:
        return int(value)  # type: ignore[call-overload]
    if kind is float:
        return float(value)  # type: ignore[arg-type]
    return str(value)


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return False


# Datasette's canned query "topic table for an author and window" (shell/serve.py), and docs/database.md's third
# example: the seminar's shape of reports/<key>_topics.csv (Total first, then topics by count, ties by name).
TOPIC_TABLE_SQL = """\
select Topic, Count from (
  select 'Total' as Topic, count(*) as Count, 0 as part from works
   where author_key = :author and year between cast(:start as integer) and cast(:end as integer)
  union all
  select topic, count(*), case when topic = 'Other' then 2 else 1 end from works
   where author_key = :author and year between cast(:start as integer) and cast(:end as integer)
   group by topic
) order by part, Count desc, Topic"""  # Total first, Other (unclassified) last, as in the report's tables

WORKS_FACETS = ["author_key", "topic", "year", "venue"]


def datasette_metadata(database: str) -> dict[str, Any]:
    """Datasette's metadata for authorstats.db served as ``database``: every table and column in words, facets on
    the works, their full-text search, and the canned query "topic table for an author and window"."""
    tables: dict[str, Any] = {}
    for name, (description, columns) in DESCRIPTIONS.items():
        tables[name] = {"description": description, "columns": dict(columns)}
    tables["works"].update(
        {"facets": list(WORKS_FACETS), "fts_table": "works_fts", "fts_pk": "id", "sort_desc": "year", "size": 50}
    )
    tables["versions"]["facets"] = ["author_key", "kept", "source"]
    tables["topic_counts"]["facets"] = ["author_key", "topic"]
    tables["impact_by_year"]["facets"] = ["author_key", "topic", "year"]
    tables["impact_normalised"]["facets"] = ["author_key", "topic"]
    tables["specialisation"]["facets"] = ["author_key", "topic", "marked"]
    return {
        "title": "authorstats",
        "description": "The last report's data: works with their topics, merged versions, authors, topic counts. "
        "Written by `authorstats report`; see docs/database.md.",
        "databases": {
            database: {
                "description": "data/processed/authorstats.db",
                "tables": tables,
                "queries": {
                    "topic_table": {
                        "title": "Topic table for an author and window",
                        "description": "The seminar's table for one author (roster key) and years START to END: "
                        "Total first, then the topics by number of works.",
                        "sql": TOPIC_TABLE_SQL,
                    }
                },
            }
        },
    }
