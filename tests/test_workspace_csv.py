"""write_csv: a report's long tables (publications.csv, duplicates.csv) written a part at a time, the same bytes as
csv_text of the whole table."""

from __future__ import annotations

import pandas as pd
import pytest

from authorstats.shell import csv_files, store

TABLE = pd.DataFrame(
    {
        "author": ["ada", "ada", "bob", "bob", "cy", "cy", "cy"],
        "title": ["=1+1 formula", 'a "quoted", title', "line\nbreak", "Réseaux — «x»", "", "+cmd", "plain"],
        "year": [2021, 2022, 2021, 2020, 2022, 2021, 2022],
        "score": [1.5, 0.0, float("nan"), -0.0, 1e16, 1e-05, 0.1 + 0.2],
        "citations": pd.array([3, None, 0, 7, None, 1, 2], dtype="Int64"),
        "manual": [True, False, False, True, False, False, False],
    }
)


@pytest.mark.parametrize("rows", [1, 2, 3, 7, 50_000])
@pytest.mark.parametrize("frame", [TABLE, TABLE.iloc[:0], TABLE.astype({"title": object})])
def test_the_parts_add_up_to_the_whole_tables_text(tmp_path, monkeypatch, rows, frame):
    monkeypatch.setattr(csv_files, "CSV_ROWS", rows)
    path = csv_files.write_csv(tmp_path / "table.csv", frame)
    assert path.read_bytes() == csv_files.csv_text(frame).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]  # no temporary file left


def test_inside_a_report_the_file_waits_for_the_others(tmp_path):
    workspace = store.Workspace(tmp_path)
    workspace.processed.mkdir(parents=True)
    path = workspace.processed / "publications.csv"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), store.all_or_nothing(workspace):
        csv_files.write_csv(path, TABLE)
        raise RuntimeError("a later file fails")
    assert path.read_text(encoding="utf-8") == "old\n"  # the report's files replace the old ones together or not at all
