"""The methods section names files, not local paths, says what the labels did, and shows code as code."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.config.labels import label_map, matched_labels
from authorstats.render import html, page

runner = CliRunner()


def methods_of(root) -> str:
    text = (root / "reports" / "index.html").read_text(encoding="utf-8")
    return text[text.index('id="methods"') :]


@pytest.mark.slow
def test_two_labels_matching_four_records_say_so_and_no_local_path_is_shown(tmp_path):
    root = tmp_path / "ws"
    (root / "data").mkdir(parents=True)
    # "Deep Learning for AI" is in all three authors' lists of the bundled snapshot (their Turing lecture)
    (root / "data" / "labels.csv").write_text(
        "title,source_id,topic\nDeep Learning for AI,,Other\n"
        "Understanding Dimensional Collapse in Contrastive Self-supervised Learning,,Contrastive\n"
        "A title in no list,,Physics\n",
        encoding="utf-8",
    )
    taxonomy = tmp_path / "my_taxonomy.toml"
    taxonomy.write_bytes(page_taxonomy_bytes())
    stopwords = tmp_path / "my_stopwords.txt"
    stopwords.write_text("learning\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "report",
            "-w",
            str(root),
            "--taxonomy",
            str(taxonomy),
            "--stopwords",
            str(stopwords),
            "--cloud-size",
            "300x150",
            "--dpi",
            "50",
        ],
    )
    assert result.exit_code == 0, result.output
    methods = methods_of(root)
    assert "Manual labels: 2 labels in data/labels.csv matched 4 records" in methods
    assert "Taxonomy: my_taxonomy.toml" in methods and "stop words from my_stopwords.txt" in methods
    whole = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert str(tmp_path) not in whole and str(root.resolve()) not in whole
    assert "`" not in methods and "<code>authorstats fetch</code>" in methods


def page_taxonomy_bytes() -> bytes:
    from importlib import resources

    return (resources.files("authorstats") / "data" / "taxonomy.toml").read_bytes()


@pytest.mark.slow
def test_without_a_labels_file_the_page_says_none_and_names_the_bundled_taxonomy(tmp_path):
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "-a", "hinton", "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    methods = methods_of(tmp_path)
    assert "Manual labels: none (no data/labels.csv)" in methods
    assert "Taxonomy: bundled taxonomy" in methods
    assert not re.search(r"/(tmp|home|Users|work)/", methods)


def test_matched_labels_counts_labels_not_records():
    labels = label_map(
        pd.DataFrame(
            {"title": ["Same Title", "Other Paper", "Nowhere"], "source_id": ["", "", ""], "topic": ["RL", "RL", "RL"]}
        )
    )
    frame = pd.DataFrame(
        {"title": ["Same title", "SAME TITLE", "Other Paper", "Unlabelled"], "source_id": ["a", "b", "c", "d"]}
    )
    assert matched_labels(frame, labels) == 2
    assert matched_labels(frame.iloc[:0], labels) == 0 and matched_labels(frame, {}) == 0


def test_the_labels_sentence_and_the_taxonomy_name():
    assert page.labels_sentence("data/labels.csv", True, 1, 1) == "1 label in data/labels.csv matched 1 record"
    assert page.labels_sentence("data/labels.csv", True, 0, 0) == (
        "none of the labels in data/labels.csv matched a record in the window"
    )
    assert page.taxonomy_name("/usr/lib/python3/site-packages/authorstats/data/taxonomy.toml") == "bundled taxonomy"
    assert page.taxonomy_name("/home/ann/work/mine.toml") == "mine.toml"


def test_code_spans_escape_first_and_leave_an_unpaired_backtick():
    assert str(html.code_spans("run `a <b>` now")) == "run <code>a &lt;b&gt;</code> now"
    assert str(html.code_spans("one ` alone <x>")) == "one ` alone &lt;x&gt;"
