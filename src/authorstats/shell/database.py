"""Write data/processed/authorstats.db: the report's tables in SQLite, built in a temporary folder beside it and
saved atomically (never held in memory whole: a million records make a database of about 500 MB)."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

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

    path = database_path(workspace)
    tables = database_tables(data)

    def fill(handle: BinaryIO) -> None:
        # built as a file of its own, then copied into the atomic write's temporary file a megabyte at a time; the
        # scratch folder is named as a temporary file is (leftovers._LEFTOVER), so the next run removes it after a kill
        with tempfile.TemporaryDirectory(
            prefix=f".{NAME}.{os.getpid()}.", suffix=".authorstats.tmp", dir=path.parent
        ) as folder:
            built = Path(folder) / NAME
            try:
                build_database(tables, built)
            except sqlite3.OperationalError as exc:  # "database or disk is full" and the like, as the OSError it is
                raise OSError(errno.ENOSPC if "full" in str(exc) else errno.EIO, str(exc)) from exc
            with built.open("rb") as source:
                shutil.copyfileobj(source, handle, 1 << 20)

    return store._atomic_write(path, fill, workspace=workspace)


def build_database(tables: Sequence[Table], path: Path) -> None:
    """A complete SQLite database file at ``path`` (a new file) holding ``tables``: columns typed, keys declared,
    full-text indexes built."""
    import sqlite_utils

    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")  # a scratch file: it is copied only once it is complete
        connection.execute("PRAGMA synchronous = OFF")
        db = sqlite_utils.Database(connection)
        db.execute("PRAGMA foreign_keys = ON")
        for table in tables:
            created = db.table(table.name)
            created.create(
                table.columns, pk=table.pk, foreign_keys=list(table.foreign_keys), column_order=list(table.columns)
            )
            insert = (
                f"INSERT INTO [{table.name}] ({', '.join(f'[{c}]' for c in table.columns)}) "
                f"VALUES ({', '.join('?' for _ in table.columns)})"
            )
            for batch in table.batches():  # rows as tuples, a batch at a time: never all of them at once
                connection.executemany(insert, batch)
            if table.fts:
                created.enable_fts(list(table.fts), tokenize="porter")
        db.index_foreign_keys()
        if "works" in db.table_names():
            for column in INDEXED:
                db.table("works").create_index([column], if_not_exists=True)
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:  # a bug in the rows, not in the user's data: never write a database that lies
            raise RuntimeError(
                f"authorstats.db: {len(problems)} row(s) point at rows that do not exist: {problems[:3]}"
            )
        connection.commit()
    finally:
        connection.close()
