"""report --reference: parsing a reference table, comparing per author (counts, differences, agreement), and the
bundled seminar's tables compared by default on the bundled snapshot."""

from __future__ import annotations

import html

import pandas as pd
import pytest
from typer.testing import CliRunner

from authorstats.analysis.reference import MIN_PAPERS, agreement, compare
from authorstats.analysis.report import AuthorData, Provenance
from authorstats.cli import app
from authorstats.config.reference import parse_reference
from authorstats.config.taxonomy import parse_taxonomy
from authorstats.errors import BadInputError
from authorstats.models import Author

runner = CliRunner()


def rows(text: str) -> list[dict[str, str]]:
    lines = [line.split(",") for line in text.strip().splitlines()]
    return [dict(zip(lines[0], line)) for line in lines[1:]]


def author_data(key: str, name: str, counts: dict[str, int]) -> AuthorData:
    """An author's part of a report with the seminar-shaped table of ``counts`` (Total first)."""
    table = pd.DataFrame([("Total", sum(counts.values())), *counts.items()], columns=["Topic", "Count"])
    return AuthorData(
        Author(key, name),
        Provenance(key, ("scholar",), sum(counts.values()), sum(counts.values())),
        table,
        pd.DataFrame(),
        pd.DataFrame(),
    )


def test_a_reference_keeps_its_total_rows_and_unknown_topics():
    ref = parse_reference(
        rows("""
author,topic,count
ann,Total,5
ann,Architecture,3
ann,Quantum Gardening,2
bob,total,110
"""),
        "ref.csv",
    )
    assert [(a.author, a.topics, a.total) for a in ref.authors] == [
        ("ann", (("Architecture", 3), ("Quantum Gardening", 2)), 5),
        ("bob", (), 110),
    ]


@pytest.mark.parametrize(
    "text, problem",
    [
        ("author,topic\nann,RL", "no count column"),
        ("author,topic,count\nann,RL,two", "count 'two' is not a whole number"),
        ("author,topic,count\nann,RL,-1", "count '-1' is not a whole number"),
        ("author,topic,count\nann,RL,1\nann,RL,2", "'ann' has 'RL' twice"),
        (
            "author,topic,count\nann,Total,2\nann,RL,3",
            "the Total of 'ann' (2) is smaller than its topics add up to (3)",
        ),
        ("author,topic,count\n,RL,3", "line 2: no author"),
    ],
)
def test_a_bad_reference_is_refused_naming_the_problem(text, problem):
    with pytest.raises(BadInputError, match="reference file ref.csv") as caught:
        parse_reference(rows(text), "ref.csv")
    assert problem in str(caught.value)


def test_agreement_is_one_minus_the_total_variation_distance():
    # shares 1/2, 1/2, 0 against 3/4, 0, 1/4: distance (1/4 + 1/2 + 1/4) / 2 = 1/2
    assert agreement({"A": 2, "B": 2}, {"A": 3, "X": 1}) == pytest.approx(0.5)
    assert agreement({"A": 4}, {"A": 1}) == pytest.approx(1.0)  # the totals do not enter it
    assert agreement({"A": 1}, {"B": 7}) == pytest.approx(0.0)
    assert agreement({}, {"A": 1}) is None


def test_the_comparison_shows_unknown_topics_and_missing_authors():
    ref = parse_reference(
        rows("""
author,topic,count
Ann Lee,Architecture,9
Ann Lee,Quantum Gardening,3
zoe,RL,4
"""),
        "ref.csv",
    )
    taxonomy = parse_taxonomy(
        "[[topic]]\nname = 'Architecture'\n[topic.terms]\n'layer' = 2\n"
        "[[topic]]\nname = 'RL'\n[topic.terms]\n'reward' = 2\n"
    )
    result = compare(
        [author_data("ann", "Ann Lee", {"Architecture": 6, "RL": 6}), author_data("bob", "Bob Ray", {"RL": 1})],
        ref,
        taxonomy,
    )
    ann, bob = result.authors
    assert [(t.topic, t.reference, t.ours, t.difference, t.in_taxonomy) for t in ann.topics] == [
        ("Architecture", 9, 6, -3, True),
        ("Quantum Gardening", 3, 0, -3, False),
        ("RL", 0, 6, 6, True),
    ]
    assert ann.agreement == pytest.approx(0.5) and ann.coverage_gap == 0
    low, high = ann.interval
    assert 0 <= low <= high <= 1 and ann.agreement_text.startswith("50% (95% bootstrap interval ")
    assert "Quantum Gardening" in ann.explanation() and "not topics of the taxonomy" in ann.explanation().lower()
    assert bob.reference_total is None and bob.agreement is None  # in the report, not in the reference
    assert "has no table of Bob Ray" in bob.explanation()
    assert result.unmatched == ("zoe",)  # in the reference, not in the report
    table = result.table()
    assert list(table["topic"]) == ["Total", "Architecture", "Quantum Gardening", "RL"]  # bob has no rows
    assert list(table["in_taxonomy"]) == ["", "yes", "no", "yes"]
    assert table.iloc[0]["agreement"] == "0.500"


@pytest.fixture(scope="module")
def seminar_report(shared_report):
    """The bundled snapshot's report with the defaults (conftest.py; read only)."""
    return shared_report


def test_the_bundled_report_is_compared_with_the_seminar_by_default(seminar_report):
    root, output = seminar_report
    table = pd.read_csv(root / "reports" / "reference_comparison.csv", dtype=str, keep_default_na=False)
    totals = table[table["topic"] == "Total"].set_index("author")
    # the seminar's totals beside the snapshot's 72/33/15
    assert totals[["reference", "authorstats"]].to_dict("index") == {
        "bengio": {"reference": "110", "authorstats": "72"},
        "lecun": {"reference": "27", "authorstats": "33"},
        "hinton": {"reference": "15", "authorstats": "15"},
    }
    lecun = table[(table["author"] == "lecun") & (table["topic"] != "Total")].set_index("topic")["reference"]
    assert lecun.astype(int).to_dict() == {
        "Self-Supervised": 13,
        "Architecture": 4,
        "Optimization": 2,
        "Representation": 2,
        "Augmentation": 1,
        "Contrastive": 1,
        "Generation": 1,
        "Physics": 1,
        "RL": 1,
        "Robotics": 1,
        **{
            t: 0
            for t in lecun.index
            if t
            not in {
                "Self-Supervised",
                "Architecture",
                "Optimization",
                "Representation",
                "Augmentation",
                "Contrastive",
                "Generation",
                "Physics",
                "RL",
                "Robotics",
            }
        },
    }
    assert totals.loc["bengio", "agreement"] == ""  # the seminar gives Bengio's total only
    assert 0 < float(totals.loc["lecun", "agreement"]) < 1 and 0 < float(totals.loc["hinton", "agreement"]) < 1
    page = html.unescape((root / "reports" / "index.html").read_text(encoding="utf-8"))
    summary = (root / "reports" / "summary.md").read_text(encoding="utf-8")
    for text in (page, summary):
        assert "Coverage: the seminar counts 27 works, authorstats' data holds 33 (6 more)" in text
        assert "Shares: the topic shares agree" in text and "both move the shares" in text
    assert (root / "reports" / "lecun_reference.png").is_file() and not (
        root / "reports" / "bengio_reference.png"
    ).exists()
    assert "Compared with the seminar's tables" in output


@pytest.mark.slow
def test_reference_none_turns_the_comparison_off_and_another_window_has_none(tmp_path):
    for number, extra in enumerate((["--reference", "none"], ["--years", "2022"])):
        ws = tmp_path / str(number)
        ws.mkdir()
        result = runner.invoke(app, ["report", "-w", str(ws), "--no-clouds", "--dpi", "50", *extra])
        assert result.exit_code == 0, result.output
        assert not (ws / "reports" / "reference_comparison.csv").exists()
        assert "Compared with" not in (ws / "reports" / "index.html").read_text(encoding="utf-8")
        # turned off by hand: nothing to say; off because of the window: the terminal says why and how
        left_out = [line for line in result.stderr.splitlines() if "no comparison with the seminar" in line]
        assert left_out == (
            []
            if number == 0
            else [
                "Warning: no comparison with the seminar's tables: they count 2021-2022 and this report 2022; "
                "report --years 2021-2022 compares them, or --reference FILE.csv a table of 2022"
            ]
        )


@pytest.mark.slow
def test_a_reference_file_of_ones_own(tmp_path):
    ref = tmp_path / "mine.csv"
    ref.write_text("author,topic,count\nHinton,Total,12\nhinton,Dreams,12\n", encoding="utf-8")
    result = runner.invoke(
        app, ["report", "-w", str(tmp_path), "-a", "hinton", "--no-clouds", "--dpi", "50", "--reference", str(ref)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(tmp_path / "reports" / "reference_comparison.csv", dtype=str, keep_default_na=False)
    dreams = table[table["topic"] == "Dreams"].iloc[0]
    assert (dreams["reference"], dreams["authorstats"], dreams["in_taxonomy"]) == ("12", "0", "no")
    assert table[table["topic"] == "Total"].iloc[0]["agreement"] == "0.000"


def test_an_agreement_over_too_few_papers_is_withheld_and_says_why():
    ref = parse_reference(rows("author,topic,count\nann,Architecture,2\nann,RL,1\n"), "ref.csv")
    taxonomy = parse_taxonomy(
        "[[topic]]\nname = 'Architecture'\n[topic.terms]\n'layer' = 2\n"
        "[[topic]]\nname = 'RL'\n[topic.terms]\n'reward' = 2\n"
    )
    (ann,) = compare([author_data("ann", "Ann Lee", {"Architecture": 1, "RL": 1})], ref, taxonomy).authors
    assert ann.agreement is None and ann.interval is None
    assert ann.agreement_text == f"withheld: {ann.withheld}"
    assert f"fewer than {MIN_PAPERS} papers" in ann.withheld and "authorstats 2, the reference 3" in ann.withheld
    assert "%" not in ann.agreement_text and "no agreement is given" in ann.explanation()


def test_the_terminal_prints_no_percentage_for_a_small_table(tmp_path):
    ref = tmp_path / "small.csv"
    ref.write_text("author,topic,count\nhinton,Architecture,2\nhinton,Representation,1\n", encoding="utf-8")
    result = runner.invoke(
        app, ["report", "-w", str(tmp_path), "-a", "hinton", "--tables-only", "--reference", str(ref)]
    )
    assert result.exit_code == 0, result.output
    (line,) = [line for line in result.output.splitlines() if line.startswith("Geoffrey Hinton: Total")]
    assert "%" not in line and "withheld: fewer than 10 papers" in line


def test_a_bad_reference_file_is_exit_2_in_one_line(tmp_path):
    ref = tmp_path / "bad.csv"
    ref.write_text("author,topic,count\nlecun,RL,many\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--reference", str(ref)])
    assert result.exit_code == 2
    assert "count 'many' is not a whole number" in result.output and "Traceback" not in result.output
