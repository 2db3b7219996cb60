"""`authorstats evaluate`: accuracy, per-topic precision/recall/F1, confusion table and PNG, misclassified list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from authorstats.analysis.evaluate import evaluate
from authorstats.cli import app
from authorstats.shell.config_files import load_taxonomy

DATA = Path(__file__).parent / "data"
runner = CliRunner()

GOLD = pd.DataFrame(
    {
        "title": [
            "Decoupled Contrastive Learning",
            "Denoising Diffusion Models",
            "Vision Transformers",
            "Deep Learning for AI",
        ],
        "topic": ["Contrastive", "Generation", "Generalization", "Representation"],
        "also_ok": ["", "", "Architecture", ""],
    }
)


def test_strict_and_lenient_accuracy_count_topic_and_also_ok():
    result = evaluate(GOLD, load_taxonomy())
    assert result.count == 4
    assert result.strict == 0.5  # contrastive and diffusion right
    assert result.lenient == 0.75  # + Vision Transformers -> Architecture is in also_ok


def test_per_topic_precision_recall_and_f1():
    table = evaluate(GOLD, load_taxonomy()).per_topic.set_index("topic")
    assert table.loc["Contrastive", ["support", "predicted", "precision", "recall", "f1"]].tolist() == [
        1,
        1,
        1.0,
        1.0,
        1.0,
    ]
    assert table.loc["Generalization", ["support", "predicted", "recall", "f1"]].tolist() == [1, 0, 0.0, 0.0]
    assert table.loc["Architecture", ["support", "predicted", "precision"]].tolist() == [0, 1, 0.0]


def test_confusion_rows_are_labels_and_columns_predictions():
    confusion = evaluate(GOLD, load_taxonomy()).confusion
    assert confusion.loc["Generalization", "Architecture"] == 1
    assert confusion.loc["Representation", "Other"] == 1
    assert int(confusion.to_numpy().sum()) == 4


def test_misclassified_lists_title_label_prediction_and_evidence():
    wrong = evaluate(GOLD, load_taxonomy()).misclassified
    assert list(wrong["title"]) == ["Vision Transformers", "Deep Learning for AI"]
    first = wrong.iloc[0]
    assert (first["predicted"], first["lenient_ok"], first["evidence"]) == ("Architecture", True, "vision transformers")


def test_evaluate_command_prints_accuracy_and_writes_png_and_csvs(tmp_path):
    out = tmp_path / "eval"
    result = runner.invoke(app, ["evaluate", str(DATA / "dev_labels.csv"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(pd.read_csv(DATA / 'dev_labels.csv'))} labelled titles" in result.stdout
    assert "strict accuracy:" in result.stdout and "lenient accuracy:" in result.stdout
    assert "per topic (strict):" in result.stdout and "f1" in result.stdout
    assert "confusion (rows: labelled" in result.stdout
    assert (out / "confusion.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    misclassified = pd.read_csv(out / "misclassified.csv")
    assert {"title", "topic", "predicted", "evidence"} <= set(misclassified.columns)
    assert len(pd.read_csv(out / "per_topic.csv")) == 18
    calibration = pd.read_csv(out / "calibration.csv")
    assert list(calibration.columns) == ["band", "titles", "stated", "observed"]
    assert calibration["titles"].sum() == 120


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "does not exist"),
        ("name,label\nx,y\n", "has no title or topic column"),
        ("title,topic\n", "no labelled titles"),
    ],
)
def test_a_bad_labels_file_is_exit_2_with_one_line(tmp_path, content, expected):
    path = tmp_path / "labels.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_classify_command_adds_columns_to_any_csv(tmp_path):
    source = tmp_path / "mine.csv"
    source.write_text("title,note\nMasked Autoencoders Are Scalable Vision Learners,keep me\n", encoding="utf-8")
    target = tmp_path / "out" / "tagged.csv"
    target.parent.mkdir()  # --output does not create folders (a mistyped path is an error, exit 5)
    result = runner.invoke(app, ["classify", str(source), "-o", str(target)])
    assert result.exit_code == 0, result.output
    tagged = pd.read_csv(target)
    assert list(tagged.columns) == ["title", "note", "topic", "score", "evidence", "topics", "confidence"]
    assert tagged.loc[0, "topic"] == "Self-Supervised" and tagged.loc[0, "note"] == "keep me"


def test_classify_command_writes_the_same_bytes_to_a_file_as_to_stdout(tmp_path):
    source = tmp_path / "mine.csv"
    titles = [
        "Masked Autoencoders Are Scalable Vision Learners",
        'Diffusion, "quoted": Models',
        "Plain words",
        "Self-Supervised Learning via Redundancy Reduction",
        "Réseaux de neurones — une étude",
        "",
    ]
    pd.DataFrame({"title": titles * 3, "year": ["2021", "", "2022"] * 6}).to_csv(source, index=False)
    target = tmp_path / "tagged.csv"
    assert runner.invoke(app, ["classify", str(source), "-o", str(target)]).exit_code == 0
    shown = runner.invoke(app, ["classify", str(source)])
    assert shown.exit_code == 0
    assert target.read_bytes() == shown.stdout_bytes


def test_classify_command_writes_to_stdout_and_takes_a_users_taxonomy(tmp_path):
    source = tmp_path / "mine.csv"
    source.write_text("title\nImages of cats\nSomething else\n", encoding="utf-8")
    taxonomy = tmp_path / "tax.toml"
    taxonomy.write_text('[[topic]]\nname = "Vision"\ndescription = "pictures"\n[topic.terms]\n\'images?\' = 2\n')
    result = runner.invoke(app, ["classify", str(source), "--taxonomy", str(taxonomy)])
    assert result.exit_code == 0, result.output
    assert "Images of cats,Vision,2.0,images" in result.stdout
    assert "Something else,Other,0.0" in result.stdout


def test_classify_command_rejects_a_csv_without_title_and_a_broken_taxonomy(tmp_path):
    source = tmp_path / "mine.csv"
    source.write_text("name\nx\n", encoding="utf-8")
    result = runner.invoke(app, ["classify", str(source)])
    assert result.exit_code == 2 and "has no title column" in result.stderr
    taxonomy = tmp_path / "tax.toml"
    taxonomy.write_text("[[topic]]\nname = 'Vision'\n")
    result = runner.invoke(app, ["classify", str(source), "--taxonomy", str(taxonomy)])
    assert result.exit_code == 2 and "topic 'Vision' has no terms" in result.stderr


def test_untitled_label_rows_are_left_out_with_a_warning(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("title,topic\nDecoupled Contrastive Learning,Contrastive\n,RL\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 row(s) without a title were left out" in result.output
    assert "1 labelled titles" in result.output


def test_calibration_table_compares_stated_and_observed_accuracy_by_band():
    from authorstats.analysis.evaluate import calibration_table

    table = calibration_table([0.1, 0.15, 0.7, 0.75, 0.9, 0.95], [False, True, True, True, True, False])
    assert list(table["band"]) == ["0.0-0.2", "0.6-0.8", "0.8-1.0"]
    assert list(table["titles"]) == [2, 2, 2]
    assert list(table["stated"]) == [0.125, 0.725, 0.925]
    assert list(table["observed"]) == [0.5, 1.0, 0.5]


def test_review_needed_checks_the_least_confident_first_until_the_target():
    from authorstats.analysis.evaluate import review_needed

    right = [False, True, True, True, True, True, True, True, True, True, True, True, True, True, True, True, True,
             True, True, False]  # fmt: skip
    stated = [0.1] + [0.9] * 18 + [0.95]
    assert review_needed(stated, right, 0.95) == 1  # 19 of 20 right after checking the 0.1 one
    assert review_needed(stated, right, 1.0) == 20  # the confident mistake is checked last


def test_evaluate_prints_confusion_pairs_and_calibration():
    result = runner.invoke(app, ["evaluate", str(DATA / "dev_labels.csv")])
    assert result.exit_code == 0, result.output
    assert "most frequent confusions (labelled -> predicted):" in result.stdout
    assert "calibration (stated confidence against observed strict accuracy" in result.stdout
    assert "band  titles  stated  observed" in result.stdout
    assert "checked reach 95% strict" in result.stdout
