"""Write data/processed/authorstats.db: the report's tables in SQLite, built in memory and saved atomically."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from authorstats.shell import store

if TYPE_CHECKING:
    from authorstats.analysis.database import Table
    from authorstats.analysis.report import ReportData

NAME = "authorstats.db"
INDEXED = ("topic", "year", "venue")  # the works columns Datasette facets on, besides author_key (a foreign key)


def database_path(workspace: store.Workspace) -> Path:
    return workspace.processed / NAME


def save_database(workspace: store.Workspace, data: ReportData) -> Path:
    """Write the report's database beside the CSVs; like every report file it replaces the previous one whole."""
    from authorstats.analysis.database import database_tables

    return store.atomic_write_bytes(database_path(workspace), database_bytes(database_tables(data)))


def database_bytes(tables: Sequence[Table]) -> bytes:
    """A complete SQLite database file holding ``tables``: columns typed, keys declared, full-text indexes built.

    It is built in memory and serialised, so the file on disk is only ever written whole (by the caller,
    through a temporary file and a rename).
    """
    import sqlite_utils

    connection = sqlite3.connect(":memory:")
    try:
        db = sqlite_utils.Database(connection)
        db.execute("PRAGMA foreign_keys = ON")
        for table in tables:
            created = db.table(table.name)
            created.create(table.columns, pk=table.pk, foreign_keys=list(table.foreign_keys),
                           column_order=list(table.columns))
            if table.rows:
                created.insert_all(table.rows, batch_size=1000)
            if table.fts:
                created.enable_fts(list(table.fts), tokenize="porter")
        db.index_foreign_keys()
        if "works" in db.table_names():
            for column in INDEXED:
                db.table("works").create_index([column], if_not_exists=True)
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # a bug in the rows, not in the user's data: never write a database that lies
            raise RuntimeError(f"authorstats.db: {len(problems)} row(s) point at rows that do not exist: {problems[:3]}")
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()
