"""The classification rules as a readable specification: one title (and abstract), word by word.

This is the definition of what a title's topic is (docs/classifier.md, "How a title is scored"). The
batch engine (``engine.py``) must give the same result for every input; a differential test holds it
to this module. Change a rule here first, then in the engine, and the test says whether they agree.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import NamedTuple

from authorstats.config.taxonomy import OTHER, Taxonomy
from authorstats.text import strip_accents

_SEPARATORS = str.maketrans(
    {
        "\u2014": " : ",
        "\u2015": " : ",  # em dash, horizontal bar: a subtitle separator
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2212": "-",  # hyphen-like dashes
        "\u0131": "i",  # dotless i, so that "I".lower() and "ı" agree
    }
)
_WORD = re.compile(r"[^\W_]+|:")  # a run of letters and digits, or a colon (it ends a title's head)
ABSTRACT = " (abstract)"  # added to the evidence an abstract gives


class Classification(NamedTuple):
    """The primary topic, its score and evidence, every topic over the threshold, and how likely it is right.

    A typed named tuple rather than a dataclass: a million-title table makes hundreds of thousands of
    them and sends half across a pipe (parallel.py), where a tuple is several times cheaper to build,
    pickle and unpickle.
    """

    topic: str
    score: float
    evidence: tuple[str, ...] = ()
    topics: tuple[tuple[str, float], ...] = ()
    confidence: float = 0.0


class Calibration(NamedTuple):
    """A logistic model of how often the primary topic is right, from what the rules know about a title.

    Features: the margin ``(top - second) / top`` between the two best topics, the strength
    ``min(top, strong_score) / strong_score`` of the best one, and whether it is weak (scores under 2, a moderate
    sign: a hint or a term after a method marker alone). A title where no term reaches the threshold gets a
    fixed log-odds: ``nothing`` when no term matched at all (often a real Other: a survey, a dataset, a tool),
    ``hinted`` when only terms under the threshold did (a generic word such as "networks": often a topic the
    rules could not name). Fitted by scripts/calibrate.py on the landmark labels and checked on the others
    (docs/classifier.md, "Confidence"); refit it there after changing the taxonomy.
    """

    intercept: float
    margin: float
    strength: float
    weak: float
    nothing: float
    hinted: float


CALIBRATION = Calibration(intercept=-0.32, margin=3.06, strength=0.55, weak=-1.67, nothing=1.18, hinted=-0.89)
WEAK_SCORE = 2.0  # a best topic scoring under this is weak evidence (see Calibration)


def _probability(log_odds: float) -> float:
    return round(1.0 / (1.0 + math.exp(-log_odds)), 2)


def confidence(top: float, second: float, strong_score: float, calibration: Calibration = CALIBRATION) -> float:
    """How likely a title whose best topic scores ``top`` (over the threshold) and next best ``second`` has the
    right topic: the calibrated probability, two decimals."""
    margin = (top - second) / top
    strength = min(top, strong_score) / strong_score
    weak = 1.0 if top < WEAK_SCORE else 0.0
    c = calibration
    return _probability(c.intercept + c.margin * margin + c.strength * strength + c.weak * weak)


NOTHING = Classification(OTHER, 0.0, confidence=_probability(CALIBRATION.nothing))  # no term matched
HINTED = Classification(OTHER, 0.0, confidence=_probability(CALIBRATION.hinted))  # only terms under the threshold


@dataclass(frozen=True)
class Match:
    """One term found in a text: its topic, what it is worth there, and the words it matched."""

    topic: str
    value: float
    text: str


@dataclass(frozen=True)
class _Term:
    topic: str
    weight: float
    words: tuple[re.Pattern[str], ...]  # each must match one whole word


def normalise(text: str) -> str:
    """Lower-case, accent-free text; spaced dashes become ':' (a subtitle separator)."""
    text = strip_accents(text.translate(_SEPARATORS).casefold()).translate(_SEPARATORS)
    return text.replace(" - ", " : ").replace(" -- ", " : ")


def words(text: str) -> list[str]:
    """The words of normalised text, with ':' kept as a word (it ends a title's head)."""
    return _WORD.findall(text)


def format_topics(topics: tuple[tuple[str, float], ...]) -> str:
    """``Topic:score;Topic:score`` as written in the ``topics`` column."""
    return ";".join([f"{name}:{score:g}" for name, score in topics])


@functools.lru_cache(maxsize=16)
def _terms(taxonomy: Taxonomy) -> tuple[_Term, ...]:
    """Every term, in the order they are tried at a word: longest first, then heaviest, then file order."""
    terms = [
        _Term(topic.name, term.weight, tuple(re.compile(word) for word in term.words))
        for topic in taxonomy.topics
        for term in topic.terms
    ]
    return tuple(sorted(terms, key=lambda term: (-len(term.words), -term.weight)))  # sorted() is stable


def find_matches(text: str, taxonomy: Taxonomy, *, title: bool) -> list[Match]:
    """The terms found in normalised ``text``, in text order.

    At each word the first term (in ``_terms`` order) whose words match the next words wholly is taken,
    and matching resumes after it. In a title (``title=True``) a match's weight is multiplied by
    head_boost before the first ':' if a word follows that ':', by method_weight after a method marker
    and by setting_weight after a setting marker (the lower of the two), until a ':' or a reset marker.
    Markers count even inside a matched term; in an abstract they do nothing.
    """
    settings = taxonomy.settings
    tokens = words(text)
    head = settings["head_boost"] if title and ":" in tokens[:-1] else 1.0
    mode = 1.0
    found: list[Match] = []
    resume = 0
    for i, word in enumerate(tokens):
        if title:
            if word == ":":
                head = mode = 1.0
            elif word in settings["method_markers"]:
                mode = settings["method_weight"]
            elif word in settings["setting_markers"]:
                mode = min(mode, settings["setting_weight"])
            elif word in settings["reset_markers"]:
                mode = 1.0
        if i < resume:
            continue  # inside the term matched last
        for term in _terms(taxonomy):
            end = i + len(term.words)
            if (
                term.words[0].fullmatch(word)
                and end <= len(tokens)
                and all(pattern.fullmatch(w) for pattern, w in zip(term.words, tokens[i:end]))
            ):
                hyphenated = "-".join(tokens[i:end])  # the evidence is written as the text writes it
                matched = hyphenated if hyphenated in text else " ".join(tokens[i:end])
                found.append(Match(term.topic, term.weight * head * mode, matched))
                resume = end
                break
    return found


def topic_scores(matches: list[Match], taxonomy: Taxonomy) -> list[tuple[str, float]]:
    """Every matched topic's score, best first (equal scores: the topic matched first).

    A topic's score: each matched text once (title and abstract spelling alike) at its best value,
    summed strongest first with weights 1, decay, decay^2, ..., times the topic's boost, rounded to
    2 places.
    """
    by_topic: dict[str, list[Match]] = {}  # in the order each topic is first matched
    for match in matches:
        by_topic.setdefault(match.topic, []).append(match)
    scores: dict[str, float] = {}
    for name, found in by_topic.items():
        best: dict[str, float] = {}
        for match in found:
            key = match.text.removesuffix(ABSTRACT)
            best[key] = max(best.get(key, 0.0), match.value)
        values = sorted(best.values(), reverse=True)
        total = sum(value * taxonomy.settings["decay"] ** rank for rank, value in enumerate(values))
        scores[name] = round(total * taxonomy.topic(name).boost, 2)
    return sorted(scores.items(), key=lambda item: -item[1])  # stable: ties keep first-matched order


def score(matches: list[Match], taxonomy: Taxonomy) -> Classification:
    """The classification that a list of matches (title order, then abstract order) gives.

    Topics scoring (topic_scores) at least the threshold are kept, best first. Nothing kept: Other. The
    confidence is calibrated from the two best scores (``confidence``).
    """
    settings = taxonomy.settings
    ranked = topic_scores(matches, taxonomy)
    kept = tuple((name, value) for name, value in ranked if value >= settings["threshold"])
    if not kept:
        return HINTED if ranked else NOTHING
    top, top_score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    evidence = tuple(dict.fromkeys(match.text for match in matches if match.topic == top))
    return Classification(top, top_score, evidence, kept, confidence(top_score, second, settings["strong_score"]))


def classify(title: str, abstract: str = "", *, taxonomy: Taxonomy) -> Classification:
    """Classify one title (and its abstract, weighted lower). Deterministic; nothing matched -> Other."""
    title = normalise(title) if isinstance(title, str) else ""
    abstract = normalise(abstract) if isinstance(abstract, str) else ""
    matches = find_matches(title, taxonomy, title=True)
    share = taxonomy.settings["abstract_weight"]
    if abstract and share > 0:
        matches += [
            Match(m.topic, m.value * share, m.text + ABSTRACT) for m in find_matches(abstract, taxonomy, title=False)
        ]
    return score(matches, taxonomy)
