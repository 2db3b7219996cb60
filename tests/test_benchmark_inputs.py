"""The benchmark's input generators make valid data (benchmarks/inputs.py; nothing here is timed)."""

import csv
import importlib.util
import sys
from collections import Counter
from pathlib import Path

from authorstats.models import YearWindow
from authorstats.shell import config_files, store

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "inputs.py"
_spec = importlib.util.spec_from_file_location("benchmark_inputs", _PATH)
inputs = importlib.util.module_from_spec(_spec)
sys.modules["benchmark_inputs"] = inputs
_spec.loader.exec_module(inputs)


def test_titles_are_made_of_real_title_words_and_rarely_repeat(tmp_path):
    path = inputs.write_titles_csv(tmp_path / "titles.csv", 500, seed=3)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 500 and set(rows[0]) == {"title", "year"}
    real_words = {w.rstrip(":") for row in inputs.real_rows() for w in row["title"].split()}
    for row in rows:
        words = row["title"].split()
        assert 1 <= len(words) <= 25
        assert {w.rstrip(":") for w in words} <= real_words
        assert sum(w.endswith(":") for w in words) <= 1
        assert row["year"] in ("2021", "2022")
    assert len({row["title"] for row in rows}) > 450


def test_titles_are_the_same_for_the_same_seed(tmp_path):
    first = inputs.write_titles_csv(tmp_path / "a.csv", 50, seed=7).read_bytes()
    second = inputs.write_titles_csv(tmp_path / "b.csv", 50, seed=7).read_bytes()
    assert first == second


def test_raw_folder_and_roster_load_as_the_report_reads_them(tmp_path):
    roster_path = inputs.write_raw_folder(tmp_path, 3, 40)
    authors = config_files.load_roster(roster_path)
    assert [a.key for a in authors] == ["a00000", "a00001", "a00002"]
    workspace = store.Workspace(tmp_path)
    assert workspace.raw_sources() == ["import"]
    window = YearWindow(2021, 2022)
    for author in authors:
        records = list(store.read_jsonl(workspace.raw_file("import", author.key)))
        assert len(records) == 40
        assert all(r.author == author.key and r.year in window and r.title for r in records)


def test_some_generated_records_are_second_versions_of_others():
    records = inputs.author_records(0, 200, duplicate_share=0.1)
    preprints = [r for r in records if r["venue"] == "arXiv preprint"]
    assert preprints
    titles = {r["title"].lower().rstrip(".") for r in records if r["venue"] != "arXiv preprint"}
    assert all(p["title"].lower().rstrip(".") in titles for p in preprints)


def test_scholar_profile_has_a_thousand_rows_newest_first():
    rows = inputs.scholar_rows()
    assert len(rows) == 1000
    years = [year for _, year in rows]
    assert years == sorted(years, reverse=True)
    assert Counter(years) == Counter(inputs.SCHOLAR_YEARS)
