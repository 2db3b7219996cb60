"""Write data/processed/authorstats.db: the report's tables in SQLite, built in a temporary folder beside it and
saved atomically (never held in memory whole: a million records make a database of about 500 MB)."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from authorstats.shell import manifest, store

if TYPE_CHECKING:
    from authorstats.analysis.database import Table
    from authorstats.analysis.report import ReportData

NAME = "authorstats.db"
INDEXED = ("topic", "year", "venue")  # the works columns Datasette facets on, besides author_key (a foreign key)


def database_path(workspace: store.Workspace) -> Path:
    return workspace.processed / NAME


@dataclass(frozen=True)
class Saved:
    """The database a report saved (or kept: the last report's, holding exactly these tables): its file and its
    fingerprint, for the manifest."""

    path: Path
    key: str


def save_database(
    workspace: store.Workspace,
    data: ReportData,
    *,
    last_key: str | None = None,
    last_digest: str | None = None,
) -> Saved:
    """Write the report's database beside the CSVs; like every report file it replaces the previous one whole.

    ``last_key`` and ``last_digest``: the fingerprint of the last report's database and the SHA-256 of the file it
    wrote (its manifest's). When this report's tables have the same fingerprint and the file is still exactly
    what was written, it is kept instead of built again (a re-run: nothing to build, nor to import sqlite-utils
    for). The fingerprint covers every table's columns, keys, full-text columns and rows, and the versions of
    authorstats, SQLite and sqlite-utils.
    """
    from authorstats.analysis.database import database_tables

    path = database_path(workspace)
    tables = database_tables(data)
    key = None
    if last_key is not None and last_digest is not None and path.is_file() and not path.is_symlink():
        key = database_key(tables)
        if key == last_key and manifest.file_digest(path) == last_digest:
            return Saved(path, key)
    fed: Any = None
    if key is None:  # a first report's rows are fingerprinted as they are written: one pass over them
        fed = _fingerprint()
        tables = [_fed(table, fed) for table in tables]

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

    written = store._atomic_write(path, fill, workspace=workspace)
    return Saved(written, str(fed.hexdigest()) if key is None else key)


def database_key(tables: Sequence[Table]) -> str:
    """A SHA-256 of exactly what build_database writes for ``tables``, and of the code and libraries that write it."""
    sha = _fingerprint()
    for table in tables:
        for _ in _fed(table, sha).batches():
            pass
    return str(sha.hexdigest())


def _fed(table: Table, sha: Any) -> Table:
    """``table`` whose batches, as they are read, add its layout and then its rows to the fingerprint ``sha``."""

    def batches() -> Iterator[list[Any]]:
        columns = [(name, kind.__name__) for name, kind in table.columns.items()]
        sha.update(_text(repr((table.name, columns, table.pk, table.foreign_keys, table.fts))))
        for batch in table.batches():
            sha.update(_text(repr(batch)))  # repr tells 1, 1.0, "1" and None apart
            yield batch

    return dataclasses.replace(table, batches=batches)


def _text(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _fingerprint() -> Any:
    """A SHA-256 started with what every database's fingerprint holds: the versions and code that build it."""
    from importlib import metadata

    sha = hashlib.sha256(b"authorstats database fingerprint 1\n")
    for package in ("authorstats", "sqlite-utils"):
        try:
            sha.update(f"{package} {metadata.version(package)}\n".encode())
        except metadata.PackageNotFoundError:
            sha.update(f"{package} missing\n".encode())
    sha.update(f"sqlite {sqlite3.sqlite_version}\n".encode())
    from authorstats.analysis import database as tables_code

    for module in (__file__, str(tables_code.__file__)):  # the code that makes the rows and writes them
        sha.update(Path(module).read_bytes())
    return sha


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
