"""Text normal forms shared by every stage: accents stripped, case folded, spaces collapsed."""

from __future__ import annotations

import re
import unicodedata

_PUNCTUATION = re.compile(r"[^\w\s]")


def strip_accents(text: str) -> str:
    """``text`` with its combining marks removed (é -> e, ü -> u); case and everything else kept."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str, *, punctuation: bool = True) -> str:
    """Accent-free, case-folded ``text`` with runs of white space as one space; with
    ``punctuation=False`` every punctuation mark becomes a space first ("LeCun, Y." -> "lecun y")."""
    text = strip_accents(text or "").casefold()
    if not punctuation:
        text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())
