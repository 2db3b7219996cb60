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

_SEPARATORS = str.maketrans({
    "\u2014": " : ", "\u2015": " : ",  # em dash, horizontal bar: a subtitle separator
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-",  # hyphen-like dashes
    "\u0131": "i",  # dotless i, so that "I".lower() and "ı" agree
})
# ASCII fast path (bytes.translate is far faster than str.translate): every character that is not a
# letter or digit separates words; ':' is made a word of its own before.
_ASCII_WORDS = bytes(c if (chr(c).isalnum() and c < 128) or chr(c) == ":" else 32 for c in range(256))
_UNICODE_WORDS = re.compile(r"[^\W_]+|:")
_EMPTY: tuple = ((), frozenset())


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
    """Lower-case, accent-free text; spaced dashes become ':' (a subtitle separator)."""
    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text.translate(_SEPARATORS).casefold())
        text = "".join(c for c in text if not unicodedata.combining(c)).translate(_SEPARATORS)
    if " -" in text:
        text = text.replace(" - ", " : ").replace(" -- ", " : ")
    return text


def words(text: str) -> list[str]:
    """The words of normalised text, with ':' kept as a word (it ends a title's head)."""
    if text.isascii():
        if ":" in text:
            text = text.replace(":", " : ")
        return text.encode().translate(_ASCII_WORDS).decode().split()
    return _UNICODE_WORDS.findall(text)


class _Index:
    """The taxonomy compiled once: word regexes indexed by literal prefix, terms indexed by first word."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.settings = settings = taxonomy.settings
        self.topic_names = taxonomy.names
        self.boosts = [t.boost for t in taxonomy.topics]
        regex_ids: dict[str, int] = {}
        self.regexes: list[re.Pattern] = []
        # (topic index, weight, word ids); word ids index self.regexes
        self.terms: list[tuple[int, float, tuple[int, ...]]] = []
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
        for word, number in regex_ids.items():
            self.by_prefix.setdefault(literal_prefix(word), []).append(number)
        self.always = self.by_prefix.pop("", [])
        self.prefix_lengths = sorted({len(p) for p in self.by_prefix})
        self.method = frozenset(settings["method_markers"])
        self.setting = frozenset(settings["setting_markers"])
        self.reset = frozenset(settings["reset_markers"])
        self.markers = self.method | self.setting | self.reset | {":"}
        self.cache: dict[str, tuple] = {}

    def lookup(self, token: str) -> tuple:
        """(terms that can start at this word, longest first; ids of the word regexes it matches), memoised."""
        candidates = list(self.always)
        for length in self.prefix_lengths:
            if length > len(token):
                break
            candidates.extend(self.by_prefix.get(token[:length], ()))
        ids = frozenset(i for i in candidates if self.regexes[i].fullmatch(token))
        if ids:
            starts = sorted(
                (t for i in ids for t in self.by_first.get(i, ())),
                key=lambda t: (-len(self.terms[t][2]), -self.terms[t][1], t),
            )
            entry = (tuple(starts), ids)
        else:
            entry = _EMPTY
        if len(self.cache) < 2_000_000:  # bound the memory a stream of odd words can take
            self.cache[token] = entry
        return entry

    def matches(self, text: str, weighted: bool) -> list[tuple[int, float, str, int]]:
        """(topic index, value, matched words, position) of every term, longest first, never overlapping.

        With ``weighted`` (a title), words before a ':' get head_boost, and words after a method or
        setting marker get method_weight or setting_weight until the next ':' or reset marker.
        """
        tokens = words(text)
        get = self.cache.get
        entries = [get(t) or self.lookup(t) for t in tokens]
        markers = self.markers
        if weighted:
            relevant = [i for i, e in enumerate(entries) if e is not _EMPTY or tokens[i] in markers]
        else:
            relevant = [i for i, e in enumerate(entries) if e is not _EMPTY]
        if not relevant:
            return []
        settings = self.settings
        head = mode = 1.0
        if weighted and ":" in tokens and tokens.index(":") < len(tokens) - 1:
            head = settings["head_boost"]
        out = []
        n = len(tokens)
        skip = 0
        terms = self.terms
        for i in relevant:
            token = tokens[i]
            if weighted and token in markers:
                if token == ":":
                    head = mode = 1.0
                elif token in self.method:
                    mode = settings["method_weight"]
                elif token in self.setting:
                    mode = min(mode, settings["setting_weight"])
                else:
                    mode = 1.0
            entry = entries[i]
            if i < skip or entry is _EMPTY:
                continue
            for term_index in entry[0]:
                topic_index, weight, ids = terms[term_index]
                end = i + len(ids)
                if end - i > 1:
                    if end > n or not all(ids[k] in entries[i + k][1] for k in range(1, len(ids))):
                        continue
                    spaced, hyphenated = " ".join(tokens[i:end]), "-".join(tokens[i:end])
                    matched = hyphenated if hyphenated in text else spaced
                else:
                    matched = token
                out.append((topic_index, weight * head * mode, matched, i))
                skip = end
                break
        return out


@functools.lru_cache(maxsize=16)
def _index(taxonomy: Taxonomy) -> _Index:
    return _Index(taxonomy)


def _score(index: _Index, title: str, abstract: str):
    """(topic, score, evidence, kept topics, confidence), or None when nothing passes the threshold."""
    matches = index.matches(normalise(title), True) if title else []
    if abstract and index.settings["abstract_weight"] > 0:
        share = index.settings["abstract_weight"]
        matches += [(t, v * share, f"{m} (abstract)", 100_000 + p)
                    for t, v, m, p in index.matches(normalise(abstract), False)]
    if not matches:
        return None
    per_topic: dict[int, list] = {}
    for match in matches:  # in title order, then abstract order
        found = per_topic.get(match[0])
        if found is None:
            per_topic[match[0]] = [match]
        else:
            found.append(match)
    settings = index.settings
    decay = settings["decay"]
    scores = []
    for topic_index, found in per_topic.items():
        if len(found) == 1:
            total = found[0][1]
        else:
            best: dict[str, float] = {}  # a text counts once per topic, at its best weight
            for _, value, text, _ in found:
                key = text.removesuffix(" (abstract)")
                if value > best.get(key, 0.0):
                    best[key] = value
            values = sorted(best.values(), reverse=True)
            total = sum(v * decay**rank for rank, v in enumerate(values))
        # equal scores: the topic named first in the title wins (the title's own claim), then taxonomy order
        scores.append((-round(total * index.boosts[topic_index], 2), found[0][3], topic_index))
    scores.sort()
    threshold = settings["threshold"]
    names = index.topic_names
    kept = [(names[t], -s) for s, _, t in scores if -s >= threshold]
    if not kept:
        return None
    top_index = scores[0][2]
    top_score = kept[0][1]
    second = -scores[1][0] if len(scores) > 1 else 0.0
    confidence = (top_score - second) / top_score * min(1.0, top_score / settings["strong_score"])
    evidence = tuple(dict.fromkeys(m[2] for m in per_topic[top_index]))
    return names[top_index], top_score, evidence, kept, round(confidence, 2)


def classify(title: str, abstract: str = "", *, taxonomy: Taxonomy) -> Classification:
    """Classify one title (and its abstract, weighted lower). Deterministic; nothing matched -> Other."""
    result = _score(_index(taxonomy), title if isinstance(title, str) else "",
                    abstract if isinstance(abstract, str) else "")
    if result is None:
        return NOTHING
    topic, score, evidence, kept, confidence = result
    return Classification(topic, score, evidence, tuple(kept), confidence)


def format_topics(topics: tuple[tuple[str, float], ...]) -> str:
    """``Topic:score;Topic:score`` as written in the ``topics`` column."""
    return ";".join([f"{name}:{score:g}" for name, score in topics])


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
    index = _index(taxonomy)
    for i, (title, abstract) in enumerate(jobs):
        result = _score(index, title, abstract)
        if result is None:
            topic[i], score[i], evidence[i], topics[i], confidence[i] = OTHER, 0.0, "", "", 0.0
        else:
            topic[i], score[i], evidence[i], topics[i], confidence[i] = (
                result[0], result[1], ";".join(result[2]), format_topics(result[3]), result[4]
            )
    out["topic"] = topic[pair_codes]
    out["score"] = score[pair_codes]
    out["evidence"] = evidence[pair_codes]
    out["topics"] = topics[pair_codes]
    out["confidence"] = confidence[pair_codes]
    return out
