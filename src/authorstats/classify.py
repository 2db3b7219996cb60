"""Pure topic classification: title (plus abstract when known) -> topic, score, evidence, runners-up, confidence.

Scoring (docs/classifier.md has the full story): a title is lower-cased, accents are dropped and it is
cut into words. At each word the longest taxonomy term whose words match the following title words is
taken (so "non-contrastive" hides "contrastive") and matching resumes after it. A match scores its
weight, times ``head_boost`` before a colon (the title's own claim), ``method_weight`` after
"via/with/using/by..." (the method, not the subject) and ``setting_weight`` after "in/on". A matched
text counts once per topic; a topic's matches are summed strongest first with weights 1, decay,
decay^2, ... and the sum is multiplied by the topic's boost (application domains win over methods).
Abstract matches count ``abstract_weight`` of a title match. Equal scores: the topic named first wins.
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
_ASCII_WORDS_BATCH = bytes(c if (chr(c).isalnum() and c < 128) or chr(c) in ":\x01" else 32 for c in range(256))
_UNICODE_WORDS = re.compile(r"[^\W_]+|:")
_EMPTY: tuple = ((), frozenset(), 0)  # (terms starting here, word-regex ids, marker kind)
_COLON, _METHOD, _SETTING, _RESET, _TITLE_END = 1, 2, 3, 4, 5
_SEP = "\x01"  # joins the titles of a batch; never a word
_SEP_ENTRY: tuple = ((), frozenset(), _TITLE_END)
_BATCH = 20_000  # titles per batch: big enough to amortise, small enough to bound memory


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
        self.cache: dict[str, tuple] = {_SEP: _SEP_ENTRY}
        self.scored: dict[tuple, tuple | None] = {}

    def lookup(self, token: str) -> tuple:
        """(terms that can start at this word, longest first; ids of the word regexes it matches; marker kind)."""
        candidates = list(self.always)
        for length in self.prefix_lengths:
            if length > len(token):
                break
            candidates.extend(self.by_prefix.get(token[:length], ()))
        ids = frozenset(i for i in candidates if self.regexes[i].fullmatch(token))
        kind = (_COLON if token == ":" else _METHOD if token in self.method else _SETTING if token in self.setting
                else _RESET if token in self.reset else 0)
        if ids or kind:
            starts = sorted(
                (t for i in ids for t in self.by_first.get(i, ())),
                key=lambda t: (-len(self.terms[t][2]), -self.terms[t][1], t),
            )
            # each start: (topic index, weight, ids of the term's further words)
            entry = (tuple((self.terms[t][0], self.terms[t][1], self.terms[t][2][1:]) for t in starts), ids, kind)
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
        lookup = self.lookup
        entries = [get(t) or lookup(t) for t in tokens]
        head = mode = 1.0
        if weighted:
            settings = self.settings
            method_weight, setting_weight = settings["method_weight"], settings["setting_weight"]
            if ":" in tokens and tokens.index(":") < len(tokens) - 1:
                head = settings["head_boost"]
        out = []
        skip = 0
        for i, entry in enumerate(entries):
            if entry is _EMPTY:
                continue
            starts, _, kind = entry
            if kind and weighted:
                if kind == _COLON:
                    head = mode = 1.0
                elif kind == _METHOD:
                    mode = method_weight
                elif kind == _SETTING:
                    if setting_weight < mode:
                        mode = setting_weight
                else:
                    mode = 1.0
            if i < skip:
                continue
            for topic_index, weight, rest in starts:
                if rest:
                    end = i + 1 + len(rest)
                    if end > len(tokens):
                        continue
                    if len(rest) == 1:
                        if rest[0] not in entries[i + 1][1]:
                            continue
                    elif not all(w in entries[i + 1 + k][1] for k, w in enumerate(rest)):
                        continue
                    spaced, hyphenated = " ".join(tokens[i:end]), "-".join(tokens[i:end])
                    out.append((topic_index, weight * head * mode, hyphenated if hyphenated in text else spaced, i))
                    skip = end
                else:
                    out.append((topic_index, weight * head * mode, tokens[i], i))
                break
        return out


@functools.lru_cache(maxsize=16)
def _index(taxonomy: Taxonomy) -> _Index:
    return _Index(taxonomy)


def _score(index: _Index, title: str, abstract: str):
    """(topic, score, evidence, kept topics, confidence, evidence text, topics text), or None if nothing passes."""
    matches = index.matches(normalise(title), True) if title else []
    if abstract and index.settings["abstract_weight"] > 0:
        share = index.settings["abstract_weight"]
        matches += [(t, v * share, f"{m} (abstract)", 100_000 + p)
                    for t, v, m, p in index.matches(normalise(abstract), False)]
    if not matches:
        return None
    return _score_known(index, matches)


def _score_known(index: _Index, matches: list):
    """Score matches once per signature: the result depends only on their topics, values and texts in order,
    and many titles share those."""
    signature = tuple([m[:3] for m in matches])
    known = index.scored.get(signature)
    if known is None:
        known = _score_matches(index, matches)
        if len(index.scored) < 500_000:
            index.scored[signature] = known
    return known


def _score_matches(index: _Index, matches: list):
    """Score one list of matches (in title order, then abstract order); positions only matter as that order."""
    first_topic = matches[0][0]
    if len(matches) == 1 or len({m[0] for m in matches}) == 1:  # one topic only: the common case, made cheap
        per_topic = {first_topic: matches}
        first_seen = {first_topic: 0}
    else:
        per_topic = {}
        first_seen = {}
        for order, match in enumerate(matches):
            found = per_topic.get(match[0])
            if found is None:
                per_topic[match[0]] = [match]
                first_seen[match[0]] = order
            else:
                found.append(match)
    settings = index.settings
    decay = settings["decay"]
    boosts = index.boosts
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
        scores.append((-round(total * boosts[topic_index], 2), first_seen[topic_index], topic_index))
    if len(scores) > 1:
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
    found = per_topic[top_index]
    evidence = (found[0][2],) if len(found) == 1 else tuple(dict.fromkeys(m[2] for m in found))
    # the last two are the evidence and topics columns of classify_frame, made once per signature
    return (names[top_index], top_score, evidence, kept, round(confidence, 2),
            ";".join(evidence), format_topics(kept))


def classify(title: str, abstract: str = "", *, taxonomy: Taxonomy) -> Classification:
    """Classify one title (and its abstract, weighted lower). Deterministic; nothing matched -> Other."""
    result = _score(_index(taxonomy), title if isinstance(title, str) else "",
                    abstract if isinstance(abstract, str) else "")
    if result is None:
        return NOTHING
    topic, score, evidence, kept, confidence = result[:5]
    return Classification(topic, score, evidence, tuple(kept), confidence)


def _batch_matches(index: _Index, titles: list[str]) -> list[list]:
    """``index.matches(normalise(t), True)`` for many ASCII titles at once (same result, a fraction of the cost).

    The batch is lower-cased, cut into words and looked up as one string; the per-word state machine of
    ``_Index.matches`` then runs once over only the words that matter (terms, markers, title ends).
    """
    text = _SEP.join(titles).lower()
    if " -" in text:
        text = text.replace(" - ", " : ").replace(" -- ", " : ")
    if ":" in text:
        text = text.replace(":", " : ")
    tokens = text.encode().translate(_ASCII_WORDS_BATCH).decode().replace(_SEP, " " + _SEP + " ").split()
    tokens.append(_SEP)
    get, lookup = index.cache.get, index.lookup
    entries = [get(t) or lookup(t) for t in tokens]
    settings = index.settings
    method_weight, setting_weight, head_boost = (
        settings["method_weight"], settings["setting_weight"], settings["head_boost"])
    results: list[list] = []
    title = 0
    start = 0  # index of the current title's first word
    out: list = []
    skip = 0
    head = mode = 1.0
    maybe_head = [":" in t or " -" in t for t in titles]
    if maybe_head[0]:
        head = _head(tokens, 0, head_boost)
    for i, entry in enumerate(entries):
        if entry is _EMPTY:
            continue
        starts, _, kind = entry
        if kind:
            if kind == _TITLE_END:
                results.append(out)
                out = []
                title += 1
                start = skip = i + 1
                mode = 1.0
                head = _head(tokens, start, head_boost) if title < len(titles) and maybe_head[title] else 1.0
                continue
            if kind == _COLON:
                head = mode = 1.0
            elif kind == _METHOD:
                mode = method_weight
            elif kind == _SETTING:
                if setting_weight < mode:
                    mode = setting_weight
            else:
                mode = 1.0
        if i < skip:
            continue
        for topic_index, weight, rest in starts:
            if rest:
                end = i + 1 + len(rest)
                if len(rest) == 1:
                    if rest[0] not in entries[i + 1][1]:
                        continue  # a title end has no word ids, so a term never runs into the next title
                elif not all(w in entries[i + 1 + k][1] for k, w in enumerate(rest)):
                    continue
                spaced, hyphenated = " ".join(tokens[i:end]), "-".join(tokens[i:end])
                out.append((topic_index, weight * head * mode,
                            hyphenated if hyphenated in normalise(titles[title]) else spaced, i - start))
                skip = end
            else:
                out.append((topic_index, weight * head * mode, tokens[i], i - start))
            break
    return results


def _head(tokens: list[str], start: int, head_boost: float) -> float:
    """head_boost if the title starting at ``start`` has a ':' with a word after it, else 1."""
    end = tokens.index(_SEP, start)
    if ":" in tokens[start:end] and tokens.index(":", start, end) < end - 1:
        return head_boost
    return 1.0


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

    index = _index(taxonomy)
    results: list = [None] * len(jobs)
    batch, others = [], []
    for i, (title, abstract) in enumerate(jobs):
        (batch if not abstract and title.isascii() and _SEP not in title else others).append(i)
    for first in range(0, len(batch), _BATCH):
        chosen = batch[first:first + _BATCH]
        for i, matches in zip(chosen, _batch_matches(index, [jobs[i][0] for i in chosen])):
            if matches:
                results[i] = _score_known(index, matches)
    for i in others:
        results[i] = _score(index, *jobs[i])
    nothing = (OTHER, 0.0, (), [], 0.0, "", "")
    results = [r or nothing for r in results]
    for name, column, kind in (("topic", 0, object), ("score", 1, float), ("evidence", 5, object),
                               ("topics", 6, object), ("confidence", 4, float)):
        out[name] = np.array([r[column] for r in results], dtype=kind)[pair_codes]
    return out
