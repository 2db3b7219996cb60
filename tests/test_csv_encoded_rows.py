"""Added cells encoded ahead (csv_writer.encode_rows, as classify's workers encode each distinct result once) are
written as the same bytes as the cells themselves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from authorstats.shell import csv_writer

NAMES = ("topic", "score", "evidence", "topics", "confidence")
_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(["=SUM(A1)", "-x", '"quoted", yes', "a\nb", "+1", "@me"]))
_ROW = st.tuples(_TEXT, st.floats(allow_nan=False, width=64), _TEXT, _TEXT, st.floats(0, 1))


@settings(max_examples=25, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=8), st.lists(st.integers(0, 7), min_size=1, max_size=12))
def test_encoded_rows_write_the_bytes_of_their_cells(tmp_path_factory, rows, picks):
    codes = np.array([p % len(rows) for p in picks], dtype=np.int64)
    frame = pd.DataFrame({"title": [f"title {n}" for n in range(len(codes))], "note": ["=1+1"] * len(codes)})
    assert csv_writer.encodes(frame, NAMES)
    encoded = csv_writer.encode_rows(rows)
    assert isinstance(encoded, csv_writer.EncodedRows) and len(encoded) == len(rows)
    folder = tmp_path_factory.mktemp("encoded")
    plain = csv_writer.write_output_csv(folder / "cells.csv", [(frame, (NAMES, rows, codes))])
    ahead = csv_writer.write_output_csv(folder / "encoded.csv", [(frame, (NAMES, encoded, codes))])
    assert ahead.read_bytes() == plain.read_bytes()


def test_frames_left_to_to_csv_are_not_encoded_ahead():
    assert not csv_writer.encodes(pd.DataFrame({"title": ["x"], "n": [object()]}), NAMES)  # not text or numbers
    assert not csv_writer.encodes(pd.DataFrame({"topic": ["x"]}), NAMES)  # a repeated name
    assert csv_writer.encode_rows([("x", 1, "e", "t", 0.5)]) is None  # an integer score: to_csv's own rules
