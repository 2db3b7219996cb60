"""The words of each author's cloud: which texts it is drawn from (titles or abstracts), their weights (plain
counts or distinctiveness, analysis/words.py) and the caption saying which. Values in, values out."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from authorstats.models import Author

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.config.taxonomy import Taxonomy

log = logging.getLogger(__name__)


def _cloud_texts(mine: pd.DataFrame, key: str, cloud_from: str) -> tuple[list[str], str]:
    """The texts one author's cloud is drawn from (``mine``: that author's rows), and a caption saying which they
    are."""
    titles = [t for t in mine["title"].fillna("").astype(str) if t.strip()]
    if cloud_from == "abstracts":
        abstracts = [a for a in mine.get("abstract", []) if isinstance(a, str) and a.strip()]
        if abstracts:
            return abstracts, f"abstracts of {len(abstracts)} of {len(mine)} papers"
        if titles:
            log.warning(
                "%s: no abstracts known; the word cloud uses titles instead (fetch with --details to get abstracts)",
                key,
            )
    return titles, f"titles of {len(titles)} papers"


def cloud_phrases(taxonomy: Taxonomy) -> list[tuple[str, ...]]:
    """The taxonomy's multi-word terms (each a regex per word), which the word clouds keep whole."""
    return [term.words for topic in taxonomy.topics for term in topic.terms if len(term.words) > 1]


def cloud_weights(
    rows: Callable[[str], pd.DataFrame],
    authors: Sequence[Author],
    *,
    stopwords: frozenset[str] | None = None,
    cloud_from: str = "titles",
    distinctive: bool = False,
    phrases: Sequence[Sequence[str]] = (),
) -> dict[str, tuple[dict[str, float], str]]:
    """Per author: the word weights for the cloud (plain counts or, with ``distinctive``, the words
    over-represented against the other authors) and its caption.

    ``rows(key)`` gives one author's classified rows; ``cloud_from``: titles or abstracts; ``stopwords``: words
    left out (None: none); ``phrases``: multi-word terms counted as one (``cloud_phrases``).
    """
    from authorstats.analysis import words

    stopwords = frozenset() if stopwords is None else stopwords
    texts = {a.key: _cloud_texts(rows(a.key), a.key, cloud_from) for a in authors}
    out: dict[str, tuple[dict[str, float], str]] = {}
    for author in authors:
        weights: dict[str, float]
        mine, what = texts[author.key]
        others = [t for key, (ts, _) in texts.items() if key != author.key for t in ts]
        if distinctive and others:
            weights = words.distinctive_frequencies(mine, others, stopwords, phrases=phrases)
            caption = f"Distinctive words of {author.name} against the other authors ({what})"
        else:
            if distinctive:
                log.warning(
                    "%s: no other author's texts to compare with; the word cloud shows plain counts", author.key
                )
            weights = dict(words.word_frequencies(mine, stopwords, phrases))
            caption = f"Word cloud of {author.name} ({what})"
        if not weights:
            log.warning("no word cloud for %s: no words to draw (%s)", author.key, what)
            caption = f"No word cloud for {author.name}: no words to draw ({what})."
        out[author.key] = (weights, caption)
    return out
