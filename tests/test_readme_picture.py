"""The README's picture shows what the report computes today.

scripts/readme_picture.py draws docs/images/example.png and writes the numbers it drew to docs/images/example.json;
these tests compute the bundled report through the public library API and fail when those numbers differ from it,
so a change to the data, the classifier or the word weights cannot leave an old picture in the README.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import authorstats

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
REDRAW = "the README's picture is out of date: run `.venv/bin/python scripts/readme_picture.py` and commit docs/images/"


@pytest.fixture(scope="module")
def drawn() -> dict:
    return json.loads((IMAGES / "example.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report(drawn: dict) -> authorstats.ReportData:
    return authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=authorstats.load_taxonomy(),
        years=drawn["years"],
        options=authorstats.report_options(),  # the bundled stop words and venue aliases, as `report` uses
    )


def _author(report: authorstats.ReportData, key: str) -> authorstats.AuthorData:
    return next(item for item in report.authors if item.author.key == key)


def test_readme_picture_draws_a_topic_chart_and_a_word_cloud(drawn: dict) -> None:
    assert drawn["data"] == "bundled snapshot"
    assert [author["drawn"] for author in drawn["authors"]] == ["topic chart", "word cloud"]


def test_readme_picture_numbers_are_the_current_report(drawn: dict, report: authorstats.ReportData) -> None:
    for author in drawn["authors"]:
        table = report.table(author["key"])
        rows = [(str(topic), int(count)) for topic, count in zip(table["Topic"], table["Count"])]
        assert author["name"] == _author(report, author["key"]).author.name, REDRAW
        # the topics in the order the chart draws them (Total first in the table, in the title of the chart)
        assert [("Total", author["total"]), *author["topics"].items()] == rows, REDRAW


def test_readme_picture_cloud_words_are_the_current_report(drawn: dict, report: authorstats.ReportData) -> None:
    (cloud,) = [author for author in drawn["authors"] if author["drawn"] == "word cloud"]
    weights = _author(report, cloud["key"]).cloud_weights
    biggest = sorted(weights.items(), key=lambda pair: (-pair[1], pair[0]))[: len(cloud["biggest_words"])]
    assert cloud["biggest_words"] == [word for word, _ in biggest], REDRAW


def test_readme_shows_the_picture_with_its_numbers(drawn: dict) -> None:
    picture = IMAGES / drawn["picture"]
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert picture.stat().st_size < 300_000, "keep the README's picture under 300 KB"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [line for line in readme.splitlines() if f"](docs/images/{picture.name})" in line]
    chart = drawn["authors"][0]
    assert f"Total {chart['total']}" in line, "the picture's alt text names the total the picture shows"
