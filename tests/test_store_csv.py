"""write_output_csv streams a table into place: the same bytes as to_csv, atomically, in an existing folder only."""

import pandas as pd
import pytest

from authorstats import store
from authorstats.errors import OutputError


def test_writes_what_to_csv_gives(tmp_path):
    frame = pd.DataFrame({"title": ["Réseaux — «x»", 'a "quoted", title', "line\nbreak"], "score": [1.5, 0.0, None]})
    path = store.write_output_csv(tmp_path / "out.csv", frame)
    assert path.read_bytes() == frame.to_csv(index=False).encode("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]  # no temporary file left


def test_a_missing_folder_is_an_error_and_nothing_is_written(tmp_path):
    with pytest.raises(OutputError, match="does not exist"):
        store.write_output_csv(tmp_path / "missing" / "out.csv", pd.DataFrame({"title": ["x"]}))
    assert list(tmp_path.iterdir()) == []


def test_a_failure_while_writing_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old\n", encoding="utf-8")

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match="disk is full"):
        store.write_output_csv(target, Broken({"title": ["x"]}))
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
