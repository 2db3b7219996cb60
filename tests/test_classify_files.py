"""classify a chunk at a time: the same bytes as classifying the whole table, and Parquet in and out.

The titles are the bundled snapshot's real ones (tests/data/dev_labels.csv, from
src/authorstats/data/publications_2021_2022.csv), with rows added that test the CSV's edges: quotes,
commas and line breaks inside cells, cells a spreadsheet would run as formulas, rows without a title.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from authorstats.classification import engine
from authorstats.cli import app
from authorstats.errors import BadInputError, ExitCode
from authorstats.shell import classify_files, csv_writer
from authorstats.shell.config_files import load_taxonomy
from authorstats.shell.csv_files import read_titles_csv

DATA = Path(__file__).parent / "data"
TAXONOMY = load_taxonomy()
runner = CliRunner()


def write_titles(folder: Path) -> Path:
    """titles.csv in folder: the labelled development titles, with blank titles, quotes, line breaks and formulas."""
    rows = list(csv.DictReader((DATA / "dev_labels.csv").open(encoding="utf-8")))
    path = folder / "titles.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "year", "note"])
        for number, row in enumerate(rows):
            writer.writerow([row["title"], row["year"], f"row {number}"])
            if number % 17 == 0:
                writer.writerow(["", row["year"], "no title"])
            if number % 23 == 0:
                writer.writerow([f'"{row["title"]}", revisited\nwith a line break', "", "=SUM(A1:A2)"])
    return path


@pytest.fixture
def titles(tmp_path) -> Path:
    return write_titles(tmp_path)


def whole_table_bytes(path: Path, tmp_path: Path) -> bytes:
    """What classify -o wrote before it streamed: the whole table classified and written at once."""
    frame = read_titles_csv(path)
    table = engine.classify_table(frame, TAXONOMY)
    out = tmp_path / "whole.csv"
    csv_writer.write_output_csv(out, [(frame, (engine.COLUMNS, table.cells(), table.codes))])
    return out.read_bytes()


@pytest.mark.parametrize("rows", [1, 7, 50, 100_000])
def test_chunks_of_any_size_write_the_bytes_of_the_whole_table(titles, tmp_path, rows):
    out = tmp_path / "tagged.csv"
    count = classify_files.classify_file(titles, out, TAXONOMY, replace=False, workers=1, rows=rows)
    assert out.read_bytes() == whole_table_bytes(titles, tmp_path)
    assert count == len(read_titles_csv(titles)) > 120


def test_the_command_prints_what_it_writes_and_warns_of_untitled_rows_across_chunks(titles, tmp_path):
    printed = runner.invoke(app, ["classify", str(titles)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout.encode("utf-8") == whole_table_bytes(titles, tmp_path)
    untitled = sum(1 for t in read_titles_csv(titles)["title"] if not t.strip())
    assert f"{untitled} row(s) without a title (data row 2, 21, " in printed.stderr


def test_no_titles_in_any_chunk_is_refused_before_anything_is_written(tmp_path):
    path = tmp_path / "empty_titles.csv"
    path.write_text("title,year\n" + ",2021\n" * 25, encoding="utf-8")
    out = tmp_path / "tagged.csv"
    with pytest.raises(BadInputError, match="has no titles"):
        classify_files.classify_file(path, out, TAXONOMY, replace=False, workers=1, rows=4)
    assert not out.exists()
    printed = runner.invoke(app, ["classify", str(path)])
    assert printed.exit_code == ExitCode.BAD_INPUT and printed.stdout == ""


def test_a_bad_row_in_a_later_chunk_leaves_the_output_as_it_was(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,year\n" + "Vision transformers,2021\n" * 10 + "a,b,c\n", encoding="utf-8")
    out = tmp_path / "tagged.csv"
    out.write_text("the previous result\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="not a readable CSV"):
        classify_files.classify_file(path, out, TAXONOMY, replace=False, workers=1, rows=3)
    assert out.read_text(encoding="utf-8") == "the previous result\n"


def test_columns_classify_writes_are_refused_or_replaced(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,topic\nMasked autoencoders are scalable vision learners,mine\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="already has the column"):
        classify_files.classify_file(path, tmp_path / "out.csv", TAXONOMY, replace=False, workers=1)
    classify_files.classify_file(path, tmp_path / "out.csv", TAXONOMY, replace=True, workers=1)
    assert pd.read_csv(tmp_path / "out.csv").columns.tolist() == ["title", *engine.COLUMNS]


def test_parquet_round_trip_keeps_columns_and_types_and_classifies_as_csv(titles, tmp_path):
    source = tmp_path / "typed.parquet"
    frame = read_titles_csv(titles)
    typed = pa.table(
        {
            "title": pa.array(frame["title"].tolist(), pa.string()),
            "year": pa.array([int(y) if y else None for y in frame["year"]], pa.int64()),
            "note": pa.array(frame["note"].tolist(), pa.string()),
        }
    )
    pq.write_table(typed, source)
    out = tmp_path / "tagged.parquet"

    result = runner.invoke(app, ["classify", str(source), "-o", str(out)])

    assert result.exit_code == 0, result.output
    written = pq.read_table(out)
    assert written.schema.names == ["title", "year", "note", *engine.COLUMNS]
    assert written.schema.field("year").type == pa.int64() and written.schema.field("score").type == pa.float64()
    assert written.select(["title", "year", "note"]).equals(typed)
    as_csv = pd.read_csv(io.BytesIO(whole_table_bytes(titles, tmp_path)), dtype=str, keep_default_na=False)
    got = written.to_pandas()
    for name in ("topic", "evidence", "topics"):
        assert got[name].tolist() == [c.lstrip("'") if c.startswith("'") else c for c in as_csv[name]]
    assert got["score"].tolist() == [float(s) for s in as_csv["score"]]


def test_parquet_to_csv_in_batches_is_the_csv_output(titles, tmp_path):
    source = tmp_path / "text.parquet"
    pq.write_table(pa.Table.from_pandas(read_titles_csv(titles), preserve_index=False), source)
    out = tmp_path / "tagged.csv"
    classify_files.classify_file(source, out, TAXONOMY, replace=False, workers=1, rows=9)
    assert out.read_bytes() == whole_table_bytes(titles, tmp_path)


@pytest.mark.parametrize(
    "content, says",
    [
        (b"title\nnot parquet at all\n", "is not a readable Parquet file"),
        (None, "does not exist"),
    ],
)
def test_an_unreadable_parquet_input_is_one_line(tmp_path, content, says):
    path = tmp_path / "in.parquet"
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["classify", str(path), "-o", str(tmp_path / "out.parquet")])
    assert result.exit_code == ExitCode.BAD_INPUT and "Traceback" not in result.output
    assert says in result.stderr and not (tmp_path / "out.parquet").exists()


def test_a_parquet_input_without_titles_column_is_one_line(tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"name": ["x"]}), path)
    result = runner.invoke(app, ["classify", str(path)])
    assert result.exit_code == ExitCode.BAD_INPUT and "has no title column" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("rows", [7, 50])
def test_chunks_classified_by_persistent_workers_write_the_same_bytes(titles, tmp_path, rows, monkeypatch):
    """With two workers, processes started once classify every chunk while this one reads and writes: the same
    bytes as the whole table in one process, and no worker left running afterwards."""
    import multiprocessing

    from authorstats.classification import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)  # every chunk goes to the workers
    started = []
    real_start = multiprocessing.process.BaseProcess.start
    monkeypatch.setattr(
        multiprocessing.process.BaseProcess, "start", lambda self: started.append(self) or real_start(self)
    )
    out = tmp_path / "tagged.csv"
    classify_files.classify_file(titles, out, TAXONOMY, replace=False, workers=2, rows=rows)
    assert out.read_bytes() == whole_table_bytes(titles, tmp_path)
    assert len(started) == 2  # for all the chunks (over 20 of them), not a process per chunk
    assert all(process.exitcode is not None for process in started)


@pytest.mark.slow
def test_a_bad_row_further_on_ends_the_persistent_workers_and_keeps_the_output(tmp_path, monkeypatch):
    import multiprocessing

    from authorstats.classification import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)
    started = []
    real_start = multiprocessing.process.BaseProcess.start
    monkeypatch.setattr(
        multiprocessing.process.BaseProcess, "start", lambda self: started.append(self) or real_start(self)
    )
    path = tmp_path / "titles.csv"
    path.write_text("title,year\n" + "Vision transformers,2021\n" * 10 + "a,b,c\n", encoding="utf-8")
    out = tmp_path / "tagged.csv"
    out.write_text("the previous result\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="not a readable CSV"):
        classify_files.classify_file(path, out, TAXONOMY, replace=False, workers=2, rows=3)
    assert out.read_text(encoding="utf-8") == "the previous result\n"
    assert parallel._persistent == {} and len(started) == 2
    assert all(process.exitcode is not None for process in started)  # ended, not left running


def _chunks_or_error(path: Path, rows: int) -> tuple[list[tuple[list[str], list[list[str]], list[int], str]], str]:
    """What classify_files reads from a CSV: each chunk's names, cells, index and column types, then the error."""
    given = []
    try:
        for chunk in classify_files._csv_chunks(path, rows):
            frame = chunk.frame
            cells = frame.astype(object).where(frame.notna(), None).values.tolist()
            given.append((list(frame.columns), cells, list(frame.index), str(list(frame.dtypes))))
    except BadInputError as error:
        return given, str(error)
    return given, ""


CSV_EDGES = [
    "title,year\na,1\n   \nb,2\n",  # a line of spaces: pandas skips it
    "title,year\na\nb,2\n",  # a row of fewer fields
    "title,year\na,1,x\n",  # a row of more fields
    'title,year\n",1\n',  # a quote never closed
    '\ufefftitle,year\r\na,1\r\n\r\n"b\r\nc",2',  # a byte-order mark, CRLF, a blank line, a break in quotes
    "title,title\na,b\n",  # a repeated name
    "title,\na,b\n",  # an empty name
    "year\n2021\n",  # no title column
    "title,year\n",  # a header and no rows
    "",  # nothing at all
]


@pytest.mark.parametrize("text", CSV_EDGES)
@pytest.mark.parametrize("rows", [1, 2, 100])
def test_pyarrow_reads_a_csv_as_pandas_does_or_leaves_it_to_pandas(tmp_path, monkeypatch, text, rows):
    path = tmp_path / "titles.csv"
    path.write_bytes(text.encode("utf-8") + b"\nx,\xff\n" * ("b,2" in text))  # and bytes that are not UTF-8
    fast = _chunks_or_error(path, rows)
    monkeypatch.setattr(classify_files, "_arrow_csv_chunks", _no_arrow)  # as without pyarrow
    assert fast == _chunks_or_error(path, rows)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab ,"\n\r\t=', max_size=40), st.integers(1, 3))
def test_any_csv_text_is_read_as_pandas_reads_it(tmp_path_factory, body, rows):
    path = tmp_path_factory.mktemp("csv") / "titles.csv"
    path.write_text("title,year\n" + body, encoding="utf-8", newline="")
    fast = _chunks_or_error(path, rows)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(classify_files, "_arrow_csv_chunks", _no_arrow)  # as without pyarrow
        assert fast == _chunks_or_error(path, rows)


def _no_arrow(*args):
    raise classify_files._ArrowCannot
