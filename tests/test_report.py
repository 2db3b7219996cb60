"""`authorstats report` end to end on the bundled snapshot and on fetched data, through the CLI."""

from __future__ import annotations

import csv
import html
import json
import re
from collections import Counter

import pandas as pd
import pytest
from PIL import Image
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.sources.snapshot import arxiv_versions_path, snapshot_path

runner = CliRunner()


def snapshot_counts(years=range(2021, 2023)) -> Counter:
    with open(snapshot_path(), encoding="utf-8") as handle:
        return Counter(r["author_key"] for r in csv.DictReader(handle) if int(r["year"]) in years)


def run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    result = run("report", "--workspace", str(root), "--years", "2021-2022", "--cloud-size", "400x200", "--dpi", "60")
    return root, result


def test_report_on_the_bundled_snapshot_has_the_known_totals(bundled_report):
    root, result = bundled_report
    assert result.exit_code == 0, result.output
    totals = {key: pd.read_csv(root / "reports" / f"{key}_topics.csv").iloc[0] for key in ("bengio", "lecun", "hinton")}
    assert {k: (row["Topic"], row["Count"]) for k, row in totals.items()} == {
        key: ("Total", count) for key, count in snapshot_counts().items()
    }
    assert dict(snapshot_counts()) == {"bengio": 72, "lecun": 33, "hinton": 15}  # the shipped snapshot v2
    assert "bundled snapshot" in result.output


def test_the_bundled_arxiv_versions_are_merged_into_their_conference_papers(bundled_report):
    root, result = bundled_report
    assert result.exit_code == 0, result.output
    with open(arxiv_versions_path(), encoding="utf-8") as handle:
        versions = list(csv.DictReader(handle))
    merges = pd.read_csv(root / "data" / "processed" / "duplicates.csv", dtype=str)
    assert len(versions) == 9
    assert sorted(zip(merges["author"], merges["kept_title"], merges["dropped_title"], merges["reason"])) == sorted(
        (v["author_key"], v["conference_title_in_snapshot"], v["title_as_on_arxiv"], f"same arXiv id {v['arxiv_id']}")
        for v in versions
    )
    assert set(merges["kept_source"]) == {"snapshot"} and set(merges["dropped_source"]) == {"snapshot-arxiv"}
    # the one whose arXiv title differs is joined by its arXiv id, not by its title
    assert "Discrete Factorial Representations as an Abstraction for Goal Conditioned Reinforcement Learning" in set(
        merges["dropped_title"]
    )


def test_seminar_tables_list_topics_by_count_and_add_up_to_total(bundled_report):
    root, _ = bundled_report
    for key, expected in snapshot_counts().items():
        table = pd.read_csv(root / "reports" / f"{key}_topics.csv")
        assert list(table.columns) == ["Topic", "Count"]
        assert table["Count"].iloc[1:].sum() == table["Count"].iloc[0] == expected
        topics = table.iloc[1:]
        assert topics[topics["Topic"] != "Other"]["Count"].is_monotonic_decreasing
        assert "Other" not in list(topics["Topic"])[:-1]  # unclassified papers come last, whatever their count


def test_processed_csv_has_every_record_with_topic_score_and_evidence(bundled_report):
    root, _ = bundled_report
    processed = pd.read_csv(root / "data" / "processed" / "publications.csv")
    assert len(processed) == sum(snapshot_counts().values())
    assert {"topic", "score", "evidence", "source", "source_id"} <= set(processed.columns)
    assert processed["topic"].notna().all()
    counts = pd.read_csv(root / "reports" / "topic_counts.csv")
    assert list(counts.columns) == ["author", "topic", "count"]
    assert counts.groupby("author")["count"].sum().to_dict() == dict(snapshot_counts())


def test_pictures_are_valid_pngs_of_the_configured_size(bundled_report):
    root, _ = bundled_report
    for key in ("bengio", "lecun", "hinton"):
        with Image.open(root / "reports" / f"{key}_wordcloud.png") as cloud:
            assert cloud.format == "PNG" and cloud.size == (400, 200)
        with Image.open(root / "reports" / f"{key}_topics.png") as bars:
            assert bars.format == "PNG" and bars.size == (8 * 60, 5 * 60)


def test_report_prints_each_table_in_the_terminal(bundled_report):
    _, result = bundled_report
    assert f"Yann LeCun (lecun), 2021-2022: {snapshot_counts()['lecun']} papers from snapshot" in result.output
    assert "Total" in result.output


@pytest.mark.slow
def test_a_narrower_window_counts_only_its_years(workspace):
    result = run("report", "--workspace", str(workspace), "--years", "2022", "--no-clouds", "--author", "lecun")
    assert result.exit_code == 0, result.output
    table = pd.read_csv(workspace / "reports" / "lecun_topics.csv")
    assert table.iloc[0]["Count"] == snapshot_counts(range(2022, 2023))["lecun"]
    assert not (workspace / "reports" / "bengio_topics.csv").exists()
    assert not (workspace / "reports" / "lecun_wordcloud.png").exists()


@pytest.mark.slow
def test_fetched_data_is_preferred_over_the_snapshot(workspace):
    raw = workspace / "data" / "raw" / "scholar"
    raw.mkdir(parents=True)
    records = [
        {"author": "hinton", "title": "The Forward-Forward Algorithm", "year": 2022, "source": "scholar"},
        {
            "author": "hinton",
            "title": "How to represent part-whole hierarchies in a neural network",
            "year": 2021,
            "source": "scholar",
        },
        {"author": "hinton", "title": "An old paper", "year": 2012, "source": "scholar"},
    ]
    (raw / "hinton.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run("report", "--workspace", str(workspace), "--no-clouds")
    assert result.exit_code == 0, result.output
    assert "Geoffrey Hinton (hinton), 2021-2022: 2 papers from scholar" in result.output
    assert f"Yann LeCun (lecun), 2021-2022: {snapshot_counts()['lecun']} papers from snapshot" in result.output
    assert pd.read_csv(workspace / "reports" / "hinton_topics.csv").iloc[0]["Count"] == 2


def test_own_roster_and_an_author_without_data(workspace, tmp_path):
    roster = tmp_path / "team.toml"
    roster.write_text('[[author]]\nkey = "ada"\nname = "Ada Lovelace"\n', encoding="utf-8")
    result = run("report", "--workspace", str(workspace), "--roster", str(roster))
    assert result.exit_code == 0, result.output
    assert "Ada Lovelace (ada), 2021-2022: 0 papers from no data" in result.output
    assert pd.read_csv(workspace / "reports" / "ada_topics.csv").values.tolist() == [["Total", 0]]


def test_unknown_author_is_one_line_and_exit_2(workspace):
    result = run("report", "--workspace", str(workspace), "--author", "turing")
    assert result.exit_code == 2
    assert "unknown author 'turing'" in result.output
    assert "Traceback" not in result.output
    assert not (workspace / "reports").exists()


@pytest.mark.slow
def test_source_date_epoch_sets_the_time_the_page_says_it_was_written(workspace, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1672531200")
    result = run("report", "--workspace", str(workspace), "--no-clouds", "--dpi", "50")
    assert result.exit_code == 0, result.output
    page = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    assert "on 2023-01-01T00:00:00+00:00.</p></footer>" in page


@pytest.mark.parametrize("value", ["", "soon", "1.5", "-1", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_one_line_exit_2_and_writes_no_report(workspace, monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run("report", "--workspace", str(workspace), "--no-clouds", "--dpi", "50")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: SOURCE_DATE_EPOCH is") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert not (workspace / "reports" / "index.html").exists()


def test_generation_time_is_now_without_source_date_epoch():
    import datetime as dt

    from authorstats.shell.report import generation_time

    assert generation_time({"SOURCE_DATE_EPOCH": "0"}) == "1970-01-01T00:00:00+00:00"
    written = dt.datetime.fromisoformat(generation_time({}))
    assert abs((dt.datetime.now(dt.UTC) - written).total_seconds()) < 60


def test_the_bundled_papers_link_to_the_pages_the_snapshot_gives(bundled_report):
    root, _ = bundled_report
    page = (root / "reports" / "index.html").read_text(encoding="utf-8")
    with open(snapshot_path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with_url = [r for r in rows if r["url"]]
    assert len(with_url) >= 100
    for row in with_url:
        assert f'<a href="{html.escape(row["url"])}">{html.escape(row["title"])}</a>' in page
    for row in rows:
        if not row["url"] and not row["doi"] and not row["arxiv_id"]:
            assert f"<td>{html.escape(row['title'])}</td>" in page


def test_each_paper_links_to_its_own_page_doi_or_arxiv_and_only_over_http(workspace):
    raw = workspace / "data" / "raw" / "scholar"
    raw.mkdir(parents=True)
    records = [
        {"title": "Own page", "extra": {"url": 'https://example.org/paper?id=1&v="2"<x>'}},
        {"title": "Script link", "extra": {"url": "javascript:alert(document.cookie)"}},
        {"title": "Script link with a DOI", "doi": "10.1000/XYZ(1)", "extra": {"url": " JavaScript:alert(1)"}},
        {"title": "Data link", "extra": {"url": "data:text/html;base64,PHNjcmlwdD4="}},
        {"title": "Only an arXiv id", "extra": {"arxiv_id": "2204.03632"}},
        {"title": "Nothing known"},
    ]
    (raw / "hinton.jsonl").write_text(
        "".join(json.dumps({"author": "hinton", "year": 2022, "source": "scholar", **r}) + "\n" for r in records),
        encoding="utf-8",
    )

    result = run("report", "--workspace", str(workspace), "--no-clouds", "--author", "hinton", "--dpi", "50")

    assert result.exit_code == 0, result.output
    page = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    papers = page[page.index('<table class="papers">') :]
    papers = papers[: papers.index("</table>")]
    links = dict((title, href) for href, title in re.findall(r'<a href="([^"]*)">([^<]*)</a>', papers))
    assert links == {
        "Own page": "https://example.org/paper?id=1&amp;v=&quot;2&quot;&lt;x&gt;",  # escaped, as given
        "Script link with a DOI": "https://doi.org/10.1000/xyz(1)",  # the unsafe url passed over for the DOI
        "Only an arXiv id": "https://arxiv.org/abs/2204.03632",
    }
    for title in ("Script link", "Data link", "Nothing known"):
        assert f"<td>{title}</td>" in papers
    assert "javascript:" not in page.lower() and "data:text/html" not in page
