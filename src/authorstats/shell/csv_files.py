"""The CSV files of classify, evaluate and review: read as text columns with one clear error per failure, and the
tables written for people as spreadsheet-safe CSV text (render/spreadsheet.py), which the workspace readers undo."""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from authorstats.errors import BadInputError
from authorstats.render.spreadsheet import neutralise_frame, restore_frame
from authorstats.shell import store

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.evaluate import Evaluation

log = logging.getLogger(__name__)


def read_csv(path: Path, what: str, required: list[str]) -> pd.DataFrame:
    """A CSV file as text columns; every way it can fail is one BadInputError naming the file."""
    import pandas as pd

    path = Path(path)
    with _reading(path, what, required):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", index_col=False)
    _check_columns(frame, path, what, required)
    return frame


def read_csv_chunks(path: Path, what: str, required: list[str], rows: int) -> Iterator[pd.DataFrame]:
    """The chunks of ``rows`` rows that read_csv would read (the last one shorter), read one at a time; the same
    errors, each raised when its chunk is read. A file with a header and no rows is one chunk of no rows."""
    import pandas as pd

    path = Path(path)
    with _reading(path, what, required):
        chunks = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", index_col=False, chunksize=rows)
    with chunks:
        first = True
        while True:
            with _reading(path, what, required):
                chunk = next(chunks, None)
            if chunk is None:
                return
            if first:
                _check_columns(chunk, path, what, required)
                first = False
            yield chunk


@contextlib.contextmanager
def _reading(path: Path, what: str, required: list[str]) -> Iterator[None]:
    """pandas' errors while reading ``path`` as one BadInputError each, naming the file and the fix."""
    import pandas as pd

    try:
        with warnings.catch_warnings():
            # A first row longer than the header would silently shift every column (pandas makes the
            # extra cells an index, or drops them with index_col=False and a warning): refuse instead.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            yield
    except pd.errors.ParserWarning:
        raise BadInputError(
            f"{what} {path} has rows with more fields than its header row",
            "Quote the fields that contain commas, or fix the header",
        ) from None
    except FileNotFoundError:
        raise BadInputError(f"{what} {path} does not exist", "Check the path") from None
    except IsADirectoryError:
        raise BadInputError(f"{what} {path} is a folder", "Point to a CSV file") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{what} {path} is not UTF-8 text", "Save it as UTF-8 CSV") from None
    except pd.errors.EmptyDataError:
        raise BadInputError(
            f"{what} {path} is empty", f"Give it a header row naming {', '.join(required)}, then rows"
        ) from None
    except pd.errors.ParserError as exc:
        raise BadInputError(f"{what} {path} is not a readable CSV ({exc})", "Fix the CSV") from None
    except OSError as exc:
        raise BadInputError(
            f"cannot read {what} {path}: {exc.strerror or exc}", "Check the path and permissions"
        ) from None


def _check_columns(frame: pd.DataFrame, path: Path, what: str, required: list[str]) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise BadInputError(
            f"{what} {path} has no {' or '.join(missing)} column",
            f"Give it a header row naming {', '.join(required)}",
        )


def csv_text(frame: pd.DataFrame) -> str:
    """A table as the CSV text of a file people open (no index): text cells that a spreadsheet would run as
    formulas get a leading quote; numbers are written as numbers."""
    return neutralise_frame(frame).to_csv(index=False)


CSV_ROWS = 50_000  # rows made into text at a time by write_csv


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """``csv_text(frame)`` written to ``path`` as store.atomic_write_text writes it, made and written CSV_ROWS rows
    at a time: a table of a million rows is never held as one text (nor as its bytes)."""

    def fill(handle: BinaryIO) -> None:
        for start in range(0, max(len(frame), 1), CSV_ROWS):
            part = neutralise_frame(frame.iloc[start : start + CSV_ROWS])
            handle.write(part.to_csv(index=False, header=start == 0).encode("utf-8"))

    return store._atomic_write(path, fill)


def read_workspace_csv(path: Path, what: str) -> pd.DataFrame:
    """A labels, review or processed CSV as text columns, the quotes csv_text added taken off again; a zero-byte
    file is a table of labels with no rows."""
    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        import pandas as pd

        from authorstats.config.labels import LABEL_COLUMNS

        return pd.DataFrame(columns=LABEL_COLUMNS)
    return restore_frame(read_csv(path, what, []))


def read_titles_csv(path: Path, what: str = "input file") -> pd.DataFrame:
    """A CSV of titles to classify; rows without a title are kept (they come out as Other) with a warning."""
    from authorstats.config.taxonomy import OTHER

    frame = read_csv(path, what, ["title"])
    untitled = frame.index[frame["title"].str.strip() == ""]
    if len(untitled) == len(frame):
        raise BadInputError(f"{what} {path} has no titles", "Add rows with a title under the header row")
    if len(untitled):
        rows = ", ".join(str(i + 1) for i in untitled[:10]) + (", ..." if len(untitled) > 10 else "")
        log.warning(
            "%s %s: %d row(s) without a title (data row %s) are tagged %s; fill in their titles",
            what,
            path,
            len(untitled),
            rows,
            OTHER,
        )
    return frame


def read_labels_csv(path: Path) -> pd.DataFrame:
    """A labelled CSV for evaluate: ``title`` and ``topic`` (and optional ``also_ok``); untitled rows are left out."""
    frame = restore_frame(read_csv(path, "labels file", ["title", "topic"]))  # data/labels.csv is one
    if "also_ok" not in frame.columns:
        frame["also_ok"] = ""
    untitled = int((frame["title"].str.strip() == "").sum())
    if untitled:
        log.warning("labels file %s: %d row(s) without a title were left out of the evaluation", path, untitled)
    frame = frame[frame["title"].str.strip() != ""].reset_index(drop=True)
    if frame.empty:
        raise BadInputError(f"labels file {path} has no labelled titles", "Add rows of title,topic")
    return frame


def read_review(path: Path) -> pd.DataFrame:
    """A review file a person filled in."""
    path = Path(path)
    if not path.exists():
        raise BadInputError(f"review file {path} does not exist", "Check the path, or run `authorstats review` first")
    return read_workspace_csv(path, "review file")


def read_processed(workspace: store.Workspace) -> pd.DataFrame:
    """data/processed/publications.csv as written by `authorstats report`."""
    from authorstats.config.labels import check_processed

    path = workspace.processed / "publications.csv"
    if not path.exists():
        raise BadInputError(f"no {path} yet", "Run `authorstats report` first; review lists its least certain records")
    return check_processed(read_workspace_csv(path, "processed file"), path)


def write_evaluation(result: Evaluation, folder: Path) -> list[Path]:
    """Write confusion.png, misclassified.csv, per_topic.csv and calibration.csv into ``folder``."""
    from authorstats.render import charts

    folder = Path(folder)
    fig, ax = charts.new_figure(9, 8, 120)
    charts.draw_confusion(ax, result.confusion)
    return [
        store.atomic_write_bytes(folder / "confusion.png", charts.figure_bytes(fig, "png")),
        store.atomic_write_text(folder / "misclassified.csv", csv_text(result.misclassified)),
        store.atomic_write_text(folder / "per_topic.csv", csv_text(result.per_topic)),
        store.atomic_write_text(folder / "calibration.csv", csv_text(result.calibration)),
    ]
