"""Word weights for word clouds: frequencies of the theme words of titles or abstracts (stop words dropped, plurals folded), and distinctive words."""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Iterable, Mapping

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


def _display(forms: Counter[str]) -> str:
    """The form to show: acronyms and mixed case as written (GFlowNet, PDE), other words in lower case."""
    best = min(forms.items(), key=lambda item: (-item[1], len(item[0]), item[0]))[0]
    stem = best.split("-")[-1]
    if any(c.isupper() for c in stem[1:]):
        return best
    return best.lower()


def word_counts(texts: Iterable[str], stopwords: frozenset[str]) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Counts of folded words (lower case, singular) in ``texts``, and the forms each was written in."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for match in _WORD.finditer(text or ""):
            word = match.group(0).strip("'")
            key = singular(word)
            if len(key) < 2 or key in stopwords or word.lower() in stopwords:
                continue
            counts[key] += 1
            forms[key][word] += 1
    return counts, forms


def word_frequencies(texts: Iterable[str], stopwords: frozenset[str]) -> dict[str, int]:
    """Count the theme words of ``texts``: stop words dropped, plurals folded, hyphenated terms whole."""
    counts, forms = word_counts(texts, stopwords)
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
        delta = (math.log((y_mine + prior) / (n_mine + a0 - y_mine - prior))
                 - math.log((y_others + prior) / (n_others + a0 - y_others - prior)))
        variance = 1 / (y_mine + prior) + 1 / (y_others + prior)
        scores[word] = delta / math.sqrt(variance)
    return scores


def distinctive_frequencies(texts: Iterable[str], other_texts: Iterable[str], stopwords: frozenset[str],
                            min_z: float = 0.0) -> dict[str, float]:
    """Cloud weights of the words over-represented in ``texts`` compared with ``other_texts`` (z > ``min_z``)."""
    counts, forms = word_counts(texts, stopwords)
    other_counts, _ = word_counts(other_texts, stopwords)
    scores = log_odds_z(counts, other_counts)
    kept = sorted(((z, key) for key, z in scores.items() if key in counts and z > min_z), key=lambda p: (-p[0], p[1]))
    return {_display(forms[key]): z for z, key in kept}
