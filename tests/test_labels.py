"""Manual labels: validation, precedence over the classifier, and the review round trip."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import files_under
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from authorstats.classification.engine import classify_frame
from authorstats.classification.spec import normalise, words
from authorstats.cli import app
from authorstats.config.labels import apply_labels, label_map, parse_labels, title_key
from authorstats.errors import BadInputError
from authorstats.shell.config_files import load_labels, load_taxonomy

runner = CliRunner()
TAXONOMY = load_taxonomy()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_or_empty_labels_file_means_no_labels(tmp_path):
    assert load_labels(tmp_path / "labels.csv") == {}
    assert load_labels(write(tmp_path / "empty.csv", "")) == {}


def test_labels_are_keyed_by_source_id_or_normalised_title(tmp_path):
    path = write(
        tmp_path / "labels.csv", 'title,source_id,topic\n"Deep Learning for AI",,Representation\n,W123,Robotics\n'
    )
    assert load_labels(path) == {"deep learning for ai": "Representation", "W123": "Robotics"}
    assert title_key("  DEEP learning — for A.I. ") == "deep learning for a i"


def _classifier_words(title: str) -> str:
    return " ".join(w for w in words(normalise(title)) if w != ":")


@pytest.mark.parametrize("title", ["Über ıntelligence", "multi_task – RL", "Çà: Ǆ-ﬁne", "aͅb", "İstanbul ẞ"])
def test_title_keys_are_the_classifiers_words(title):
    assert title_key(title) == _classifier_words(title)


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_title_keys_are_the_classifiers_words_for_any_text(title):
    """Labels files written before config stopped borrowing the classifier's word splitter keep matching."""
    assert title_key(title) == _classifier_words(title)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("title,topic\nA title,\n", "line 2: no topic"),
        ("title,source_id,topic\n,,RL\n", "line 2: no title and no source_id"),
        ("title,topic\nA,RL\na,Physics\n", "lines 2 and 3 give different topics"),
        ("name,label\nA,RL\n", "needs a topic column"),
        ("title,topic\nA,Robots\n", "'Robots' is not a topic"),
        ("title,topic\nA, b,RL\n", "more fields than its header"),
    ],
)
def test_a_broken_labels_file_is_a_bad_input_error_naming_the_line(tmp_path, text, expected):
    path = write(tmp_path / "labels.csv", text)
    with pytest.raises(BadInputError) as caught:
        load_labels(path, TAXONOMY.names)
    assert expected in str(caught.value) and str(path) in str(caught.value)


def classified() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "title": ["Deep Learning for AI", "Decoupled Contrastive Learning", "Decoupled contrastive learning!"],
            "source_id": ["S1", "S2", "S3"],
        }
    )
    return classify_frame(frame, TAXONOMY)


def test_a_manual_label_overrides_the_classifier_and_is_marked():
    out = apply_labels(classified(), {"deep learning for ai": "Representation"})
    assert list(out["topic"]) == ["Representation", "Contrastive", "Contrastive"]
    assert list(out["manual"]) == [True, False, False]
    assert out.loc[0, "evidence"] == "manual label"
    assert out.loc[0, "confidence"] == 1.0


def test_a_source_id_label_wins_over_a_title_label_and_titles_match_loosely():
    labels = {"decoupled contrastive learning": "Self-Supervised", "S3": "Optimization"}
    out = apply_labels(classified(), labels)
    assert list(out["topic"]) == ["Other", "Self-Supervised", "Optimization"]
    assert list(out["manual"]) == [False, True, True]


def test_no_labels_leaves_topics_alone_and_adds_manual_false():
    frame = classified()
    out = apply_labels(frame, {})
    assert list(out["topic"]) == list(frame["topic"])
    assert not out["manual"].any()


def processed(workspace: Path) -> Path:
    frame = apply_labels(classified(), {})
    frame["author"], frame["year"] = "lecun", 2022
    path = workspace / "data" / "processed" / "publications.csv"
    path.parent.mkdir(parents=True)
    frame.to_csv(path, index=False)
    return path


def test_review_round_trip_writes_uncertain_records_and_merges_answers(workspace):
    processed(workspace)
    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "0.8"])
    assert result.exit_code == 0, result.output
    review_file = workspace / "data" / "review.csv"
    table = pd.read_csv(review_file, keep_default_na=False)
    assert list(table["title"]) == ["Deep Learning for AI"]  # the confident contrastive ones are not listed
    assert table.loc[0, "correct_topic"] == ""

    table.loc[0, "correct_topic"] = "Representation"
    table.to_csv(review_file, index=False)
    result = runner.invoke(app, ["review", "-w", str(workspace), "--apply", str(review_file)])
    assert result.exit_code == 0, result.output
    assert "Merged 1 new and 0 changed" in result.stdout
    assert load_labels(workspace / "data" / "labels.csv") == {"S1": "Representation"}

    table.loc[0, "correct_topic"] = "Other"
    table.to_csv(review_file, index=False)
    result = runner.invoke(app, ["review", "-w", str(workspace), "--apply", str(review_file)])
    assert "Merged 0 new and 1 changed" in result.stdout
    assert load_labels(workspace / "data" / "labels.csv") == {"S1": "Other"}


def test_review_apply_rejects_an_unknown_topic_and_keeps_the_labels_file(workspace):
    labels = write(workspace / "data" / "labels.csv", "title,source_id,topic\nX,,RL\n")
    filled = write(workspace / "filled.csv", "correct_topic,title,source_id\nRobots,Some title,\n")
    result = runner.invoke(app, ["review", "-w", str(workspace), "--apply", str(filled)])
    assert result.exit_code == 2
    assert "line 2: 'Robots' is not a topic" in result.stderr
    assert labels.read_text(encoding="utf-8") == "title,source_id,topic\nX,,RL\n"


def test_review_before_any_report_says_to_run_report(workspace):
    result = runner.invoke(app, ["review", "-w", str(workspace)])
    assert result.exit_code == 2
    assert "Run `authorstats report` first" in result.stderr


@pytest.mark.slow
def test_a_corrected_title_shows_its_topic_in_the_next_report(workspace):
    write(workspace / "data" / "labels.csv", 'title,source_id,topic\n"Deep Learning for AI",,Representation\n')
    result = runner.invoke(app, ["report", "-w", str(workspace), "--author", "lecun", "--no-clouds"])
    assert result.exit_code == 0, result.output
    publications = pd.read_csv(workspace / "data" / "processed" / "publications.csv")
    row = publications[publications["title"] == "Deep Learning for AI"].iloc[0]
    assert (row["topic"], bool(row["manual"]), row["evidence"]) == ("Representation", True, "manual label")
    table = pd.read_csv(workspace / "reports" / "lecun_topics.csv")
    assert "Representation" in set(table["Topic"])


def test_label_rows_are_validated_as_a_table_without_any_file():
    frame = pd.DataFrame({"title": ["  Deep Learning for AI "], "topic": ["Representation "]})
    rows = parse_labels(frame, "team-labels.csv", TAXONOMY.names)
    assert rows.to_dict("records") == [{"title": "Deep Learning for AI", "source_id": "", "topic": "Representation"}]
    assert list(frame.columns) == ["title", "topic"]  # the caller's table is left as it was
    assert label_map(rows) == {"deep learning for ai": "Representation"}
    assert parse_labels(pd.DataFrame(), "team-labels.csv").empty
    with pytest.raises(BadInputError, match=r"labels file team-labels.csv, line 2: 'Robots' is not a topic"):
        parse_labels(pd.DataFrame({"title": ["A"], "topic": ["Robots"]}), "team-labels.csv", TAXONOMY.names)


def test_a_new_review_list_never_replaces_corrections_not_yet_merged(workspace):
    processed(workspace)
    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "0.8"])
    assert result.exit_code == 0, result.output
    review_file = workspace / "data" / "review.csv"
    table = pd.read_csv(review_file, keep_default_na=False, dtype=str)
    table.loc[0, "correct_topic"] = "Representation"
    table.to_csv(review_file, index=False)
    before = files_under(workspace)

    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "0.8"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.count("\n") == 0 and line.startswith("Error: ")
    assert f"{review_file} holds 1 correction(s) not yet merged" in line and "line 2" in line
    assert f"review --apply {review_file}" in line and "-o FILE" in line
    assert files_under(workspace) == before  # the typed correction is still there, nothing else written

    elsewhere = workspace / "more.csv"
    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "0.8", "-o", str(elsewhere)])
    assert result.exit_code == 0, result.output
    assert elsewhere.is_file() and review_file.read_bytes() == before["data/review.csv"]

    result = runner.invoke(app, ["review", "-w", str(workspace), "--apply", str(review_file)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["review", "-w", str(workspace), "--below", "0.8"])  # merged: nothing to lose
    assert result.exit_code == 0, result.output
    assert pd.read_csv(review_file, keep_default_na=False)["correct_topic"].tolist() == [""]


def test_a_labels_topic_outside_the_taxonomy_stops_the_report_naming_file_line_and_topics(workspace):
    labels = write(
        workspace / "data" / "labels.csv",
        'title,source_id,topic\n"Deep Learning for AI",,Representation\n"Barlow Twins",,Self-supervised\n',
    )
    before = files_under(workspace)
    result = runner.invoke(app, ["report", "-w", str(workspace), "--author", "lecun", "--no-clouds"])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.count("\n") == 0 and line.startswith("Error: ")
    assert f"labels file {labels}, line 3: 'Self-supervised' is not a topic of the taxonomy" in line
    assert "Write 'Self-Supervised'" in line and all(name in line for name in TAXONOMY.names)
    assert files_under(workspace) == before  # no report with a topic the overview does not know


def test_review_by_target_lists_the_fewest_least_confident_records_and_states_the_estimate(workspace):
    path = processed(workspace)
    frame = pd.read_csv(path)
    frame["confidence"] = [0.5, 0.9, 0.95]  # estimated accuracy 0.783
    frame.to_csv(path, index=False)
    result = runner.invoke(app, ["review", "-w", str(workspace), "--target", "0.9"])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(workspace / "data" / "review.csv", keep_default_na=False)
    assert list(table["title"]) == ["Deep Learning for AI"]  # checking it: (1 + 0.9 + 0.95) / 3 = 0.95 >= 0.9
    assert "0.78 now, 0.95 once these are checked" in result.stdout
    result = runner.invoke(app, ["review", "-w", str(workspace), "--target", "0.97"])
    assert len(pd.read_csv(workspace / "data" / "review.csv")) == 2  # 0.5 then 0.9: (1 + 1 + 0.95) / 3 = 0.983


def test_reviews_to_reach_counts_checked_records_as_right():
    from authorstats.config.labels import reviews_to_reach

    assert reviews_to_reach([0.9, 0.9, 0.9, 0.9], 0.9) == 0
    assert reviews_to_reach([0.2, 0.9, 0.9, 0.9], 0.9) == 1  # (1 + 2.7) / 4 = 0.925
    assert reviews_to_reach([0.2, 0.3, 0.9, 0.9], 0.9) == 2
    assert reviews_to_reach([0.5, 0.5], 1.0) == 2
    assert reviews_to_reach([], 0.95) == 0


def test_checking_note_counts_unlabelled_records_under_the_review_threshold():
    from authorstats.config.labels import checking_note

    note = checking_note([0.5, 0.79, 0.8, 0.95, "", 0.1], [False, False, False, False, False, True])
    assert note == "3 of 6 papers unchecked, est. accuracy 0.67"  # (0.5 + 0.79 + 0.8 + 0.95 + 0 + 1) / 6
