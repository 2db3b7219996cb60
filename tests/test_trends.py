"""Topic trends (issue 14): each topic's share of all the roster's works by year, and per author a computed
sentence naming their top topics and the biggest change between the window's first and last year."""

from __future__ import annotations

import pandas as pd
import pytest

import authorstats
from authorstats.analysis.report import compute_report
from authorstats.analysis.trends import author_trend, topic_trends
from authorstats.analysis.works import distinct_works
from authorstats.models import YearWindow
from authorstats.render.analyses_page import trend_sentence
from authorstats.shell.report import report_options

W = YearWindow(2021, 2022)


def frame(rows):
    return pd.DataFrame(rows, columns=["author", "year", "title", "topic", "doi"])


def test_a_work_of_two_roster_authors_counts_once():
    works = frame(
        [
            ("a", 2021, "Deep Learning for AI", "Other", "10.1145/3448250"),
            ("b", 2021, "Deep learning for AI.", "Other", "https://doi.org/10.1145/3448250"),
            ("b", 2021, "Same Title", "Vision", ""),
            ("a", 2021, "Same title!", "Vision", ""),
            ("a", 2022, "Same title", "Vision", ""),
        ]
    )
    out = distinct_works(works)
    assert out["roster_authors"].tolist() == ["a; b", "b; a", "a"]
    shares = topic_trends(works, ["Vision", "Other"], W)
    assert shares.loc[2021].tolist() == [0.5, 0.5] and shares.loc[2022].tolist() == [1.0, 0.0]


def test_shares_of_the_snapshot_add_up_to_one_per_year_and_count_shared_works_once():
    data = compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=report_options(clouds=False),
    )
    assert data.trends is not None
    assert list(data.trends.index) == [2021, 2022]
    assert all(abs(total - 1) < 1e-9 for total in data.trends.sum(axis=1))
    papers = data.publications
    shared = papers[papers.title == "Deep Learning for AI"]
    assert len(shared) == 3  # in Bengio's, LeCun's and Hinton's lists
    y2021 = papers[papers.year == 2021]
    assert len(distinct_works(y2021)) == y2021.title.str.casefold().nunique() < len(y2021)
    expected = papers[(papers.year == 2021)].drop_duplicates("title")
    assert data.trends.loc[2021, "Other"] == pytest.approx((expected.topic == "Other").sum() / len(expected))


def table(counts):
    rows = [("Total", sum(counts.values()))] + sorted(counts.items(), key=lambda i: (-i[1], i[0]))
    return pd.DataFrame(rows, columns=["Topic", "Count"])


def test_the_sentence_names_top_topics_and_the_biggest_change_by_hand():
    by_year = pd.DataFrame({"Vision": [3, 1], "Theory": [1, 3], "RL": [0, 0]}, index=[2021, 2022])
    trend = author_trend("x", "Ada Lovelace", table({"Vision": 4, "Theory": 4}), by_year, W)
    # Theory: 25% -> 75% (+50 points); Vision: 75% -> 25% (-50 points): the tie goes to the name first A-Z
    assert trend.change is not None and trend.change.topic == "Theory"
    assert trend_sentence(trend) == (
        "Ada Lovelace: 8 papers; top topics Theory (4, 50%) and Vision (4, 50%). Biggest change from 2021 to "
        "2022: Theory rose from 25% (1 of the year's papers) to 75% (3)."
    )


@pytest.mark.parametrize(
    "years, by_year, why",
    [
        (YearWindow(2021, 2021), {2021: [2]}, "the window is one year (2021)"),
        (YearWindow(2020, 2022), {2021: [1], 2022: [1]}, "no papers in 2020"),
        (W, {2021: [1], 2022: [3]}, "every topic kept its share from 2021 to 2022"),
    ],
)
def test_no_change_is_invented(years, by_year, why):
    frame_ = pd.DataFrame.from_dict(by_year, orient="index", columns=["Vision"])
    trend = author_trend("x", "Ada", table({"Vision": int(frame_.sum().sum())}), frame_, years)
    assert trend.change is None and trend_sentence(trend).endswith(f"No change to report: {why}.")


def test_an_author_without_papers_gets_a_sentence_saying_so():
    trend = author_trend("x", "Ada", table({}), pd.DataFrame(columns=["Vision"]), W)
    assert trend_sentence(trend) == "Ada: no papers in this window."
