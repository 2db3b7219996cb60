"""write_output_csv streams a table into place: the same bytes as to_csv of the spreadsheet-safe table, atomically, in
an existing folder only."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authorstats.errors import OutputError
from authorstats.render.spreadsheet import neutralise_frame
from authorstats.shell import csv_writer


def test_writes_what_to_csv_gives(tmp_path):
    frame = pd.DataFrame({"title": ["Réseaux — «x»", 'a "quoted", title', "line\nbreak"], "score": [1.5, 0.0, None]})
    path = csv_writer.write_output_csv(tmp_path / "out.csv", [(frame, None)])
    assert path.read_bytes() == frame.to_csv(index=False).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left


def test_a_missing_folder_is_an_error_and_nothing_is_written(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        csv_writer.write_output_csv(tmp_path / "missing" / "out.csv", [(pd.DataFrame({"title": ["x"]}), None)])
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="disk is full"):
        csv_writer.write_output_csv(target, [(Broken({"title": ["x"]}), None)])
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


TRICKY = pd.DataFrame(
    {
        "title": [
            "plain",
            'a "quoted", title',
            "line\nbreak",
            "carriage\rreturn",
            "",
            " spaced ",
            "Réseaux — «x»",
            None,
        ],
        "year": ["2021", "", "2022", "x,y", '"', "2021", "", "2020"],
        "score": [1.5, 0.0, float("nan"), -0.0, 1e16, 1e-05, 0.1 + 0.2, 123456789.125],
    }
)


def test_text_and_float_columns_are_written_as_to_csv_writes_them(tmp_path):
    for frame in (TRICKY, TRICKY.astype({"title": object}), TRICKY.iloc[:0], TRICKY.fillna("")):
        path = csv_writer.write_output_csv(tmp_path / "out.csv", [(frame, None)])
        assert path.read_bytes() == frame.to_csv(index=False).encode("utf-8")


@pytest.mark.parametrize("arrow", [True, False])
def test_the_arrow_and_the_python_encoders_write_the_same_bytes(monkeypatch, arrow):
    if not arrow:  # as without pyarrow installed
        monkeypatch.setattr(csv_writer, "_arrow_encoder", lambda: None)
    hostile = TRICKY.assign(note=["=1+2", "'-x", "@a,b", "\tx", "''+y", "plain", "-", None])
    rows = [("=Other", 1.5, 'a "b"'), ("RL", -0.0, "")]
    added = (["topic", "score2", "evidence"], rows, [0, 1] * 4)
    expected = neutralise_frame(hostile.assign(topic=["=Other", "RL"] * 4, score2=[1.5, -0.0] * 4))
    expected = expected.assign(evidence=['a "b"', ""] * 4).to_csv(index=False).encode("utf-8")
    for frame in (hostile, hostile.astype({"title": "str", "note": "str"})):
        assert b"".join(csv_writer._csv_chunks(frame, added, rows=3)) == expected


def test_rows_are_streamed_in_chunks_that_add_up_to_to_csv():
    chunks = list(csv_writer._csv_chunks(TRICKY, rows=3))
    assert len(chunks) == 1 + 3  # the header, then 8 rows in threes
    assert b"".join(chunks) == TRICKY.to_csv(index=False).encode("utf-8")


def test_other_frames_are_left_to_to_csv(tmp_path):
    others = (
        TRICKY.assign(count=pd.array(range(len(TRICKY)), dtype="Int64")),  # a nullable integer column
        TRICKY[["title"]],  # one column
        pd.DataFrame([["a", "b"]], columns=["x", "x"]),  # a repeated name
        pd.DataFrame({"title": ["a", 1], "year": ["b", "c"]}, dtype=object),  # a number in a text column
    )
    for frame in others:
        assert csv_writer._csv_chunks(frame) is None
        path = csv_writer.write_output_csv(tmp_path / "out.csv", [(frame, None)])
        assert path.read_bytes() == frame.to_csv(index=False).encode("utf-8")


def test_added_columns_follow_the_frame_each_distinct_row_where_its_code_says(tmp_path):
    rows = [("Vision, mostly", 1.5, "a;b"), ("Other", -0.0, ""), ('say "x"', float("nan"), "c")]
    codes = [2, 0, 0, 1, 2, 1, 0, 1]
    expected = TRICKY.assign(
        topic=[rows[c][0] for c in codes], score2=[rows[c][1] for c in codes], evidence=[rows[c][2] for c in codes]
    )
    path = csv_writer.write_output_csv(tmp_path / "out.csv", [(TRICKY, (["topic", "score2", "evidence"], rows, codes))])
    assert path.read_bytes() == expected.to_csv(index=False).encode("utf-8")
    counted = TRICKY.assign(count=range(len(TRICKY)))  # an integer column (a year, say): encoded here too, same bytes
    assert csv_writer._csv_chunks(counted, (["topic"], [("x",), ("y",)], [0, 1] * 4)) is not None
    path = csv_writer.write_output_csv(tmp_path / "out.csv", [(counted, (["topic"], [("x",), ("y",)], [0, 1] * 4))])
    assert path.read_bytes() == counted.assign(topic=["x", "y"] * 4).to_csv(index=False).encode("utf-8")


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(), st.text(alphabet=",\"\n\r ab=+-@\t'"), st.floats(allow_nan=True, allow_infinity=True)),
        min_size=1,
        max_size=8,
    )
)
def test_any_text_and_numbers_give_the_bytes_of_to_csv(rows):
    frame = pd.DataFrame(rows, columns=["title", "note", "score"]).astype({"title": "str", "note": "str"})
    chunks = csv_writer._csv_chunks(frame, rows=3)
    assert b"".join(chunks) == neutralise_frame(frame).to_csv(index=False).encode("utf-8")
