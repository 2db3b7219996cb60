"""Topic groupings (issue 18): [groupings.NAME] in the taxonomy, checked on load; report --group-by NAME; the seminar
comparison counted in the seminar's categories, with the agreement given both ways."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import authorstats
from authorstats.cli import app
from authorstats.config.taxonomy import parse_taxonomy
from authorstats.errors import BadInputError

runner = CliRunner()
SEMINAR = [
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
    "Object Detection",
]
TOPICS = """
[[topic]]
name = "Architecture"
[topic.terms]
'layers?' = 2

[[topic]]
name = "RL"
[topic.terms]
'reward' = 2
"""


def test_the_bundled_groupings_put_every_topic_in_exactly_one_category():
    taxonomy = authorstats.load_taxonomy()
    seminar, broad = taxonomy.grouping("seminar"), taxonomy.grouping("broad")
    # the seminar's own 11 categories, then Other: unclassified papers are never counted in a seminar category
    assert list(seminar.names) == [*SEMINAR, "Other"] and dict(seminar.categories)["Other"] == ("Other",)
    assert 3 <= len(broad.names) <= 5
    for grouping in (seminar, broad):
        placed = [t for _, topics in grouping.categories for t in topics]
        assert sorted(placed) == sorted(taxonomy.names)


def test_every_topic_of_the_seminar_grouping_has_its_reason_in_the_file():
    from authorstats.shell.config_files import default_taxonomy_path

    text = default_taxonomy_path().read_text(encoding="utf-8")
    block = text[text.index("[groupings.seminar.categories]") : text.index("[groupings.broad]")]
    listed = [line for line in block.splitlines() if line.startswith('  "')]
    assert len(listed) == len(authorstats.load_taxonomy().names)
    assert all("#" in line and len(line.split("#", 1)[1].strip()) > 10 for line in listed)


@pytest.mark.parametrize(
    "categories, problem",
    [
        ('A = ["Architecture", "RL"]\nB = ["RL", "Other"]', "the topic 'RL' is in two categories, 'A' and 'B'"),
        ('A = ["Architecture"]\nB = ["Other"]', "the topic(s) 'RL' are in no category"),
        ('A = ["Architecture", "RL", "Other", "Dreams"]', "'Dreams' is not a topic of the taxonomy"),
        ('Total = ["Architecture", "RL", "Other"]', "the category name 'Total' is reserved"),
        ("A = []", "category 'A' must list topics"),
    ],
)
def test_a_bad_grouping_is_refused_naming_the_topic(categories, problem):
    with pytest.raises(BadInputError, match="grouping 'g'") as caught:
        parse_taxonomy(TOPICS + f"\n[groupings.g.categories]\n{categories}\n", "t.toml")
    assert problem in str(caught.value)


def test_a_bad_grouping_or_an_unknown_name_is_exit_2(tmp_path):
    bad = tmp_path / "t.toml"
    bad.write_text(
        TOPICS + '\n[groupings.g.categories]\nA = ["Architecture", "RL"]\nB = ["RL", "Other"]\n', encoding="utf-8"
    )
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--taxonomy", str(bad)])
    assert result.exit_code == 2 and "the topic 'RL' is in two categories" in result.output
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--group-by", "coarse"])
    assert result.exit_code == 2 and "has no grouping 'coarse'" in result.output and "seminar, broad" in result.output
    assert not (tmp_path / "reports").exists()


@pytest.fixture(scope="module")
def grouped(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    result = runner.invoke(app, ["report", "-w", str(root), "--no-clouds", "--dpi", "50", "--group-by", "seminar"])
    assert result.exit_code == 0, result.output
    return root


def test_group_by_seminar_counts_only_seminar_categories_with_the_totals_unchanged(grouped):
    for key, total in (("bengio", 72), ("lecun", 33), ("hinton", 15)):
        # a table counted in a grouping's categories says so in its file name and its chart's title
        assert not (grouped / "reports" / f"{key}_topics.csv").exists()
        table = pd.read_csv(grouped / "reports" / f"{key}_topics_seminar.csv")
        assert (grouped / "reports" / f"{key}_topics_seminar.png").is_file()
        assert table.iloc[0].tolist() == ["Total", total]
        assert set(table["Topic"][1:]) <= {*SEMINAR, "Other"} and table["Count"][1:].sum() == total
    processed = pd.read_csv(grouped / "data" / "processed" / "publications.csv", dtype=str, keep_default_na=False)
    mapping = authorstats.load_taxonomy().grouping("seminar").mapping
    assert (processed["topic"] == processed["taxonomy_topic"].map(mapping)).all()  # both kept per paper
    assert (processed["taxonomy_topic"] != processed["topic"]).any()
    page = (grouped / "reports" / "index.html").read_text(encoding="utf-8")
    assert "<td>Representation (Causality)</td>" in page  # the paper list shows the category and its topic
    assert "papers per topic, in the &#x27;seminar&#x27; grouping&#x27;s categories:" in page  # the chart's alt


def test_the_seminar_comparison_counts_in_its_categories_and_gives_both_agreements(grouped, shared_report):
    plain = shared_report[0]  # the same report without --group-by (conftest.py)
    tables = [
        pd.read_csv(ws / "reports" / "reference_comparison.csv", dtype=str, keep_default_na=False)
        for ws in (grouped, plain)
    ]
    # the same comparison with or without --group-by seminar: it is made in the seminar's categories either way
    assert tables[0].equals(tables[1])
    table = tables[0]
    assert set(table["topic"]) - {"Total"} <= {*SEMINAR, "Other"}
    assert (table["grouping"] == "seminar").all()  # the CSV names the grouping it counted in
    totals = table[table["topic"] == "Total"].set_index("author")
    for key in ("lecun", "hinton"):
        assert totals.loc[key, "agreement"] and totals.loc[key, "agreement_taxonomy"]
        assert totals.loc[key, "agreement"] != totals.loc[key, "agreement_taxonomy"]
    assert "in the categories of the taxonomy's 'seminar' grouping" in (plain / "reports" / "summary.md").read_text(
        encoding="utf-8"
    )


def test_the_library_groups_too():
    data = authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=authorstats.ReportOptions(clouds=False),
        group_by="broad",
    )
    assert list(data.matrix.columns) == list(authorstats.load_taxonomy().grouping("broad").names)
    assert data.matrix.sum(axis=1).tolist() == [72, 33, 15]


def test_topics_group_by_lists_each_category_with_the_topics_it_takes():
    taxonomy = authorstats.load_taxonomy()
    grouping = taxonomy.grouping("seminar")
    result = runner.invoke(app, ["topics", "--group-by", "seminar"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        f"Grouping seminar of the bundled taxonomy: {len(grouping.categories)} categories\n"
    )
    listed = [line.removeprefix("  takes: ") for line in result.stdout.splitlines() if line.startswith("  takes: ")]
    assert len(listed) == len(grouping.categories) == 12  # the seminar's 11 and Other
    shown = " ".join(result.stdout.split())  # the wrapped lines joined again
    for category, topics in grouping.categories:
        assert f"{category} takes: {', '.join(topics)}" in shown


def test_topics_group_by_an_unknown_grouping_is_exit_2():
    result = runner.invoke(app, ["topics", "--group-by", "coarse"])
    assert result.exit_code == 2
    assert "no grouping 'coarse'" in result.output and "seminar" in result.output
