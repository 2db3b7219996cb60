"""Impact over time (issue 28): citations by year and the h-index as it grew, from Google Scholar's per-year counts
and OpenAlex's counts_by_year; OpenAlex's FWCI and citation percentiles per author and topic; the honest note where
the data has none (the bundled snapshot)."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import httpx
import pytest
import respx
from typer.testing import CliRunner

import authorstats
from authorstats.analysis.impact import ALL_TOPICS
from authorstats.cli import app
from authorstats.models import Author, Publication
from authorstats.shell import store
from authorstats.sources import openalex, scholar

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
ROSTER = [Author("ada", "Ada Lovelace"), Author("bob", "Bob Babbage")]


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(open(path, encoding="utf-8")))


def report(records: list[Publication], years: str = "2020-2022"):
    return authorstats.compute_report(
        records,
        roster=ROSTER,
        taxonomy=authorstats.load_taxonomy(),
        years=years,
        options=authorstats.report_options(clouds=False),
    )


def work(title: str, year: int, by_year: dict[int, int], **fields: object) -> Publication:
    return Publication(
        author="ada", title=title, year=year, source="scholar", citations_by_year=tuple(by_year.items()), **fields
    )


def test_the_h_index_by_year_checked_by_hand():
    # Citations received each year (counted by hand):
    #            2020 2021 2022 2023 | so far: 2020 2021 2022 2023
    #   first       3    2    4    1 |            3    5    9   10
    #   second      -    1    3    - |            0    1    4    4
    #   third       -    -    2    1 |            0    0    2    3
    # h-index:   2020: one work with >= 1 -> 1;  2021: (5, 1, 0) -> 1;  2022: (9, 4, 2) -> 2;  2023: (10, 4, 3) -> 3
    data = report(
        [
            work("Engines of thought", 2020, {2020: 3, 2021: 2, 2022: 4, 2023: 1}),
            work("Notes on the engine", 2021, {2021: 1, 2022: 3}),
            work("Bernoulli numbers by machine", 2021, {2022: 2, 2023: 1}),
            Publication(author="bob", title="Difference engines", year=2021, source="dblp"),
        ]
    )
    over = data.impact_over_time
    assert over is not None
    years = over.author_years("ada")
    assert years[["year", "citations", "cumulative_citations", "h_index"]].values.tolist() == [
        [2020, 3, 3, 1],
        [2021, 3, 6, 1],
        [2022, 9, 15, 2],
        [2023, 2, 17, 3],
    ]
    assert set(years["papers_with_counts"]) == {3}
    assert over.without_years == {"bob": ("dblp",)} and "ada" not in over.without_years
    per_topic = over.by_year[(over.by_year.author_key == "ada") & (over.by_year.topic != ALL_TOPICS)]
    assert per_topic.groupby("topic")["citations"].sum().sum() == 17  # the topics split the same citations


def test_fwci_median_and_top_ten_percent_share_per_topic():
    data = report(
        [
            work("A", 2021, {}, fwci=0.5, citation_percentile=0.42),
            work("B", 2021, {}, fwci=2.5, citation_percentile=0.95),
            work("C", 2022, {}, fwci=4.0, citation_percentile=0.90),  # exactly the 90th percentile: in the top 10%
            work("D", 2022, {}),  # no FWCI: not counted as zero
        ]
    )
    over = data.impact_over_time
    assert over is not None
    total = over.normalised[(over.normalised.author_key == "ada") & (over.normalised.topic == ALL_TOPICS)].iloc[0]
    assert (total.papers, total.papers_with_fwci, total.median_fwci) == (4, 3, 2.5)
    assert (total.papers_with_percentile, total.top10_papers, total.top10_share) == (3, 2, 0.667)
    assert over.without_normalised == {"bob": ()}


def openalex_records() -> list[Publication]:
    found = []
    for page in ("works_page1.json", "works_page2.json"):
        for item in json.loads((FIXTURES / "openalex" / page).read_text(encoding="utf-8"))["results"]:
            record = openalex.parse_work(item, "lecun", "2025-01-15T10:00:00+00:00")
            assert record is not None
            found.append(record)
    return found


@pytest.mark.slow  # a whole report with its picture workers
def test_an_openalex_fetch_gives_the_csvs_chart_page_summary_and_database(workspace):
    ws = store.Workspace(workspace)
    store.write_jsonl(ws.raw_file("openalex", "lecun"), openalex_records())  # as `fetch --source openalex` writes
    result = runner.invoke(app, ["report", "-w", str(workspace), "-a", "lecun", "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output

    by_year = [r for r in rows(workspace / "reports" / "impact_by_year.csv") if r["topic"] == ALL_TOPICS]
    # VICReg (2021): 12, 90, 150, 160 a year; Masked Siamese Networks (2022): 15, 45, 60; the third work: none
    assert [(r["year"], r["citations"], r["cumulative_citations"], r["h_index"]) for r in by_year] == [
        ("2021", "12", "12", "1"),
        ("2022", "105", "117", "2"),
        ("2023", "195", "312", "2"),
        ("2024", "220", "532", "2"),
    ]
    assert {r["papers_with_counts"] for r in by_year} == {"2"}
    (total,) = [r for r in rows(workspace / "reports" / "impact_normalised.csv") if r["topic"] == ALL_TOPICS]
    assert total == {
        "author_key": "lecun",
        "topic": ALL_TOPICS,
        "papers": "3",
        "papers_with_fwci": "2",
        "median_fwci": "21.805",
        "papers_with_percentile": "2",
        "top10_papers": "1",
        "top10_share": "0.5",
    }
    assert (workspace / "reports" / "impact_by_year.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (workspace / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'id="impact-time"' in page and "impact_by_year.png" not in page  # embedded, not linked
    assert '<td>2024</td><td class="num">2</td><td class="num">220</td><td class="num">532</td>' in page
    summary = (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "| 2022 | 2 | 105 | 117 | 2 |" in summary and "Self-citations are included" in summary
    with sqlite3.connect(workspace / "data" / "processed" / "authorstats.db") as db:
        assert db.execute("select sum(citations) from impact_by_year where topic = ?", (ALL_TOPICS,)).fetchone() == (
            532,
        )
        assert db.execute("select median_fwci from impact_normalised where topic = ?", (ALL_TOPICS,)).fetchone() == (
            21.805,
        )


def test_the_snapshot_says_it_has_no_per_year_counts(shared_report):
    workspace = shared_report[0]
    assert rows(workspace / "reports" / "impact_by_year.csv") == []  # the header alone
    assert not (workspace / "reports" / "impact_by_year.png").exists()
    summary = (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
    assert summary.count("There are no per-year counts in this data (the records came from snapshot)") == 3
    assert "no FWCI or citation percentiles in this data" in (workspace / "reports" / "index.html").read_text("utf-8")


@pytest.fixture
def quiet_scholar(monkeypatch):
    monkeypatch.setattr(scholar, "polite_sleep", lambda seconds: None)


@pytest.mark.slow  # a fetch and a report: about a second
def test_scholar_per_year_counts_reach_the_report(workspace, quiet_scholar):
    pages = FIXTURES / "scholar"
    with respx.mock(assert_all_called=False) as mock:
        citations = mock.get(url__startswith="https://scholar.google.com/citations")
        citations.side_effect = lambda request: httpx.Response(
            200,
            html=(
                pages / ("detail.html" if request.url.params.get("view_op") == "view_citation" else "profile.html")
            ).read_text(encoding="utf-8"),
        )
        fetched = runner.invoke(
            app, ["fetch", "-w", str(workspace), "--source", "scholar", "-a", "hinton", "--details"]
        )
    assert fetched.exit_code == 0, fetched.output
    result = runner.invoke(app, ["report", "-w", str(workspace), "-a", "hinton", "--tables-only"])
    assert result.exit_code == 0, result.output
    by_year = [r for r in rows(workspace / "reports" / "impact_by_year.csv") if r["topic"] == ALL_TOPICS]
    works = int(by_year[0]["papers_with_counts"])  # each detail page of the fixture: 60 in 2021, 150 in 2022
    assert works >= 1
    assert [(r["year"], int(r["citations"])) for r in by_year] == [("2021", 60 * works), ("2022", 150 * works)]
    assert by_year[-1]["h_index"] == str(works)


def test_the_record_reads_every_shape_of_per_year_counts_and_refuses_nonsense():
    base = {"author": "ada", "title": "T", "source": "scholar"}
    scholar_shape = Publication.from_dict({**base, "citations_by_year": {"2022": 150, "2021": 60}})
    openalex_shape = Publication.from_dict(
        {**base, "citations_by_year": [{"year": 2022, "cited_by_count": 150}, {"year": 2021, "cited_by_count": 60}]}
    )
    earlier_raw_file = Publication.from_dict({**base, "extra": {"cites_per_year": {"2021": 60, "2022": 150}}})
    for record in (scholar_shape, openalex_shape, earlier_raw_file):
        assert record.citations_by_year == ((2021, 60), (2022, 150)) and "cites_per_year" not in record.extra
    for bad in ({"citations_by_year": [[2021, 1], [2021, 2]]}, {"citations_by_year": [[2021, -1]]}):
        with pytest.raises(ValueError):
            Publication.from_dict({**base, **bad})
    for bad in ({"fwci": -1}, {"fwci": "nan"}, {"citation_percentile": 1.5}):
        with pytest.raises(ValueError):
            Publication.from_dict({**base, **bad})


def test_a_merged_work_keeps_the_per_year_counts_of_the_version_that_has_them():
    shared = {"author": "ada", "title": "Engines of thought", "year": 2021}
    data = report(
        [
            Publication(**shared, source="dblp", venue="NeurIPS 2021"),
            Publication(**shared, source="openalex", citations_by_year=((2021, 2), (2022, 5)), fwci=1.5),
        ],
        years="2021-2022",
    )
    assert len(data.author("ada").papers) == 1  # one work
    assert data.impact_over_time is not None
    assert data.impact_over_time.author_years("ada")["cumulative_citations"].tolist() == [2, 7]
    assert data.impact_over_time.normalised.iloc[0]["median_fwci"] == 1.5
