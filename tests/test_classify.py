"""The classifier: golden cases, TOPICS.md's tie-breaks, evidence, multi-label scores, and properties."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authorstats.analysis.evaluate import evaluate
from authorstats.classification.engine import Classification, classify, classify_frame, format_topics
from authorstats.shell.config_files import load_taxonomy
from authorstats.shell.csv_files import read_labels_csv

DATA = Path(__file__).parent / "data"
PACKAGE_DATA = Path(__file__).parent.parent / "src" / "authorstats" / "data"
HOLDOUT = PACKAGE_DATA / "holdout_labels.csv"
TAXONOMY = load_taxonomy()


def topic_of(title: str, abstract: str = "") -> str:
    return classify(title, abstract, taxonomy=TAXONOMY).topic


def test_dev_labels_reach_the_accuracy_issue_5_asks():
    result = evaluate(read_labels_csv(DATA / "dev_labels.csv"), TAXONOMY)
    assert result.count == len(read_labels_csv(DATA / "dev_labels.csv")) == 120  # every snapshot title
    assert result.lenient >= 0.95
    assert result.strict >= 0.85


def test_own_cases_beyond_the_dev_set_reach_the_unseen_set_targets_with_margin():
    """Later papers of these authors and field classics, labelled by TOPICS.md rules (tests/data/classify_cases.csv)."""
    result = evaluate(read_labels_csv(DATA / "classify_cases.csv"), TAXONOMY)
    assert result.count >= 150
    assert result.lenient >= 0.95
    assert result.strict >= 0.90


def test_a_holdout_labelled_apart_from_the_taxonomy_reaches_the_unseen_set_targets():
    """80 titles (2023+ papers of these authors and field classics) labelled by TOPICS.md rules by someone
    who did not tune the taxonomy, and measured once before any change (src/authorstats/data/holdout_labels.csv,
    shipped for the deck's methods slide):
    strict 0.887, lenient 1.000. Tune on the other files, never on this one."""
    result = evaluate(read_labels_csv(HOLDOUT), TAXONOMY)
    assert result.count == 80
    assert result.lenient >= 0.85
    assert result.strict >= 0.70


def test_the_public_checks_labelled_before_the_rules_keep_their_figures():
    """316 landmark papers and 109 titles of 16 more researchers, labelled by TOPICS.md before the classifier was
    run on them (docs/classifier.md, "The public checks"): strict/lenient 0.858/0.959 and 0.862/0.945 when written.
    A floor a little under each, so a rule change that loses titles there fails here."""
    landmark = evaluate(read_labels_csv(PACKAGE_DATA / "landmark_labels.csv"), TAXONOMY)
    assert landmark.count == 316
    assert (landmark.strict, landmark.lenient) >= (0.82, 0.93)
    broad = evaluate(read_labels_csv(PACKAGE_DATA / "broad_labels.csv"), TAXONOMY)
    assert broad.count == 109
    assert broad.strict >= 0.80 and broad.lenient >= 0.88


def test_the_issues_two_titles_get_the_topic_a_researcher_gives_by_general_rules():
    resnet = classify("Deep Residual Learning for Image Recognition", taxonomy=TAXONOMY)
    assert (resnet.topic, resnet.evidence) == ("Architecture", ("residual",))  # residual connections: a design
    potts = classify("Neural Potts Model", taxonomy=TAXONOMY)
    assert (potts.topic, potts.evidence) == ("Science & Health", ("potts",))  # the protein-family model, not "neural"


@given(st.lists(st.sampled_from(["neural", "network", "networks", "nets", "neural network", "deep", "learning",
                                 "model", "for", "with", ":", "a", "the"]), min_size=1, max_size=12))  # fmt: skip
@settings(max_examples=200, deadline=None)
def test_a_generic_word_alone_never_decides_a_topic(words):
    assert topic_of(" ".join(words)) == "Other"


def test_a_named_domain_wins_over_the_method_for_every_domain():
    assert topic_of("Transformers for Sentiment Analysis") == "Language & Multimodal"
    assert topic_of("Reinforcement Learning for Autonomous Driving") == "Robotics"
    assert topic_of("Learning to Walk with Deep Reinforcement Learning") == "Robotics"
    assert topic_of("Diffusion Models for Protein Design") == "Science & Health"
    assert topic_of("Graph Neural Networks for Weather Forecasting") == "Science & Health"
    assert topic_of("Convolutional Networks for Fluid Simulation") == "Physics"


def golden_cases():
    with open(DATA / "classify_cases.csv", encoding="utf-8") as handle:
        return [(row["title"], row["topic"], row["also_ok"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(("title", "topic", "also_ok"), golden_cases())
def test_every_golden_case_gets_its_topic_or_an_accepted_one(title, topic, also_ok):
    accepted = {topic, *[t for t in also_ok.split(";") if t]}
    assert topic_of(title) in accepted


def test_nothing_matched_is_other_with_no_score_and_no_evidence():
    nothing = classify("Deep Learning for AI", taxonomy=TAXONOMY)
    assert nothing == Classification("Other", 0.0, (), (), nothing.confidence)
    assert 0.5 < nothing.confidence < 0.9  # no term at all: often a real Other (a survey, a dataset, a tool)
    hinted = classify("Highway Networks", taxonomy=TAXONOMY)  # only a generic word, under the threshold
    assert (hinted.topic, hinted.evidence) == ("Other", ())
    assert hinted.confidence < 0.5 < nothing.confidence  # often a topic the rules could not name: check it first
    assert classify("", taxonomy=TAXONOMY).topic == "Other"


def test_the_titles_own_claim_wins_over_a_mentioned_architecture():
    assert topic_of("Self-Supervised Capsules") == "Self-Supervised"


def test_a_named_application_domain_wins_over_the_method():
    assert topic_of("Biological Sequence Design with GFlowNets") == "Science & Health"
    assert topic_of("Protein Structure Generation with Diffusion Models") == "Science & Health"
    assert topic_of("Self-Supervised Pretraining for Weather Forecasting") == "Science & Health"


def test_a_method_analysis_stays_with_the_method_it_analyses():
    assert topic_of("Understanding Dimensional Collapse in Contrastive Self-supervised Learning") == "Contrastive"
    assert topic_of("Contrastive and Non-Contrastive Self-Supervised Learning") == "Self-Supervised"


def test_acronyms_and_field_names_are_recognised_on_word_boundaries():
    assert topic_of("I-JEPA at Scale") == "Self-Supervised"
    assert topic_of("Deformable DETR") == "Object Detection"
    assert topic_of("Scaling ViTs to a Billion Parameters") == "Architecture"
    assert topic_of("Offline RL without Rewards") == "RL"
    assert topic_of("Neural Solvers for Parametric PDEs") == "Physics"
    # "rl" inside another word, or "gan" inside "organ", is no evidence
    assert topic_of("Curly Hair Modelling") != "RL"
    assert topic_of("Organ Donation Statistics") != "Generation"


def test_plurals_and_inflections_match_through_the_patterns():
    assert topic_of("Generating Molecules") == "Science & Health"
    assert topic_of("A Generative Model of Images") == "Generation"
    assert topic_of("Disentangled Factors of Variation") == "Representation"


def test_evidence_names_the_matched_terms_as_written_in_lower_case():
    result = classify("Barlow Twins: Self-Supervised Learning via Redundancy Reduction", taxonomy=TAXONOMY)
    assert result.topic == "Self-Supervised"
    assert result.evidence == ("barlow twins", "self-supervised", "redundancy reduction")


def test_every_topic_over_the_threshold_is_kept_best_first_with_a_confidence():
    result = classify("Causal Discovery with Reinforcement Learning Agents", taxonomy=TAXONOMY)
    names = [name for name, _ in result.topics]
    assert names[0] == result.topic == "Causality"
    assert "RL" in names
    scores = [score for _, score in result.topics]
    assert scores == sorted(scores, reverse=True)
    assert 0.0 < result.confidence < 1.0


def test_confidence_is_high_for_one_clear_topic_and_low_for_a_close_call():
    clear = classify("Self-Supervised Learning with Joint-Embedding Predictive Architectures", taxonomy=TAXONOMY)
    close = classify("Transformers for Reinforcement Learning", taxonomy=TAXONOMY)
    assert clear.confidence > 0.8
    assert close.confidence < clear.confidence


def test_an_abstract_adds_evidence_with_a_lower_weight_than_the_title():
    alone = classify("A New Method", "We train a diffusion model.", taxonomy=TAXONOMY)
    assert alone.topic == "Generation"
    assert alone.evidence == ("diffusion (abstract)",)
    titled = classify("Vision Transformers", "We use a diffusion model and diffusion sampling.", taxonomy=TAXONOMY)
    assert titled.topic == "Architecture"
    assert dict(titled.topics)["Generation"] < dict(titled.topics)["Architecture"]


def test_the_same_title_always_gives_the_same_result():
    title = "Trajectory balance: Improved credit assignment in GFlowNets"
    assert len({classify(title, taxonomy=TAXONOMY) for _ in range(5)}) == 1


def test_classify_frame_adds_the_columns_and_keeps_the_rest():
    frame = pd.DataFrame(
        {
            "title": ["Decoupled Contrastive Learning", None, "Decoupled Contrastive Learning", "A Survey of Things"],
            "year": [2022, 2021, 2022, 2020],
        }
    )
    out = classify_frame(frame, TAXONOMY)
    assert list(out.columns) == ["title", "year", "topic", "score", "evidence", "topics", "confidence"]
    assert list(out["topic"]) == ["Contrastive", "Other", "Contrastive", "Other"]
    assert out.loc[0, "evidence"] == "contrastive"
    assert out.loc[0, "topics"].startswith("Contrastive:4")
    assert out.loc[1, "score"] == 0.0 and out.loc[1, "evidence"] == ""
    assert out.loc[3, "evidence"] == "survey"
    assert "topic" not in frame.columns  # the input is left alone


def test_classify_frame_uses_the_abstract_column_when_there_is_one():
    frame = pd.DataFrame({"title": ["A New Method", "A New Method"], "abstract": ["", "A diffusion model."]})
    out = classify_frame(frame, TAXONOMY)
    assert list(out["topic"]) == ["Other", "Generation"]


def test_classify_frame_agrees_with_classify_row_by_row():
    titles = [row[0] for row in golden_cases()[:40]]
    out = classify_frame(pd.DataFrame({"title": titles}), TAXONOMY)
    for title, row in zip(titles, out.itertuples()):
        single = classify(title, taxonomy=TAXONOMY)
        assert (row.topic, row.score, row.evidence, row.topics, row.confidence) == (
            single.topic,
            single.score,
            ";".join(single.evidence),
            format_topics(single.topics),
            single.confidence,
        )


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_unicode_title_classifies_without_error(title):
    result = classify(title, title, taxonomy=TAXONOMY)
    assert result.topic in TAXONOMY.names
    assert 0.0 <= result.confidence <= 1.0


titles_with_terms = st.lists(
    st.sampled_from(
        [
            "Self-Supervised",
            "GFlowNets",
            "for",
            "Molecules",
            "via",
            "Diffusion",
            ":",
            "ÉTUDE",
            "ß",
            "Causal",
            "in",
            "RL",
            "Vision-Language",
            "Models",
            "with",
            "x",
            "İstanbul",
            "ǅ",
            "\u00a0",
        ]
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), titles_with_terms), st.sampled_from(["", " ", "\t", "\n  "]))
def test_the_result_does_not_depend_on_letter_case_or_surrounding_whitespace(title, pad):
    expected = classify(title, taxonomy=TAXONOMY)
    for variant in (title.upper(), title.lower(), f"{pad}{title}{pad}"):
        got = classify(variant, taxonomy=TAXONOMY)
        assert (got.topic, got.score, got.topics) == (expected.topic, expected.score, expected.topics)


def test_a_large_table_split_over_two_processes_gives_the_same_results(monkeypatch):
    import multiprocessing

    import pandas as pd

    from authorstats.classification import engine, parallel

    taxonomy = load_taxonomy()
    titles = pd.read_csv(Path(__file__).parent / "data" / "classify_cases.csv")["title"]
    frame = pd.DataFrame({"title": list(titles) * 3})
    alone = engine.classify_table(frame, taxonomy)
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 10)  # the 155 distinct cases stand in for 200,000 titles
    started = []
    real_start = multiprocessing.process.BaseProcess.start
    monkeypatch.setattr(
        multiprocessing.process.BaseProcess, "start", lambda self: started.append(self) or real_start(self)
    )
    split = engine.classify_table(frame, taxonomy, workers=2)

    assert len(started) == 1 and started[0].exitcode == 0
    assert [split.cells()[c] for c in split.codes] == [alone.cells()[c] for c in alone.codes]
    assert engine.classify_table(frame, taxonomy).codes.tolist() == alone.codes.tolist()  # default: one process


@pytest.mark.slow  # fits a logistic regression on 316 titles classified by the slow spec (about 2 s)
def test_the_confidence_constants_are_what_the_landmark_labels_fit():
    """spec.CALIBRATION must be refitted (scripts/calibrate.py) when the taxonomy changes what the rules answer."""
    import importlib.util

    from authorstats.classification import spec

    script = Path(__file__).parent.parent / "scripts" / "calibrate.py"
    loader = importlib.util.spec_from_file_location("calibrate", script)
    module = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(module)
    fitted = module.fit()
    for name, value in spec.CALIBRATION._asdict().items():
        assert getattr(fitted, name) == pytest.approx(value, abs=0.03), name
