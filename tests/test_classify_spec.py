"""The batch engine agrees with the specification (classify/spec.py) on every labelled title and on
arbitrary titles and abstracts made of taxonomy terms, markers, random words, punctuation and unicode."""

from __future__ import annotations

import csv
import string
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authorstats.classification import engine, spec
from authorstats.config.taxonomy import parse_taxonomy

DATA = Path(__file__).parent / "data"
_BUNDLED = Path(engine.__file__).parent.parent / "data" / "taxonomy.toml"
TAXONOMY = parse_taxonomy(_BUNDLED.read_text(encoding="utf-8"), _BUNDLED)


def columns(result: spec.Classification) -> tuple:
    """The five columns classify_frame writes for one result."""
    return (result.topic, result.score, ";".join(result.evidence), spec.format_topics(result.topics), result.confidence)


def assert_agree(titles: list[str], abstracts: list[str] | None = None) -> None:
    """classify_frame (one batch) and engine.classify (one title) give the spec's result for every row."""
    frame = pd.DataFrame({"title": titles} if abstracts is None else {"title": titles, "abstract": abstracts})
    out = engine.classify_frame(frame, TAXONOMY)
    for number, title in enumerate(titles):
        abstract = "" if abstracts is None else abstracts[number]
        expected = spec.classify(title, abstract, taxonomy=TAXONOMY)
        row = out.iloc[number]
        got = (row["topic"], row["score"], row["evidence"], row["topics"], row["confidence"])
        assert got == columns(expected), (title, abstract)
        assert engine.classify(title, abstract, taxonomy=TAXONOMY) == expected, (title, abstract)


def labelled_titles() -> list[str]:
    titles = []
    shipped = Path(__file__).parent.parent / "src" / "authorstats" / "data" / "holdout_labels.csv"  # the deck's check
    for path in sorted([*DATA.glob("*labels*.csv"), DATA / "classify_cases.csv", shipped]):
        with open(path, encoding="utf-8") as handle:
            titles += [row["title"] for row in csv.DictReader(handle)]
    return titles


def test_the_engine_agrees_with_the_spec_on_every_labelled_title():
    titles = labelled_titles()
    assert len(titles) >= 300
    assert_agree(titles)
    assert_agree(titles, titles[::-1])  # and with other titles as abstracts


# --- arbitrary titles ---------------------------------------------------------------------------

_TERMS = [term for topic in TAXONOMY.topics for term in topic.terms]
_ASCII = string.ascii_lowercase + string.digits + " "


def _word(pattern: str) -> st.SearchStrategy[str]:
    """A word one term word (a regex) matches wholly: in plain ASCII, or in any letters."""
    return st.one_of(st.from_regex(pattern, fullmatch=True, alphabet=_ASCII), st.from_regex(pattern, fullmatch=True))


# a whole term, its words joined by spaces or hyphens (multi-word terms rarely come together by chance)
_term_text = st.sampled_from(_TERMS).flatmap(
    lambda term: st.tuples(*[_word(w) for w in term.words], st.sampled_from([" ", "-", "\u2010", " - "])).map(
        lambda parts: parts[-1].join(parts[:-1])
    )
)
_markers = st.sampled_from(
    sorted(
        {
            *TAXONOMY.settings["method_markers"],
            *TAXONOMY.settings["setting_markers"],
            *TAXONOMY.settings["reset_markers"],
            ":",
        }
    )
)
_marks = st.sampled_from(
    [
        ":",
        "-",
        "--",
        "\u2014",
        "\u2013",
        "\u2010",
        "\u2212",
        "_",
        "'",
        "(",
        ")",
        ",",
        ".",
        "/",
        "É",
        "é",
        "ü",
        "ß",
        "İ",
        "ı",
        "ǅ",
        "\u0301",
        "\u00a0",
        "ﬁ",
        "Ⅸ",
        "²",
        "\x01",
        "\x02",
    ]
)
_other = st.one_of(st.text(max_size=8), st.text(alphabet=string.ascii_letters, min_size=1, max_size=8))
_piece = st.one_of(
    _term_text,
    _term_text,
    st.sampled_from(_TERMS).flatmap(lambda t: _word(t.words[0])),
    _markers,
    _markers,
    _marks,
    _other,
)
_gap = st.sampled_from([" "] * 12 + ["", "-", "\u2010", "\u2013", "\t", "\n", " - ", " -- ", ": ", " \u2014 "])
_case = st.sampled_from([str, str, str.upper, str.title, str.lower])
# titles shaped like real ones: terms, markers and plain words between single spaces
_shaped = st.lists(
    st.one_of(_term_text, _markers, st.text(alphabet=string.ascii_letters, min_size=1, max_size=8)), max_size=12
).map(" ".join)
# and anything: every kind of piece, glued by spaces, dashes, colons or nothing
_messy = st.lists(st.tuples(_piece, _gap), max_size=16).map(lambda parts: "".join(p + g for p, g in parts))
texts = st.tuples(st.one_of(_shaped, _messy), _case).map(lambda drawn: drawn[1](drawn[0]))


@pytest.mark.slow
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(texts, min_size=1, max_size=12))
def test_the_engine_agrees_with_the_spec_on_arbitrary_titles(titles):
    assert_agree(titles)


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(texts, st.one_of(st.just(""), texts)), min_size=1, max_size=8))
def test_the_engine_agrees_with_the_spec_on_arbitrary_titles_and_abstracts(pairs):
    assert_agree([title for title, _ in pairs], [abstract for _, abstract in pairs])


@pytest.mark.parametrize(
    "title",
    [
        "Self-Supervised Learning via Non-Contrastive Methods: a Survey",
        "Réseaux — «auto-supervisés»: étude in RL with GFlowNets for Molecules",
        "GFlowNets - Diffusion -- Causal : ",
        "Vision\u2010Language Models: vision-language models and Vision Language Models",
    ],
)
def test_known_tricky_titles_agree(title):
    assert_agree([title, title.upper(), title + ":"])
