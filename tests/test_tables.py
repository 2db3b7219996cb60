import pandas as pd

from authorstats.analysis import tables


def frame(rows):
    return pd.DataFrame(rows, columns=["author", "year", "topic"])


def test_topic_table_starts_with_total_then_topics_by_count_descending():
    records = frame(
        [
            ("a", 2021, "RL"),
            ("a", 2021, "Architecture"),
            ("a", 2022, "Architecture"),
            ("a", 2022, "Generation"),
            ("a", 2022, "Architecture"),
        ]
    )
    table = tables.topic_table(records)
    assert list(table.columns) == ["Topic", "Count"]
    assert table.values.tolist() == [["Total", 5], ["Architecture", 3], ["Generation", 1], ["RL", 1]]


def test_topic_table_of_no_records_is_total_zero():
    assert tables.topic_table(frame([])).values.tolist() == [["Total", 0]]


def test_topic_counts_keep_author_order_and_sum_to_records():
    records = frame([("b", 2021, "RL"), ("a", 2021, "RL"), ("a", 2021, "Physics"), ("a", 2022, "RL")])
    counts = tables.topic_counts(records, ["b", "a"])
    assert counts.values.tolist() == [["b", "RL", 1], ["a", "RL", 2], ["a", "Physics", 1]]
    assert counts["count"].sum() == len(records)


def test_matrix_and_years_keep_zero_columns_in_taxonomy_order():
    records = frame([("a", 2021, "RL"), ("a", 2022, "RL"), ("b", 2022, "Physics")])
    matrix = tables.author_topic_matrix(records, ["a", "b", "c"], ["Physics", "RL", "Other"])
    assert matrix.values.tolist() == [[0, 2, 0], [1, 0, 0], [0, 0, 0]]
    by_year = tables.topics_by_year(records[records.author == "a"], ["Physics", "RL"])
    assert by_year.loc[2021].tolist() == [0, 1]
    assert tables.topic_shares(matrix).loc["a", "RL"] == 1.0


def test_other_comes_last_even_when_it_has_the_most_papers():
    records = pd.DataFrame({"author": ["a"] * 6, "topic": ["Other", "Other", "Other", "RL", "RL", "Vision"]})
    assert tables.topic_table(records).values.tolist() == [["Total", 6], ["RL", 2], ["Vision", 1], ["Other", 3]]
    long = tables.topic_counts(records, ["a"])
    assert long["topic"].tolist() == ["RL", "Vision", "Other"]


def test_svg_charts_keep_their_text_as_text(tmp_path):
    """A slide tool can edit an SVG chart's labels only if they are <text>, not outlines."""
    from typer.testing import CliRunner

    from authorstats.cli import app

    result = CliRunner().invoke(app, ["report", "-w", str(tmp_path), "-a", "hinton", "--no-clouds", "--format", "svg"])
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "reports" / "hinton_topics.svg").read_text(encoding="utf-8")
    assert "<text" in svg and "Optimization" in svg
