"""Pure topic classification: title (plus abstract when known) -> topic, score, evidence, runners-up, confidence.

Scoring (docs/classifier.md has the full story): a title is lower-cased, accents are dropped and it is
cut into words; every taxonomy term whose words match consecutive title words scores its weight, times
``head_boost`` before a colon (the title's own claim), ``method_weight`` after "via/with/using/by..."
(the method, not the subject) and ``setting_weight`` after "in/on". A shorter match inside a longer one
("contrastive" inside "non-contrastive") is dropped. Each term counts once; a topic's terms are summed
strongest first with weights 1, decay, decay^2, ... and the sum is multiplied by the topic's boost
(application domains win over methods). Abstract matches count ``abstract_weight`` of a title match.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.taxonomy import OTHER, Taxonomy, literal_prefix

if TYPE_CHECKING:
    import pandas as pd

# A compound word ("self-supervised") is kept together so evidence shows it as written; ":" cuts a title.
_COMPOUND = re.compile(r"[^\W_]+(?:-[^\W_]+)*|:")
_SEPARATORS = str.maketrans({
    "\u2014": " : ", "\u2015": " : ",  # em dash, horizontal bar: a subtitle separator
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",  # hyphen-like dashes
    "\u0131": "i",  # dotless i, so that "I".lower() and "ı" agree
})


@dataclass(frozen=True)
class Classification:
    """The primary topic, its score and evidence, every topic over the threshold, and how clear the choice was."""

    topic: str
    score: float
    evidence: tuple[str, ...] = ()
    topics: tuple[tuple[str, float], ...] = ()
    confidence: float = 0.0


NOTHING = Classification(OTHER, 0.0)


def normalise(text: str) -> str:
    """Lower-case, accent-free text with spaced dashes turned into ':' (a subtitle separator)."""
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_SEPARATORS).casefold())
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_SEPARATORS)
    if " -" in text:
        text = text.replace(" - ", " : ").replace(" -- ", " : ")
    return text


def words(text: str) -> tuple[list[str], list[bool]]:
    """Words of normalised text, and for each whether it was hyphen-joined to the previous one."""
    tokens: list[str] = []
    joined: list[bool] = []
    for compound in _COMPOUND.findall(text):
        if "-" in compound:
            parts = compound.split("-")
            tokens.extend(parts)
            joined.append(False)
            joined.extend([True] * (len(parts) - 1))
        else:
            tokens.append(compound)
            joined.append(False)
    return tokens, joined


class _Index:
    """The taxonomy compiled once: word regexes indexed by literal prefix, terms indexed by first word."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self.settings = taxonomy.settings
        self.topic_names = taxonomy.names
        self.boosts = [t.boost for t in taxonomy.topics]
        regex_ids: dict[str, int] = {}
        self.regexes: list[re.Pattern] = []
        self.terms: list[tuple[int, float, tuple[int, ...]]] = []  # (topic index, weight, word ids)
        self.by_first: dict[int, list[int]] = {}
        for topic_index, topic in enumerate(taxonomy.topics):
            for term in topic.terms:
                ids = []
                for word in term.words:
                    if word not in regex_ids:
                        regex_ids[word] = len(self.regexes)
                        self.regexes.append(re.compile(word))
                    ids.append(regex_ids[word])
                self.by_first.setdefault(ids[0], []).append(len(self.terms))
                self.terms.append((topic_index, term.weight, tuple(ids)))
        self.by_prefix: dict[str, list[int]] = {}
        for word, index in regex_ids.items():
            self.by_prefix.setdefault(literal_prefix(word), []).append(index)
        self.always = self.by_prefix.pop("", [])
        self.prefix_lengths = sorted({len(p) for p in self.by_prefix})
        self.method = frozenset(self.settings["method_markers"])
        self.setting = frozenset(self.settings["setting_markers"])
        self.reset = frozenset(self.settings["reset_markers"])
        self._cache: dict[str, frozenset[int]] = {}

    def word_ids(self, token: str) -> frozenset[int]:
        """Ids of the word regexes that match the whole token (memoised per distinct token)."""
        found = self._cache.get(token)
        if found is None:
            candidates = list(self.always)
            for length in self.prefix_lengths:
                if length > len(token):
                    break
                candidates.extend(self.by_prefix.get(token[:length], ()))
            found = frozenset(i for i in candidates if self.regexes[i].fullmatch(token))
            if len(self._cache) < 2_000_000:
                self._cache[token] = found
        return found

    def matches(self, tokens: list[str], factors: list[float] | None):
        """(start, end, term index, factor) of every term occurrence, shorter ones inside longer ones dropped."""
        found = []
        ids = [self.word_ids(t) for t in tokens]
        n = len(tokens)
        for start, first in enumerate(ids):
            for word_id in first:
                for term_index in self.by_first.get(word_id, ()):
                    rest = self.terms[term_index][2]
                    end = start + len(rest)
                    if end > n:
                        continue
                    if all(rest[k] in ids[start + k] for k in range(1, len(rest))):
                        found.append((start, end, term_index, factors[start] if factors else 1.0))
        if len(found) > 1:
            found = [m for m in found if not any(self._covers(o, m) for o in found)]
        return found

    def _covers(self, other: tuple, match: tuple) -> bool:
        """Does ``other`` hide ``match``: a longer match around it, or a heavier one of the same topic overlapping it?"""
        if other is match:
            return False
        if other[0] <= match[0] and match[1] <= other[1] and other[1] - other[0] > match[1] - match[0]:
            return True
        mine, theirs = self.terms[match[2]], self.terms[other[2]]
        if mine[0] != theirs[0] or other[1] <= match[0] or match[1] <= other[0]:
            return False  # another topic, or no overlap
        return (theirs[1], other[1] - other[0], -other[0]) > (mine[1], match[1] - match[0], -match[0])

    def factors(self, tokens: list[str]) -> list[float]:
        """Position weight of every title word: the head before ':' is boosted, method/setting parts damped."""
        settings = self.settings
        has_head = ":" in tokens and tokens.index(":") < len(tokens) - 1
        head = settings["head_boost"] if has_head else 1.0
        mode = 1.0
        out = []
        for token in tokens:
            if token == ":":
                head, mode = 1.0, 1.0
            elif token in self.method:
                mode = settings["method_weight"]
            elif token in self.setting:
                mode = min(mode, settings["setting_weight"])
            elif token in self.reset:
                mode = 1.0
            out.append(head * mode)
        return out


@functools.lru_cache(maxsize=16)
def _index(taxonomy: Taxonomy) -> _Index:
    return _Index(taxonomy)


def _surface(tokens: list[str], joined: list[bool], start: int, end: int) -> str:
    text = tokens[start]
    for k in range(start + 1, end):
        text += ("-" if joined[k] else " ") + tokens[k]
    return text


def classify(title: str, abstract: str = "", *, taxonomy: Taxonomy) -> Classification:
    """Classify one title (and its abstract, weighted lower). Deterministic; nothing matched -> Other."""
    index = _index(taxonomy)
    settings = index.settings
    title_tokens, title_joined = words(normalise(title or ""))
    # term index -> (contribution, evidence text, order of appearance)
    best: dict[int, tuple[float, str, int]] = {}
    for order, (start, end, term_index, factor) in enumerate(index.matches(title_tokens, index.factors(title_tokens))):
        value = index.terms[term_index][1] * factor
        if term_index not in best or value > best[term_index][0]:
            best[term_index] = (value, _surface(title_tokens, title_joined, start, end), order)
    if abstract and isinstance(abstract, str) and settings["abstract_weight"] > 0:
        tokens, joined = words(normalise(abstract))
        for order, (start, end, term_index, _) in enumerate(index.matches(tokens, None), start=10_000):
            value = index.terms[term_index][1] * settings["abstract_weight"]
            if term_index not in best or value > best[term_index][0]:
                best[term_index] = (value, _surface(tokens, joined, start, end) + " (abstract)", order)
    if not best:
        return NOTHING

    per_topic: dict[int, list[float]] = {}
    first_seen: dict[int, int] = {}
    for term_index, (value, _, order) in best.items():
        topic_index = index.terms[term_index][0]
        per_topic.setdefault(topic_index, []).append(value)
        first_seen[topic_index] = min(order, first_seen.get(topic_index, order))
    decay = settings["decay"]
    scores = []
    for topic_index, values in per_topic.items():
        values.sort(reverse=True)
        total = sum(v * decay**rank for rank, v in enumerate(values)) * index.boosts[topic_index]
        scores.append((round(total, 2), topic_index))
    # equal scores: the topic named first in the title wins (the title's own claim), then taxonomy order
    scores.sort(key=lambda s: (-s[0], first_seen[s[1]], s[1]))
    kept = [(index.topic_names[t], s) for s, t in scores if s >= settings["threshold"]]
    if not kept:
        return NOTHING
    top_score, top_index = scores[0]
    second = scores[1][0] if len(scores) > 1 else 0.0
    confidence = (top_score - second) / top_score * min(1.0, top_score / settings["strong_score"])
    evidence = tuple(
        text for _, text, _ in sorted(
            (v for t, v in best.items() if index.terms[t][0] == top_index), key=lambda v: v[2]
        )
    )
    return Classification(
        topic=index.topic_names[top_index],
        score=top_score,
        evidence=tuple(dict.fromkeys(evidence)),
        topics=tuple(kept),
        confidence=round(confidence, 2),
    )


def format_topics(topics: tuple[tuple[str, float], ...]) -> str:
    """``Topic:score;Topic:score`` as written in the ``topics`` column."""
    return ";".join(f"{name}:{score:g}" for name, score in topics)


def classify_frame(df: "pd.DataFrame", taxonomy: Taxonomy) -> "pd.DataFrame":
    """A copy of ``df`` with topic, score, evidence, topics and confidence columns, from ``title`` (+ ``abstract``).

    Each distinct (title, abstract) pair is classified once, so a million rows of repeated titles cost
    no more than their distinct titles.
    """
    import numpy as np
    import pandas as pd

    out = df.copy()
    titles = df["title"].fillna("").astype(str) if "title" in df else pd.Series([""] * len(df), index=df.index)
    title_codes, title_values = pd.factorize(titles, use_na_sentinel=False)
    if "abstract" in df:
        abstracts = df["abstract"].fillna("").astype(str)
        abstract_codes, abstract_values = pd.factorize(abstracts, use_na_sentinel=False)
        pair_codes, pairs = pd.factorize(
            title_codes.astype(np.int64) * max(len(abstract_values), 1) + abstract_codes, use_na_sentinel=False
        )
        width = max(len(abstract_values), 1)
        jobs = [(title_values[p // width], abstract_values[p % width]) for p in pairs.tolist()]
    else:
        pair_codes = title_codes
        jobs = [(t, "") for t in title_values.tolist()]

    n = len(jobs)
    topic = np.empty(n, dtype=object)
    score = np.empty(n, dtype=float)
    evidence = np.empty(n, dtype=object)
    topics = np.empty(n, dtype=object)
    confidence = np.empty(n, dtype=float)
    for i, (title, abstract) in enumerate(jobs):
        result = classify(title, abstract, taxonomy=taxonomy)
        topic[i] = result.topic
        score[i] = result.score
        evidence[i] = ";".join(result.evidence)
        topics[i] = format_topics(result.topics)
        confidence[i] = result.confidence
    out["topic"] = topic[pair_codes]
    out["score"] = score[pair_codes]
    out["evidence"] = evidence[pair_codes]
    out["topics"] = topics[pair_codes]
    out["confidence"] = confidence[pair_codes]
    return out
