"""CSV files at paths the user names (`classify -o`): streamed, spreadsheet-safe, and the bytes of pandas' to_csv.

The hand-written encoder below is kept because it measured several times faster than to_csv on a
million classified rows (docs/classifier.md); frames it does not handle go to to_csv. Where pyarrow is
installed (the parquet extra), its compute functions make each text column spreadsheet-safe and join the
rows (1M classified rows: 2.1 s of CPU -> 1.3 s); the Python encoder writes the same bytes without it.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeAlias

from authorstats.render.spreadsheet import TRIGGERS, neutralise, neutralise_frame, neutralise_texts
from authorstats.shell.store import _write_output

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# What neutralise quotes, as a regular expression for Arrow (RE2): a formula's first character, after any quotes
SPREADSHEET_RISK = "^'*[" + "".join("\\" + c if c in "-]\\^" else c for c in TRIGGERS) + "]"

# Columns after a frame's: their names, their distinct rows of values (or those rows as encode_rows encodes them),
# and each frame row's number among them.
Added: TypeAlias = "tuple[Sequence[str], Sequence[tuple[Any, ...]] | EncodedRows, Any]"


class EncodedRows(list[str]):
    """Distinct rows of added cells already encoded (encode_rows): each row's cells, spreadsheet-safe, as _csv_chunks
    writes them after a frame's own cells, joined by ','."""


def encode_rows(rows: Sequence[tuple[Any, ...]]) -> EncodedRows | None:
    """Each row of added cells as _csv_chunks writes it after a frame's cells; None for cells it leaves to to_csv.
    The classification's workers call it, so that each distinct result is encoded once, where it is made."""
    if not rows:
        return EncodedRows()
    columns = [_csv_cells([row[number] for row in rows]) for number in range(len(rows[0]))]
    encoded = [column for column in columns if column is not None]
    if len(encoded) < len(columns):
        return None
    return EncodedRows(map(",".join, zip(*encoded)))


def encodes(frame: pd.DataFrame, added_names: Sequence[str]) -> bool:
    """Whether _csv_chunks writes ``frame`` with columns ``added_names`` after it itself (else to_csv does)."""
    names = list(frame.columns) + list(added_names)
    if len(names) < 2 or len(set(names)) < len(names) or not all(type(name) is str for name in names):
        return False
    return all(_csv_ready(frame.iloc[:, number]) for number in range(frame.shape[1]))


def write_output_csv(path: Path, parts: Iterable[tuple[pd.DataFrame, Added | None]]) -> Path:
    """A table as CSV (no index) at a path the user named, from consecutive parts of it as ``parts`` yields them,
    so a million-row table is never one string in memory.

    Each part is ``(frame, added)``: a DataFrame, and more columns after the frame's as ``(names, rows, codes)``:
    their distinct rows of values and, for each row of the frame, the number of its row (how classify_table
    gives its results), or None. Text cells a spreadsheet would run as formulas are quoted
    (render/spreadsheet.py), numbers never.
    """

    def fill(handle: BinaryIO) -> None:
        header = True
        for frame, added in parts:
            _write_part(handle, frame, added, header)
            header = False

    return _write_output(path, fill)


def _write_part(handle: BinaryIO, frame: pd.DataFrame, added: Added | None, header: bool) -> None:
    chunks = _csv_chunks(frame, added, header=header)
    if chunks is not None:
        for chunk in chunks:
            handle.write(chunk)
        return
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    neutralise_frame(_with_added(frame, added)).to_csv(text, index=False, header=header)
    text.flush()
    text.detach()  # leave the file to _atomic_write, which syncs and closes it


def _with_added(frame: pd.DataFrame, added: Added | None) -> pd.DataFrame:
    """The frame with the ``added`` columns filled in, row by row (float columns as float64)."""
    if added is None:
        return frame
    import numpy as np

    names, rows, codes = added
    assert not isinstance(rows, EncodedRows), "rows are encoded only for a frame that encodes() accepts"
    frame = frame.copy()
    for number, name in enumerate(names):
        values = [row[number] for row in rows]
        kind = float if all(type(v) is float for v in values) else object
        frame[name] = np.array(values, dtype=kind)[codes]
    return frame


def _csv_chunks(
    frame: pd.DataFrame, added: Added | None = None, rows: int = 50_000, header: bool = True
) -> Iterator[bytes] | None:
    """The UTF-8 bytes of ``neutralise_frame(_with_added(frame, added)).to_csv(index=False)``, ``rows`` rows at a
    time; None for a frame left to to_csv.

    Text and float columns are encoded here, each distinct float once and each text through the csv
    module only when it needs quoting: several times faster than to_csv for a million rows, and the
    same bytes. The added columns are encoded once per distinct row. Other frames (other kinds of
    column, one column, unnamed or repeated column names) are left to to_csv.
    """
    names = list(frame.columns) + (list(added[0]) if added else [])
    if not encodes(frame, list(added[0]) if added else []):
        return None
    ends: list[str] | None = None
    if added:
        # the added cells of each distinct row, encoded where they were made or here
        ends = added[1] if isinstance(added[1], EncodedRows) else encode_rows(added[1])
        if ends is None:
            return None
        codes = added[2].tolist() if hasattr(added[2], "tolist") else list(added[2])
    end = os.linesep  # to_csv's line ending
    arrow = _arrow_encoder()

    def chunks() -> Iterator[bytes]:
        if header:
            yield (",".join(_csv_field(neutralise(name)) for name in names) + end).encode("utf-8")
        for start in range(0, len(frame), rows):
            part = frame.iloc[start : start + rows]
            if arrow is not None:
                encoded = arrow(part, ends, None if ends is None else codes[start : start + rows], end)
                if encoded is not None:
                    yield encoded
                    continue
            columns = [_csv_column(part.iloc[:, number]) for number in range(frame.shape[1])]
            if ends is not None:
                columns.append([ends[c] for c in codes[start : start + rows]])
            yield (end.join(map(",".join, zip(*columns))) + end).encode("utf-8")

    return chunks()


def _arrow_encoder() -> Callable[[pd.DataFrame, list[str] | None, list[int] | None, str], bytes | None] | None:
    """_arrow_rows where pyarrow is installed (the parquet extra), else None: rows are then encoded in Python."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return None
    return _arrow_rows


def _arrow_rows(part: pd.DataFrame, ends: list[str] | None, codes: list[int] | None, end: str) -> bytes | None:
    """The rows of ``part`` (and the ``ends`` of their ``codes`` after them) as the Python encoder writes them,
    each column encoded and the rows joined by Arrow's compute functions, several times quicker for long text
    columns; None for a part whose texts Arrow cannot hold (a lone surrogate), left to the Python encoder."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        columns: list[Any] = [_arrow_column(part.iloc[:, number]) for number in range(part.shape[1])]
    except (pa.ArrowException, UnicodeError):
        return None
    if ends is not None and codes is not None:
        columns.append(pa.array(ends, type=pa.large_string()).take(pa.array(codes, type=pa.int64())))
    text = pa.large_string()
    lines = pc.binary_join_element_wise(*columns, pa.scalar(",", text))
    lines = pc.binary_join_element_wise(lines, pa.scalar("", text), pa.scalar(end, text))  # and its line ending
    if len(lines) == 0:
        return b""
    import numpy as np

    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64)
    data = lines.buffers()[2]
    assert data is not None  # a row is never empty: it has at least one separator and its line ending
    return bytes(data[int(offsets[lines.offset]) : int(offsets[lines.offset + len(lines)])])


def _arrow_column(series: pd.Series) -> Any:  # a pyarrow LargeStringArray (its stubs type compute results loosely)
    """A column that _csv_ready accepts as large strings: its cells as _csv_column writes them."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (series.dtype == object or isinstance(series.dtype, pd.StringDtype)):
        return pa.array(_csv_column(series), type=pa.large_string())  # numbers: their own rules, in Python
    cells = pa.array(series, from_pandas=True)
    if isinstance(cells, pa.ChunkedArray):
        cells = cells.combine_chunks()
    cells = cells.cast(pa.large_string()).fill_null("")
    risky = pc.match_substring_regex(cells, SPREADSHEET_RISK)  # neutralise: a quote before a formula
    if pc.any(risky).as_py():
        quote, nothing = pa.scalar("'", pa.large_string()), pa.scalar("", pa.large_string())
        cells = pc.if_else(risky, pc.binary_join_element_wise(quote, cells, nothing), cells)
    special = pc.match_substring_regex(cells, '[,"\n\r]')  # quoted as the csv module quotes them, in Python
    if pc.any(special).as_py():
        where = np.flatnonzero(special.to_numpy(zero_copy_only=False))
        quoted = [_csv_field(text) for text in cells.take(pa.array(where)).to_pylist()]
        cells = pc.replace_with_mask(cells, special, pa.array(quoted, type=pa.large_string()))
    return cells


def _csv_ready(series: pd.Series) -> bool:
    """Whether _csv_column writes this column: float64, int64 (a year column), or text with missing values."""
    import numpy as np
    import pandas as pd

    if series.dtype in (np.float64, np.int64) or isinstance(series.dtype, pd.StringDtype):
        return True
    # numbers or other objects among texts follow to_csv's own rules
    return series.dtype == object and all(
        type(c) is str or c is None or (type(c) is float and c != c) for c in series.tolist()
    )


def _csv_column(series: pd.Series) -> list[str]:
    """A column that _csv_ready accepts, its cells as to_csv writes them (missing values empty)."""
    import numpy as np

    if series.dtype == np.float64:
        return _csv_floats(series.to_numpy())
    if series.dtype == np.int64:
        return series.astype(str).tolist()  # as to_csv writes integers; numbers are never neutralised
    cells = _csv_cells(series.tolist())
    assert cells is not None  # _csv_ready lets only text and missing values through to here
    return cells


def _csv_cells(cells: list[Any]) -> list[str] | None:
    """Python values as to_csv writes them (texts spreadsheet-safe): texts (missing ones empty) or floats, else None."""
    kinds = set(map(type, cells))  # one pass in C rather than a Python test per cell
    if not kinds <= {str}:
        if kinds == {float}:
            import numpy as np

            return _csv_floats(np.array(cells, dtype=np.float64))
        if not all(type(c) is str or c is None or (type(c) is float and c != c) for c in cells):
            return None  # numbers or other objects among texts: to_csv's own rules
        cells = ["" if type(c) is not str else c for c in cells]
    cells = neutralise_texts(cells)
    joined = "".join(cells)
    if "," in joined or '"' in joined or "\n" in joined or "\r" in joined:
        cells = [_csv_field(c) if ("," in c or '"' in c or "\n" in c or "\r" in c) else c for c in cells]
    return cells


def _csv_floats(numbers: np.ndarray) -> list[str]:
    """float64 values as to_csv writes them: numpy's astype(str), missing ones empty."""
    import numpy as np
    import pandas as pd

    # each distinct bit pattern once (-0.0 is written apart from 0.0)
    codes, distinct = pd.factorize(numbers.view(np.int64))
    distinct = distinct.view(np.float64)
    cells = np.where(np.isnan(distinct), "", distinct.astype(str)).tolist()
    return [cells[c] for c in codes.tolist()]


def _csv_field(text: str) -> str:
    """One cell as the csv module writes it (to_csv's writer: quotes only where needed)."""
    if "," not in text and '"' not in text and "\n" not in text and "\r" not in text:
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([text])
    return buffer.getvalue()[:-1]
