"""Pure: a starter taxonomy from titles (and abstracts): TF-IDF + NMF topics, each named by its top terms.

Titles in, TOML text out: the shell reads the records and writes the file. The model is fitted with
a fixed seed, so the same titles give the same file. When the number of topics is not given, it is
the one of MIN_TOPICS..MAX_TOPICS whose topics are most coherent: the mean normalised pointwise mutual
information (NPMI) of the top terms of each topic, counted over the texts themselves (which pairs of
a topic's terms occur in the same title more often than chance). Ties go to the fewer topics.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.text import clean_control

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from scipy.sparse import csr_matrix

    from authorstats.config.taxonomy import Taxonomy

SEED = 15
LOW_CONFIDENCE = (
    0.7  # --extend fits the records tagged Other or with a confidence under this (right under 70% of the time)
)
MIN_TOPICS = 2
MAX_TOPICS = 12
TERMS_PER_TOPIC = 8  # the weighted patterns written per topic
COHERENCE_TERMS = 10  # the top terms whose pairs the coherence criterion scores
TITLES_PER_TOPIC = 10  # the titles written as comments under each topic
DOCS_PER_TOPIC = 5  # the fewest texts per topic: fewer texts than MIN_TOPICS * this cannot be modelled
# How much more coherent than the same words shuffled at random the chosen model must be for its topics to be
# worth proposing. Measured (docs/classifier.md): 150 titles of three far-apart fields (tests/data) are 0.45 above
# their shuffle, 90-120 of them 0.29-0.31, 60 of them 0.21; the bundled 118 machine-learning titles 0.11-0.25.
MIN_MARGIN = 0.3
TEXTS_NEEDED = 150  # about as few as three far-apart fields need to pass MIN_MARGIN; one field needs more
# Words that say nothing about a field, on top of scikit-learn's English stop words.
EXTRA_STOPWORDS = (
    "using",
    "based",
    "new",
    "towards",
    "toward",
    "via",
    "case",
    "study",
    "studies",
    "approach",
    "results",
    "evidence",
    "analysis",
    "effects",
    "effect",
    "role",
    "note",
)
_TOKEN = r"(?u)\b[^\W\d_][^\W\d_]+\b"  # words of two letters or more, no digits


@dataclass(frozen=True)
class SuggestedTopic:
    name: str
    terms: tuple[tuple[str, float], ...]  # (term, weight 1..4), strongest first
    titles: tuple[str, ...]  # the titles that load most on the topic, most first
    size: int  # texts whose strongest topic this is


@dataclass(frozen=True)
class Suggestion:
    topics: tuple[SuggestedTopic, ...]
    coherence: dict[int, float]  # number of topics -> mean NPMI (only the numbers tried)
    chosen: int
    shuffled: float | None = None  # the best coherence of the same words shuffled (when the number was chosen)


class TooFewTexts(ValueError):
    """Not enough usable texts (or distinct words) to fit the model."""


class NoTopicsFound(TooFewTexts):
    """The texts fit, but their best model is hardly more coherent than the same words shuffled at random."""


def suggest_topics(
    texts: Sequence[str],
    titles: Sequence[str] | None = None,
    *,
    topics: int | None = None,
    seed: int = SEED,
    taken: Sequence[str] = (),
    progress: Callable[[int], None] | None = None,
) -> Suggestion:
    """Topics for ``texts`` (title plus abstract where known); ``titles`` are shown as comments (default: ``texts``).

    ``topics``: how many; None picks it by coherence. ``taken``: names already in use (an existing taxonomy).
    ``progress(1)`` is called after each model fitted (models_to_fit(len(texts)) models when ``topics`` is None).
    When the number is chosen, NoTopicsFound if the chosen model is less than MIN_MARGIN more coherent than the
    best model of the same words shuffled among the texts (shuffle_words): those would be topics of noise.
    """
    shown = list(titles) if titles is not None else list(texts)
    if len(texts) < MIN_TOPICS * DOCS_PER_TOPIC:
        raise TooFewTexts(f"{len(texts)} texts; a topic model needs at least {MIN_TOPICS * DOCS_PER_TOPIC}")
    try:
        matrix, vocabulary = _vectorized(texts)
    except ValueError:  # no word occurs in two texts
        raise TooFewTexts("no word occurs in two of the texts") from None
    most = min(MAX_TOPICS, len(texts) // DOCS_PER_TOPIC, len(vocabulary) - 1)
    if topics is not None and topics > min(len(texts), len(vocabulary)):
        raise TooFewTexts(
            f"{topics} topics need more texts or words than these {len(texts)} texts "
            f"with {len(vocabulary)} words in common"
        )
    candidates = [topics] if topics is not None else list(range(MIN_TOPICS, max(MIN_TOPICS, most) + 1))
    fitted = _fit(matrix, candidates, seed, progress)
    coherence = {n: score for n, (_, _, score) in fitted.items()}
    chosen = max(candidates, key=lambda n: (coherence[n], -n))
    shuffled = None
    if topics is None:  # the number was chosen: are there topics at all, or only words?
        try:
            shuffled_matrix, _ = _vectorized(shuffle_words(texts, seed))
            shuffled = max(score for _, _, score in _fit(shuffled_matrix, candidates, seed, progress).values())
        except ValueError:  # shuffled, no word is in two texts any more (or too few for a model): no baseline
            shuffled = None
        if shuffled is not None and coherence[chosen] - shuffled < MIN_MARGIN:
            size = f"too few (under {TEXTS_NEEDED})" if len(texts) < TEXTS_NEEDED else "too alike"
            raise NoTopicsFound(
                f"these {len(texts)} texts are {size} for a useful suggestion: the most coherent model "
                f"({chosen} topics, {coherence[chosen]:.3f}) is only {coherence[chosen] - shuffled:.2f} above the "
                f"same words shuffled at random ({shuffled:.3f}), and real topics show at least {MIN_MARGIN:g} "
                f"above (about {TEXTS_NEEDED} titles of three far-apart fields do; titles of one field need more)"
            )
    weights, components, _ = fitted[chosen]
    return Suggestion(_topics(weights, components, vocabulary, shown, taken), coherence, chosen, shuffled)


def _vectorized(texts: Sequence[str]) -> tuple[csr_matrix, list[str]]:
    """The TF-IDF matrix of ``texts`` and its vocabulary; ValueError when no word occurs in two texts."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    vectorizer = TfidfVectorizer(
        stop_words=sorted(ENGLISH_STOP_WORDS | set(EXTRA_STOPWORDS)),
        token_pattern=_TOKEN,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
    )
    return vectorizer.fit_transform(texts), [str(term) for term in vectorizer.get_feature_names_out()]


def _fit(
    matrix: csr_matrix, candidates: Sequence[int], seed: int, progress: Callable[[int], None] | None
) -> dict[int, tuple[np.ndarray, np.ndarray, float]]:
    """For each number of topics: the NMF model's text weights, its components and its coherence."""
    import warnings

    import numpy
    from sklearn.decomposition import NMF
    from sklearn.exceptions import ConvergenceWarning

    present = (matrix > 0).astype("int64").tocsc()
    out = {}
    for n in candidates:
        model = NMF(n_components=n, init="nndsvda", random_state=seed, max_iter=500)
        # a perfect fit rounds its error a hair below zero before the sqrt; a model of noise (shuffled words, or
        # too few titles) may not settle in 500 steps, which its low coherence then says in words, not a warning
        with numpy.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            weights = model.fit_transform(matrix)
        out[n] = (weights, model.components_, round(_mean_npmi(model.components_, present), 6))
        if progress is not None:
            progress(1)
    return out


def shuffle_words(texts: Sequence[str], seed: int = SEED) -> list[str]:
    """``texts`` with all their words shuffled among them (each text keeps its length): the same words, no topics."""
    import random

    words = [text.split() for text in texts]
    pool = [word for text in words for word in text]
    random.Random(seed).shuffle(pool)
    out, start = [], 0
    for text in words:
        out.append(" ".join(pool[start : start + len(text)]))
        start += len(text)
    return out


def models_to_fit(texts: int) -> int:
    """How many models suggest_topics fits to choose the number of topics for ``texts`` texts (at most): each
    number of topics on the texts, and again on their words shuffled."""
    return 2 * max(1, min(MAX_TOPICS, texts // DOCS_PER_TOPIC) - MIN_TOPICS + 1)


def already_there(topics: Sequence[SuggestedTopic], taxonomy: Taxonomy) -> dict[str, str]:
    """The suggested topics ``taxonomy`` already has -> the topic that has them: their top three terms, read as a
    title, get that topic with a confidence of LOW_CONFIDENCE or more (what --extend counts as covered)."""
    import pandas as pd

    from authorstats.classification.engine import classify_frame
    from authorstats.config.taxonomy import OTHER

    if not topics:
        return {}
    texts = [" ".join(term for term, _ in topic.terms[:3]) for topic in topics]
    tagged = classify_frame(pd.DataFrame({"title": texts, "abstract": ""}), taxonomy)
    return {
        topic.name: str(name)
        for topic, name, confidence in zip(topics, tagged["topic"], tagged["confidence"])
        if name != OTHER and confidence >= LOW_CONFIDENCE
    }


def texts_frame(titles: Sequence[str], abstracts: Sequence[str] | None = None) -> pd.DataFrame:
    """Titles (and abstracts) as the table the classifier reads, and the text the model reads: title then abstract."""
    import pandas as pd

    frame = pd.DataFrame({"title": list(titles), "abstract": list(abstracts) if abstracts is not None else ""})
    frame["abstract"] = frame["abstract"].fillna("").astype(str)
    frame["text"] = (frame["title"].astype(str) + " " + frame["abstract"]).str.strip()
    return frame


def uncovered(frame: pd.DataFrame, taxonomy: Taxonomy, below: float = LOW_CONFIDENCE) -> pd.DataFrame:
    """The rows of ``frame`` (texts_frame's) that ``taxonomy`` leaves in Other or tags with confidence under
    ``below``."""
    from authorstats.classification.engine import classify_frame
    from authorstats.config.taxonomy import OTHER

    tagged = classify_frame(frame[["title", "abstract"]], taxonomy)
    keep = (tagged["topic"] == OTHER) | (tagged["confidence"] < below)
    return frame[keep.to_numpy()].reset_index(drop=True)


def topic_counts(frame: pd.DataFrame, taxonomy: Taxonomy) -> dict[str, int]:
    """How many rows of ``frame`` each topic of ``taxonomy`` takes (taxonomy order, Other last, zeros kept)."""
    from authorstats.classification.engine import classify_frame

    counts = classify_frame(frame[["title", "abstract"]], taxonomy)["topic"].value_counts()
    return {name: int(counts.get(name, 0)) for name in taxonomy.names}


def _mean_npmi(components: np.ndarray, present: csr_matrix) -> float:
    """Mean over topics of the mean NPMI of each pair of the topic's top terms, from document co-occurrence."""
    total = present.shape[0]
    scores = []
    for row in components:
        top = [int(i) for i in row.argsort()[::-1][:COHERENCE_TERMS] if row[i] > 0]
        columns = present[:, top]
        together = (columns.T @ columns).toarray()
        pairs = []
        for a in range(len(top)):
            for b in range(a + 1, len(top)):
                both = together[a, b] / total
                if both == 0:
                    pairs.append(-1.0)
                    continue
                pa, pb = together[a, a] / total, together[b, b] / total
                pairs.append(1.0 if both == 1 else math.log(both / (pa * pb)) / -math.log(both))
        scores.append(sum(pairs) / len(pairs) if pairs else -1.0)
    return sum(scores) / len(scores)


def _topics(
    weights: np.ndarray, components: np.ndarray, vocabulary: Sequence[str], titles: Sequence[str], taken: Sequence[str]
) -> tuple[SuggestedTopic, ...]:
    used = {name.casefold() for name in [*taken, "Other", "Total"]}
    strongest = weights.argmax(axis=1)
    has_any = weights.max(axis=1) > 0
    topics = []
    for k, row in enumerate(components):
        order = [int(i) for i in row.argsort()[::-1] if row[i] > 0]
        terms = _distinct_terms([str(vocabulary[i]) for i in order], TERMS_PER_TOPIC)
        by_term = {str(vocabulary[i]): float(row[i]) for i in order}
        peak = by_term[terms[0]] if terms else 1.0
        weighted = tuple((t, round(1 + 3 * by_term[t] / peak, 1)) for t in terms)
        loading = weights[:, k]
        best = [int(i) for i in loading.argsort(kind="stable")[::-1][:TITLES_PER_TOPIC] if loading[i] > 0]
        name = _name(terms, used)
        used.add(name.casefold())
        size = int(((strongest == k) & has_any).sum())
        topics.append(SuggestedTopic(name, weighted, tuple(titles[i] for i in best), size))
    return tuple(sorted(topics, key=lambda t: -t.size))


def _distinct_terms(ranked: Sequence[str], limit: int) -> list[str]:
    """The strongest terms, leaving out a word already inside a kept phrase (or a phrase made of kept words)."""
    kept: list[str] = []
    for term in ranked:
        words = set(term.split())
        if any(words <= set(other.split()) or set(other.split()) <= words for other in kept):
            continue
        kept.append(term)
        if len(kept) == limit:
            break
    return kept


def _name(terms: Sequence[str], used: set[str]) -> str:
    base = " / ".join(t.title() for t in terms[:3]) or "Topic"
    name, number = base, 2
    while name.casefold() in used:
        name, number = f"{base} ({number})", number + 1
    return name


def taxonomy_text(suggestion: Suggestion, *, source: str, extend: str | None = None) -> str:
    """The suggestion as a taxonomy TOML text in the bundled format; with ``extend`` (a taxonomy's text), that text
    followed by the suggested topics as additions."""
    lines = []
    if extend is None:
        lines += [
            "# A starter taxonomy suggested by `authorstats taxonomy suggest` from " + _comment(source) + ".",
            f"# {len(suggestion.topics)} topics of a TF-IDF + NMF topic model (seed {SEED}); each is named by its top",
            "# terms, which are its patterns, weighted 1-4 by how much they count in the topic. The titles that load",
            "# most on a topic follow it as comments. Rename, merge and edit the topics, then use the file with",
            "# --taxonomy. Anything no topic matches goes to Other.",
            "",
        ]
    else:
        kept, dropped = without_groupings(extend)
        lines += [
            kept.rstrip("\n"),
            "",
            "# Topics suggested by `authorstats taxonomy suggest --extend` from " + _comment(source) + ",",
            "# fitted on the records this taxonomy leaves in Other or tags with low confidence.",
        ]
        if dropped:
            lines += [
                "# The taxonomy's groupings (" + ", ".join(dropped) + ") were left out: every topic must be in one of",
                "# their categories, so put the new topics into categories and copy the groupings back.",
            ]
        lines.append("")
    for topic in suggestion.topics:
        about = f"Suggested from {topic.size} texts; top terms: {', '.join(t for t, _ in topic.terms[:5])}."
        lines += ["[[topic]]", f"name = {_string(topic.name)}", f"description = {_string(about)}", "[topic.terms]"]
        lines += [f"{_key(term)} = {weight:g}" for term, weight in topic.terms]
        lines += [f"# {_comment(title)}" for title in topic.titles]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def without_groupings(text: str) -> tuple[str, list[str]]:
    """A taxonomy's text without its ``[groupings]`` tables, and their names: new topics are in none of their
    categories, and a grouping must place every topic (config/groupings.py)."""
    import tomlkit

    document = tomlkit.parse(text)
    if "groupings" not in document:
        return text, []
    names = [str(name) for name in document["groupings"]]
    del document["groupings"]
    return tomlkit.dumps(document), names


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string: JSON's escapes are TOML's


def _key(term: str) -> str:
    pattern = " ".join(re.escape(word) for word in term.split())
    return f"'{pattern}'" if "'" not in pattern else _string(pattern)


def _comment(text: str) -> str:
    return " ".join(clean_control(text).split())
