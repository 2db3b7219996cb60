"""Issue 25, people's names through the command line: compared in ASCII as anyascii writes them (ø, ł, đ, which
Unicode's decomposition leaves alone) and without a generational suffix, when importing and among co-authors."""

from __future__ import annotations

import csv
import io

import pytest
from imported import import_, records, runner, skipped, write

from authorstats.cli import app

# --- names: compared in ASCII (ø, ł, đ), in matching and among co-authors ----------------------------------

ROSTER = """
[[author]]
key = "hauberg"
name = "Søren Hauberg"

[[author]]
key = "kaiser"
name = "Łukasz Kaiser"

[[author]]
key = "djordje"
name = "Đorđe Petrović"

[[author]]
key = "king"
name = "Martin Luther King"
"""


def test_names_written_in_ascii_or_with_a_suffix_match_the_roster_names(workspace, tmp_path):
    roster = write(tmp_path / "authors.toml", ROSTER)
    path = write(
        tmp_path / "list.csv",
        "authors,title,year\nSoren Hauberg; Someone Else,Paper one,2021\n"
        'L Kaiser,Paper two,2021\n"Petrovic, Dorde",Paper three,2022\n'
        '"King, Jr., Martin Luther",Paper four,2022\nMartin Luther King Jr.,Paper five,2022\n',
    )

    result = import_(workspace, str(path), "--roster", str(roster))

    assert result.exit_code == 0, result.output
    assert not skipped(result.stderr)
    assert [r.title for r in records(workspace, "hauberg")] == ["Paper one"]
    assert [r.title for r in records(workspace, "kaiser")] == ["Paper two"]
    assert [r.title for r in records(workspace, "djordje")] == ["Paper three"]
    assert [r.title for r in records(workspace, "king")] == ["Paper four", "Paper five"]  # the suffix left out


@pytest.mark.slow  # a whole report
def test_one_coauthor_written_with_and_without_the_o_slash_is_one_person(workspace, tmp_path):
    rows = [
        ("lecun", "Paper A", 2021, "Yann LeCun; Søren Hauberg"),
        ("lecun", "Paper B", 2021, "Yann LeCun; Soren Hauberg"),
        ("lecun", "Paper C", 2022, "Yann LeCun; Lukasz Kaiser"),
        ("lecun", "Paper D", 2022, "Yann LeCun; Łukasz Kaiser"),
        ("lecun", "Paper E", 2022, "Yann LeCun; Martin Luther King Jr."),
        ("lecun", "Paper F", 2022, "Yann LeCun; King, Jr., Martin Luther"),
    ]
    out = io.StringIO()
    csv.writer(out).writerows([("author", "title", "year", "authors"), *rows])
    assert import_(workspace, str(write(tmp_path / "list.csv", out.getvalue()))).exit_code == 0

    result = runner.invoke(
        app,
        [
            "report",
            "-w",
            str(workspace),
            "-a",
            "lecun",
            "-y",
            "2021-2022",
            "--no-clouds",
            "--dpi",
            "50",
            "--no-snapshot",
        ],
    )

    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(open(workspace / "reports" / "collaborators.csv", encoding="utf-8")))
    assert [row["papers"] for row in table] == ["2", "2", "2"]  # one person each, whichever spelling is shown
    shown = {"Søren Hauberg", "Soren Hauberg", "Łukasz Kaiser", "Lukasz Kaiser"}
    assert {row["coauthor"] for row in table} <= shown | {"Martin Luther King Jr.", "King, Jr., Martin Luther"}
