"""Specialisation (issue 28): each author's activity index per topic against the roster, with a bootstrap interval
that is the same on every run, and a chart that marks only the differences whose interval excludes 1."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

import authorstats
from authorstats.analysis.specialisation import OVER, UNDER, sentence, specialisation
from authorstats.models import Author, Publication
from authorstats.render.specialisation_view import author_views, chart_rows


def matrix(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows).T.fillna(0).astype(int)


MIX = {
    "ada": {"Causality": 8, "Vision": 2, "Theory": 10, "Other": 0},
    "bob": {"Causality": 1, "Vision": 9, "Theory": 10, "Other": 0},
    "cy": {"Causality": 1, "Vision": 9, "Theory": 0, "Other": 0},
}


def test_the_index_is_the_authors_share_over_the_rosters_checked_by_hand():
    spec = specialisation(matrix(MIX))
    row = spec.table[(spec.table.author_key == "ada") & (spec.table.topic == "Causality")].iloc[0]
    # ada: 8 of her 20 works; the roster: 10 of 50 works -> (8 / 20) / (10 / 50) = 2.0
    assert (row.works, row.share, row.baseline_share, row.activity_index) == (8, 0.4, 0.2, 2.0)
    assert row.low <= 2.0 <= row.high
    assert "Other" not in set(spec.table.topic)


def test_intervals_are_the_same_on_every_run_and_in_any_roster_order():
    first = specialisation(matrix(MIX))
    again = specialisation(matrix(MIX))
    pd.testing.assert_frame_equal(first.table, again.table)
    reordered = specialisation(matrix({k: MIX[k] for k in ("cy", "bob", "ada")}))
    for key in MIX:
        mine = first.table[first.table.author_key == key].reset_index(drop=True)
        theirs = reordered.table[reordered.table.author_key == key].reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, theirs)


def test_a_topic_is_marked_only_when_its_interval_excludes_one():
    spec = specialisation(matrix(MIX))
    for row in spec.table.to_dict("records"):
        if row["marked"] == OVER:
            assert row["low"] > 1
        elif row["marked"] == UNDER:
            assert row["high"] < 1
        elif row["works"]:
            assert row["low"] <= 1 <= row["high"]
        else:  # no work in the topic: index 0, no interval, never marked
            assert row["activity_index"] == 0 and pd.isna(row["low"]) and pd.isna(row["high"])
    marked = {(r.author_key, r.topic, r.marked) for r in spec.marked().itertuples()}
    assert ("cy", "Vision", OVER) in marked and ("ada", "Vision", UNDER) in marked  # 9 of 10; 2 of 20 (roster: 40%)


def test_an_author_with_the_rosters_own_mix_is_marked_nowhere():
    same = {"ada": {"A": 10, "B": 10}, "bob": {"A": 10, "B": 10}}
    spec = specialisation(matrix(same))
    assert set(spec.table.activity_index) == {1.0} and spec.marked().empty
    assert sentence(spec.table[spec.table.author_key == "ada"].to_dict("records"), "Ada") == (
        "Ada: no topic whose interval excludes 1."
    )


def test_too_few_works_are_not_shown_and_a_comparison_set_can_be_the_baseline():
    spec = specialisation(matrix({"ada": {"A": 6, "B": 3}, "bob": {"A": 20, "B": 20}}))
    assert spec.too_few == {"ada": 9} and set(spec.table.author_key) == {"bob"}
    field = specialisation(matrix({"bob": {"A": 20, "B": 20}}), baseline={"A": 90, "B": 10}, baseline_name="a field")
    row = field.table[field.table.topic == "B"].iloc[0]
    assert (row.baseline_share, row.activity_index, row.marked) == (0.1, 5.0, OVER) and field.baseline == "a field"


def test_the_chart_draws_the_marked_differences_and_nothing_else():
    roster = [Author("ada", "Ada Lovelace"), Author("bob", "Bob Babbage")]
    causal = [f"Causal discovery with interventions, part {n}" for n in range(12)]
    vision = [f"Image segmentation of cells, part {n}" for n in range(12)]
    records = [Publication(author="ada", title=t, year=2022, source="import") for t in causal]
    records += [Publication(author="bob", title=t, year=2022, source="import") for t in vision]
    data = authorstats.compute_report(
        records,
        roster=roster,
        taxonomy=authorstats.load_taxonomy(),
        years="2022",
        options=authorstats.report_options(clouds=False),
    )
    assert data.specialisation is not None
    marked = data.specialisation.marked()
    drawn = chart_rows(data)
    assert {r[0] for r in drawn} == {
        f"{'Ada Lovelace' if k == 'ada' else 'Bob Babbage'}: {t}" for k, t in zip(marked.author_key, marked.topic)
    }
    assert len(drawn) == len(marked) > 0
    views = {v.key: v for v in author_views(data)}
    assert views["ada"].sentence.startswith("Ada Lovelace: over-represented in Causality (index 2.00")


def test_the_report_writes_the_table_and_says_who_is_not_shown(shared_report):
    workspace = shared_report[0]
    rows = list(csv.DictReader(open(workspace / "reports" / "specialisation.csv", encoding="utf-8")))
    assert {r["author_key"] for r in rows} == {"bengio", "lecun", "hinton"}
    lecun = {r["topic"]: r for r in rows if r["author_key"] == "lecun"}
    assert lecun["Self-Supervised"]["marked"] == OVER  # 13 of his 33 works, 12% of the roster's
    summary = (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "## Specialisation, 2021-2022" in summary and "Yann LeCun: over-represented in Self-Supervised" in summary
    assert (workspace / "reports" / "specialisation.png").exists()
    page = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    assert '<section id="specialisation">' in page and 'href="#specialisation"' in page


@pytest.mark.parametrize("works", [0, 9])
def test_an_author_under_the_minimum_gets_a_note_on_the_page(works):
    roster = [Author("ada", "Ada Lovelace"), Author("bob", "Bob Babbage")]
    records = [Publication(author="ada", title=f"Causal models {n}", year=2022, source="import") for n in range(works)]
    records += [
        Publication(author="bob", title=f"Image segmentation {n}", year=2022, source="import") for n in range(12)
    ]
    data = authorstats.compute_report(
        records,
        roster=roster,
        taxonomy=authorstats.load_taxonomy(),
        years="2022",
        options=authorstats.report_options(clouds=False),
    )
    (ada,) = [v for v in author_views(data) if v.key == "ada"]
    assert ada.note == f"Not shown: {works} works in this window, fewer than the 10 an interval needs." and not ada.rows


def test_report_baseline_measures_against_a_comparison_set(workspace, tmp_path):
    from typer.testing import CliRunner

    from authorstats.cli import app

    field = tmp_path / "field.csv"  # a topic_counts.csv of other authors: summed per topic
    field.write_text("author,topic,count\nx,Causality,50\nx,Self-Supervised,5\ny,Architecture,45\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["report", "-w", str(workspace), "--tables-only", "-a", "lecun", "--baseline", str(field)]
    )
    assert result.exit_code == 0, result.output
    rows = {r["topic"]: r for r in csv.DictReader(open(workspace / "reports" / "specialisation.csv", encoding="utf-8"))}
    assert set(rows) == {"Causality", "Self-Supervised", "Architecture"}  # a topic the set lacks has no index
    assert rows["Self-Supervised"]["baseline_share"] == "0.05" and rows["Self-Supervised"]["marked"] == OVER
    summary = (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "its share of the comparison set field.csv's works" in summary


@pytest.mark.parametrize(
    "text, said",
    [
        ("topic,count\nQuantum,5\n", "line 2: 'Quantum' is not a topic this report counts in"),
        ("topic,count\nCausality,many\n", "line 2: count 'many' is not a whole number"),
        ("topic,count\nCausality,0\n", "has no works"),
        ("topic,works\nCausality,3\n", "count"),
    ],
)
def test_a_bad_baseline_file_is_one_line_and_exit_2(workspace, tmp_path, text, said):
    from typer.testing import CliRunner

    from authorstats.cli import app

    bad = tmp_path / "bad.csv"
    bad.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["report", "-w", str(workspace), "--tables-only", "--baseline", str(bad)])
    assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output, result.output
