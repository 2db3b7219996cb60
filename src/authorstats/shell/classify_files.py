"""classify's files: a CSV or Parquet table of titles read, classified and written a chunk at a time, so the
memory it takes stays flat however long the table is (the engine's memos of results are bounded too).

The CSV written is byte for byte what classifying the whole table at once writes (csv_writer.py). A
Parquet input (``.parquet`` or ``.pq``) is read in record batches with pyarrow, and a Parquet output
keeps the input's columns and types and adds the classification's. A Dask cluster classifies the
chunks on its workers instead (shell/dask_classify.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeAlias

from authorstats.errors import BadInputError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from authorstats.classification.cells import Encode
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.shell.csv_writer import EncodedRows

    # A chunk's classification as csv_writer's ``added`` columns: their names (engine.COLUMNS), the distinct
    # rows of cells (ResultTable.cells()) and, for each row of the chunk, the number of its row (ResultTable.codes).
    Added: TypeAlias = tuple[tuple[str, ...], list[tuple[str, float, str, str, float]] | EncodedRows, np.ndarray]

log = logging.getLogger(__name__)

# Rows per chunk: bounds the memory of a large classification at a small cost in time (the measurements are in
# benchmarks/RESULTS.md, "Figures behind settings in the code").
CHUNK_ROWS = 50_000
PARQUET_SUFFIXES = (".parquet", ".pq")
WHAT = "input file"


def is_parquet(path: Path) -> bool:
    return Path(path).suffix.lower() in PARQUET_SUFFIXES


@dataclass
class Chunk:
    """Rows of the input: as a DataFrame (the columns kept), and as Arrow for a Parquet input (None for CSV)."""

    frame: pd.DataFrame
    arrow: pa.Table | None = None


@dataclass
class Counted:
    """What the chunks held: rows, and the untitled ones' numbers (the first ten)."""

    rows: int = 0
    untitled: int = 0
    first_untitled: list[int] | None = None


def read_chunks(path: Path, replace: bool, rows: int = CHUNK_ROWS, counted: Counted | None = None) -> Iterator[Chunk]:
    """The input's rows a chunk at a time, checked as read_titles_csv checks a whole file: chunks are held back
    until one has a title, so a file with no titles is refused before anything is written; then columns
    classify writes are refused (or dropped with ``replace``) before any chunk is given; rows without a
    title are counted in ``counted`` and warned about at the end."""
    from authorstats.classification.engine import COLUMNS

    counted = counted if counted is not None else Counted()
    counted.first_untitled = []
    source = _parquet_chunks(path, rows) if is_parquet(path) else _csv_chunks(path, rows)
    held: list[Chunk] = []
    titled = False
    clash: list[str] = []
    for number, chunk in enumerate(source):
        if number == 0:
            clash = [name for name in COLUMNS if name in chunk.frame.columns]
        _drop(chunk, COLUMNS)
        titles = chunk.frame["title"].fillna("").astype(str).str.strip()
        empty = [counted.rows + i + 1 for i in (titles == "").to_numpy().nonzero()[0].tolist()]
        counted.untitled += len(empty)
        counted.first_untitled += empty[: 10 - len(counted.first_untitled)]
        counted.rows += len(chunk.frame)
        titled = titled or len(empty) < len(chunk.frame)
        held.append(chunk)
        if titled:
            if clash and not replace:  # after the check for titles, as for a whole file
                raise BadInputError(
                    f"{WHAT} {path} already has the column(s) {', '.join(clash)}, which classify writes",
                    "Rename them (e.g. topic to gold_topic), or pass --replace to overwrite them",
                )
            yield from held
            held = []
    if not titled:
        raise BadInputError(f"{WHAT} {path} has no titles", "Add rows with a title under the header row")
    if counted.untitled:
        from authorstats.config.taxonomy import OTHER

        rows_named = ", ".join(map(str, counted.first_untitled)) + (", ..." if counted.untitled > 10 else "")
        log.warning(
            "%s %s: %d row(s) without a title (data row %s) are tagged %s; fill in their titles",
            WHAT,
            path,
            counted.untitled,
            rows_named,
            OTHER,
        )


def _drop(chunk: Chunk, names: Iterable[str]) -> None:
    clash = [name for name in names if name in chunk.frame.columns]
    if clash:
        chunk.frame = chunk.frame.drop(columns=clash)
        if chunk.arrow is not None:
            chunk.arrow = chunk.arrow.drop_columns(clash)


def _csv_chunks(path: Path, rows: int) -> Iterator[Chunk]:
    """The CSV's chunks as csv_files.read_csv_chunks reads them (pandas' parser), but parsed by pyarrow's where it is
    installed, at a third of the CPU: a file pyarrow reads otherwise than pandas (a row of fewer fields, a line of
    spaces, bytes that are not UTF-8, ...) makes it fail, and pandas reads the file from the first row not given
    yet, with its own rules and errors."""
    from authorstats.shell.csv_files import read_csv_chunks

    given = 0
    try:
        for frame in _arrow_csv_chunks(path, rows):
            given += 1
            yield Chunk(frame)
    except _ArrowCannot:
        pass
    else:
        return
    for number, frame in enumerate(read_csv_chunks(path, WHAT, ["title"], rows)):
        if number >= given:  # the chunks given hold ``rows`` rows each, as pandas' do
            yield Chunk(frame)


class _ArrowCannot(Exception):
    """pyarrow is missing, or reads the file otherwise than pandas would."""


def _arrow_csv_chunks(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """Chunks of ``rows`` rows (the last one shorter) as pandas' read_csv_chunks gives them, parsed by pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pcsv
    except ImportError:
        raise _ArrowCannot from None
    if _has_lone_carriage_return(path):
        raise _ArrowCannot  # pandas reads a lone carriage return in ways of its own
    try:
        with pcsv.open_csv(path) as first:  # the column names (pyarrow guesses the types from the first rows)
            names = first.schema.names
        if "title" not in names or len(set(names)) < len(names) or "" in names or len(names) < 2:
            # pandas' own messages, its names for repeated and empty ones, and in one column, its lines of spaces
            raise _ArrowCannot
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(use_threads=False),
            parse_options=pcsv.ParseOptions(newlines_in_values=True),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        raise _ArrowCannot from None
    held: list[pa.RecordBatch] = []
    count = start = 0
    last: str | None = None  # the last cell read
    with reader:
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except (pa.ArrowException, OSError, ValueError):
                raise _ArrowCannot from None
            held.append(batch)
            count += batch.num_rows
            if batch.num_rows:
                last = batch.column(batch.num_columns - 1)[batch.num_rows - 1].as_py()
            while count > rows:  # a chunk is given once a row follows it: the last one is checked first
                table = pa.Table.from_batches(held)
                yield _frame(table.slice(0, rows), start)
                start += rows
                rest = table.slice(rows)
                held, count = rest.to_batches(), rest.num_rows
    if last is not None and _open_quote_at_end(path, last):
        raise _ArrowCannot  # pyarrow takes a quote never closed for a cell running to the end; pandas refuses it
    # the rest (a file of a header and no rows is one chunk of no rows)
    yield _frame(pa.Table.from_batches(held, schema=reader.schema), start)


def _has_lone_carriage_return(path: Path) -> bool:
    """Whether the file has a carriage return that is not followed by a line feed (one of CRLF is fine)."""
    try:
        with open(path, "rb") as handle:
            carried = b""
            for block in iter(lambda: handle.read(1 << 24), b""):
                block = carried + block
                carried = b"\r" if block.endswith(b"\r") else b""  # its line feed may start the next block
                block = block[: len(block) - len(carried)]
                if block.count(b"\r") != block.count(b"\r\n"):
                    return True
            return carried != b""
    except OSError:
        return False  # pandas says what is wrong


def _open_quote_at_end(path: Path, last: str) -> bool:
    """Whether the file may end inside a quoted cell whose text is ``last``: it ends with a quote and that text
    (its quotes doubled) and no closing quote."""
    import os

    tail = ('"' + last.replace('"', '""')).encode("utf-8")
    with open(path, "rb") as handle:
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(size - len(tail), 0))
        return handle.read() == tail


def _frame(table: pa.Table, start: int) -> pd.DataFrame:
    """Text columns as pandas' read_csv gives them, numbered on from ``start`` as its chunks are."""
    import pandas as pd

    frame = table.to_pandas()
    frame.index = pd.RangeIndex(start, start + len(frame))
    return frame


def _parquet_chunks(path: Path, rows: int) -> Iterator[Chunk]:
    """Record batches of a Parquet file, as Arrow tables and DataFrames; its errors as BadInputError."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except FileNotFoundError:
        raise BadInputError(f"{WHAT} {path} does not exist", "Check the path") from None
    except IsADirectoryError:
        raise BadInputError(f"{WHAT} {path} is a folder", "Point to a Parquet file") from None
    except (pa.ArrowException, OSError) as exc:
        raise BadInputError(
            f"{WHAT} {path} is not a readable Parquet file ({exc})", "Check the file, or give a CSV file (named .csv)"
        ) from None
    if "title" not in parquet.schema_arrow.names:
        raise BadInputError(f"{WHAT} {path} has no title column", "Give it a column named title")
    with parquet:
        if parquet.metadata.num_rows == 0:
            empty = parquet.schema_arrow.empty_table()
            yield Chunk(empty.to_pandas(), empty)
            return
        batches = parquet.iter_batches(batch_size=rows)
        while True:
            try:
                batch = next(batches, None)
            except (pa.ArrowException, OSError) as exc:
                raise BadInputError(f"{WHAT} {path} is not a readable Parquet file ({exc})", "Check the file") from None
            if batch is None:
                return
            table = pa.Table.from_batches([batch])
            yield Chunk(table.to_pandas(), table)


def classified(
    chunks: Iterable[Chunk], taxonomy: Taxonomy, workers: int, csv: bool = False
) -> Iterator[tuple[Chunk, Added]]:
    """Each chunk with its classification as csv_writer's ``added`` columns: (names, distinct rows, codes).

    ``csv``: the chunks go to csv_writer, so the distinct rows of a chunk it writes itself come encoded for it
    (csv_writer.EncodedRows), each distinct result encoded once where it is made (by the workers, if any).

    With ``workers`` of 2 or more, worker processes started once classify every chunk's titles, and each chunk is
    handed to them as soon as it is read, before the last one's cells are taken and given to the caller to write:
    reading, classifying and writing overlap, and the workers find the next chunk waiting when they finish one.
    The results are the same as one chunk after the other in one process.
    """
    from authorstats.classification import engine, parallel
    from authorstats.shell import csv_writer

    def encoder(chunk: Chunk) -> Encode | None:
        return csv_writer.encode_rows if csv and csv_writer.encodes(chunk.frame, engine.COLUMNS) else None

    def added(rows: list[Any], codes: np.ndarray) -> Added:
        if rows and isinstance(rows[0], str):  # encoded (encode_rows), not cells
            return engine.COLUMNS, csv_writer.EncodedRows(rows), codes
        return engine.COLUMNS, rows, codes

    if workers < 2:
        for chunk in chunks:
            yield chunk, added(*engine.classify_cells(chunk.frame, taxonomy, workers=workers, encode=encoder(chunk)))
        return
    import os

    from authorstats.shell import processes

    # on an error or Ctrl-C the block ends the workers at once, and with them the chunks they were given
    with parallel.persistent(taxonomy, workers, processes.start_worker, (os.getpid(),)):
        last: tuple[Chunk, Callable[[], tuple[list[Any], np.ndarray]]] | None = None
        for chunk in chunks:
            started = engine.start_classify_cells(chunk.frame, taxonomy, workers=workers, encode=encoder(chunk))
            if last is not None:
                yield last[0], added(*last[1]())
            last = (chunk, started)
        if last is not None:
            yield last[0], added(*last[1]())


def write(output: Path | None, parts: Iterable[tuple[Chunk, Added]]) -> None:
    """The classified chunks as one CSV (standard output when ``output`` is None) or, for an output named
    .parquet/.pq, one Parquet file; written atomically to a file."""
    from authorstats.shell import csv_writer
    from authorstats.shell.store import _write_output

    if output is not None and is_parquet(output):
        _write_output(output, _parquet_filler(parts))
    else:
        csv_writer.write_output_csv(
            Path("-") if output is None else output, ((chunk.frame, added) for chunk, added in parts)
        )


def _parquet_filler(parts: Iterable[tuple[Chunk, Added]]) -> Callable[[BinaryIO], None]:
    def fill(handle: BinaryIO) -> None:
        import pyarrow.parquet as pq

        writer = None
        try:
            for chunk, added in parts:
                table = arrow_table(chunk, added)
                if writer is None:
                    writer = pq.ParquetWriter(handle, table.schema)
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()

    return fill


def arrow_table(chunk: Chunk, added: Added) -> pa.Table:
    """The chunk's columns (their Parquet types kept; a CSV's as text) and the classification's after them."""
    import numpy as np
    import pyarrow as pa

    table = (
        chunk.arrow
        if chunk.arrow is not None
        else pa.Table.from_pandas(
            chunk.frame,
            schema=pa.schema([(str(name), pa.string()) for name in chunk.frame.columns]),
            preserve_index=False,
        )
    )
    names, rows, codes = added
    for number, name in enumerate(names):
        values = [row[number] for row in rows]
        kind = pa.float64() if name in ("score", "confidence") else pa.string()
        distinct = pa.array(values, type=kind)
        table = table.append_column(
            pa.field(name, kind), distinct.take(pa.array(np.asarray(codes, dtype=np.int64), type=pa.int64()))
        )
    return table


def classify_file(
    source: Path, output: Path | None, taxonomy: Taxonomy, *, replace: bool, workers: int, rows: int = CHUNK_ROWS
) -> int:
    """Classify the rows of ``source`` into ``output`` (None: CSV on standard output); the number of rows."""
    counted = Counted()
    csv = output is None or not is_parquet(output)
    write(output, classified(read_chunks(source, replace, rows, counted), taxonomy, workers, csv))
    return counted.rows
