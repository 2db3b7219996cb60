"""Parse a stop-word list (one word a line, # comments) into the words word clouds leave out."""

from __future__ import annotations


def parse_stopwords(text: str) -> frozenset[str]:
    """English stop words (wordcloud's list) plus the field's filler words: ``text`` has one a line, # comments."""
    from wordcloud import STOPWORDS

    lines = text.splitlines()
    filler = {line.strip().lower() for line in lines if line.strip() and not line.lstrip().startswith("#")}
    return frozenset(STOPWORDS) | frozenset(filler)
