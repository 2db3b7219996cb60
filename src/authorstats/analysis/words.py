"""Word weights for word clouds: frequencies of the theme words of titles or abstracts (stop words dropped, plurals
and inflections folded, the taxonomy's multi-word terms kept whole), and distinctive words."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence

# A multi-word term as the taxonomy gives it: one regex per word, each matching a whole lower-case word.
Phrase = Sequence[str]

# Words with inner hyphens stay whole ("self-supervised", "out-of-distribution").
_WORD = re.compile(r"[^\W\d_](?:[\w']*[^\W_])?(?:-[^\W_]+)*", re.UNICODE)
_NOT_PLURAL = ("ss", "us", "is", "ics", "ous", "as", "ys")


def singular(word: str) -> str:
    """Fold an English plural to its singular by suffix rules ("models" -> "model", "studies" -> "study")."""
    lower = word.lower()
    if "-" in lower:
        head, _, tail = lower.rpartition("-")
        return f"{head}-{singular(tail)}"
    if len(lower) > 4 and lower.endswith("ies"):
        return lower[:-3] + "y"
    if len(lower) > 4 and lower.endswith(("sses", "xes", "ches", "shes")):
        return lower[:-2]
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith(_NOT_PLURAL):
        return lower[:-1]
    return lower


# Inflections of one word, folded by suffix (after plurals): generation, generative, generating, generated and
# generate are one theme ("gener"). The longest suffix that leaves a stem of at least MIN_STEM letters goes;
# British -is- spellings join the -iz- ones first (generalisation with generalization).
_SUFFIXES = (
    "ations",
    "ation",
    "atives",
    "ative",
    "ating",
    "ated",
    "ate",
    "ions",
    "ion",
    "ives",
    "ive",
    "ings",
    "ing",
    "ed",
)
MIN_STEM = 4
_BRITISH = re.compile(r"is(ations?|ing|ed|es?)$")


@functools.lru_cache(maxsize=1 << 16)  # titles share most of their words: each folded once
def theme_key(word: str) -> str:
    """The key that folds one word's plurals and inflections together, by the suffix rules above."""
    lower = singular(word)
    if "-" in lower:
        head, _, tail = lower.rpartition("-")
        return f"{head}-{theme_key(tail)}"
    lower = _BRITISH.sub(r"iz\1", lower)
    for suffix in _SUFFIXES:
        if lower.endswith(suffix) and len(lower) - len(suffix) >= MIN_STEM:
            return lower[: -len(suffix)]
    return lower


def _display(forms: Counter[str]) -> str:
    """The form to show, the most frequent one: acronyms and mixed case as written (GFlowNet, PDE), other words
    in lower case."""
    best = min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
    if any(any(c.isupper() for c in part.split("-")[-1][1:]) for part in best.split(" ")):
        return best
    return best.lower()


class _Phrases:
    """The multi-word ``phrases`` compiled once, with the phrases each token can start (its first word's regex
    matches it), learnt token by token: most tokens start none, and are then looked up, not matched."""

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.compiled = [[re.compile(word) for word in phrase] for phrase in phrases if len(phrase) > 1]
        self._starting: dict[str, list[list[re.Pattern[str]]]] = {}

    def starting(self, token: str) -> list[list[re.Pattern[str]]]:
        found = self._starting.get(token)
        if found is None:
            found = self._starting[token] = [p for p in self.compiled if p[0].fullmatch(token)]
        return found


@functools.lru_cache(maxsize=8)
def _phrases(phrases: tuple[tuple[str, ...], ...]) -> _Phrases:
    return _Phrases(phrases)


def _phrase_at(tokens: Sequence[str], start: int, phrases: _Phrases) -> int:
    """How many tokens from ``start`` the longest matching phrase takes (0: none)."""
    best = 0
    for phrase in phrases.starting(tokens[start].lower()):
        size = len(phrase)
        if (
            size > best
            and start + size <= len(tokens)
            and all(pattern.fullmatch(tokens[start + k].lower()) for k, pattern in enumerate(phrase) if k)
        ):
            best = size
    return best


def word_counts(
    texts: Iterable[str], stopwords: frozenset[str], phrases: Sequence[Phrase] = ()
) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """How many of ``texts`` use each folded word (lower case, plurals and inflections folded: ``theme_key``):
    a word repeated inside one title counts once, so a cloud weighs themes by titles. And the forms each was
    written in. A run of words matching one of ``phrases`` counts as one term."""
    compiled = _phrases(tuple(tuple(phrase) for phrase in phrases))
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        tokens = [match.group(0).strip("'") for match in _WORD.finditer(text or "")]
        seen: set[str] = set()
        position = 0
        while position < len(tokens):
            size = _phrase_at(tokens, position, compiled) if compiled.compiled else 0
            if size:
                written = tokens[position : position + size]
                position += size
                if all(theme_key(w) in stopwords or w.lower() in stopwords for w in written):
                    continue  # a term of filler words only ("neural networks"): no theme
                key = " ".join(theme_key(w) for w in written)
                counts[key] += key not in seen
                seen.add(key)
                forms[key][" ".join(written)] += 1
                continue
            word = tokens[position]
            position += 1
            key = theme_key(word)
            if len(key) < 2 or key in stopwords or word.lower() in stopwords or singular(word) in stopwords:
                continue
            counts[key] += key not in seen
            seen.add(key)
            forms[key][word] += 1
    return counts, forms


def word_frequencies(texts: Iterable[str], stopwords: frozenset[str], phrases: Sequence[Phrase] = ()) -> dict[str, int]:
    """Count the theme words of ``texts``: stop words dropped, plurals and inflections folded (each shown in its
    most frequent form), hyphenated terms and the multi-word ``phrases`` (the taxonomy's terms) whole."""
    counts, forms = word_counts(texts, stopwords, phrases)
    return {_display(forms[key]): n for key, n in counts.most_common()}


def log_odds_z(mine: Mapping[str, int], others: Mapping[str, int]) -> dict[str, float]:
    """How over-represented each word is in ``mine`` against ``others``: z-scores of the log-odds ratio.

    The log-odds ratio is smoothed with an informative Dirichlet prior from the pooled counts
    (Monroe, Colaresi & Quinn 2008, "Fightin' Words"), so a word seen once or twice does not get an
    extreme score. Positive: used more by this author than by the others; negative: less.
    """
    pooled = Counter(mine) + Counter(others)
    a0 = sum(pooled.values())
    n_mine, n_others = sum(mine.values()), sum(others.values())
    scores = {}
    for word, prior in pooled.items():
        y_mine, y_others = mine.get(word, 0), others.get(word, 0)
        delta = math.log((y_mine + prior) / (n_mine + a0 - y_mine - prior)) - math.log(
            (y_others + prior) / (n_others + a0 - y_others - prior)
        )
        variance = 1 / (y_mine + prior) + 1 / (y_others + prior)
        scores[word] = delta / math.sqrt(variance)
    return scores


def distinctive_frequencies(
    texts: Iterable[str],
    other_texts: Iterable[str],
    stopwords: frozenset[str],
    min_z: float = 0.0,
    phrases: Sequence[Phrase] = (),
) -> dict[str, float]:
    """Cloud weights of the words over-represented in ``texts`` compared with ``other_texts`` (z > ``min_z``)."""
    counts, forms = word_counts(texts, stopwords, phrases)
    other_counts, _ = word_counts(other_texts, stopwords, phrases)
    scores = log_odds_z(counts, other_counts)
    kept = sorted(((z, key) for key, z in scores.items() if key in counts and z > min_z), key=lambda p: (-p[0], p[1]))
    return {_display(forms[key]): z for z, key in kept}
