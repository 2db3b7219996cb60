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


# Control characters (Unicode category Cc: C0, DEL, C1): the white-space ones become a space, the others go.
_CONTROL_SPACE = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
# A lone surrogate (a JSON "\ud800" escape decodes to one) is no character: no UTF-8 file can hold it, and
# pandas' Arrow-backed strings (pandas 3 with pyarrow installed) refuse it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_control(text: str) -> str:
    """``text`` without control characters: tab, line breaks and the other white-space controls as a space,
    NUL, ESC, BEL, DEL and the rest removed, so no output (CSV, HTML, Markdown, an SVG's XML, a
    terminal) receives them; a lone surrogate becomes U+FFFD, the replacement character. Everything
    else, spaces included, is kept as it was."""
    if text.isprintable():  # the common case, checked at C speed (a surrogate is not printable)
        return text
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", _CONTROL_SPACE.sub(" ", text)))


def in_note(text: str) -> str:
    """Data for a sentence the outputs render as Markdown (notes: their `code` spans become <code> on the page):
    its backticks become ˋ (U+02CB), so data never opens a code span."""
    return text.replace("`", "\u02cb")
