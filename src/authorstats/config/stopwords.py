"""Parse a stop-word list (one word a line, # comments) into the words word clouds leave out."""

from __future__ import annotations

from collections.abc import Iterable


def parse_stopwords(text: str, english: Iterable[str] | None = None) -> frozenset[str]:
    """English stop words (wordcloud's list, or ``english`` when given: the same list as read from wordcloud's
    file without importing it) plus the field's filler words: ``text`` has one a line, # comments."""
    if english is None:
        from wordcloud import STOPWORDS

        english = STOPWORDS
    lines = text.splitlines()
    filler = {line.strip().lower() for line in lines if line.strip() and not line.lstrip().startswith("#")}
    return frozenset(english) | frozenset(filler)
