"""A batch engine's texts (batch.py): sorted into plain ASCII, ASCII with dashes and others, cut into batches, and
cut into words together, as ``spec.words(spec.normalise(text))`` cuts each."""

from __future__ import annotations

import bisect
import itertools

from authorstats.classification.spec import normalise, words

SEP = "\x01"  # ends each text in a batch's words (it is also a word of its own there)
# ASCII fast path (bytes.translate is far faster than str.translate): every character that is not a
# letter or digit separates words; ':' is made a word of its own before.
_ASCII_WORDS_BATCH = bytes(c if (chr(c).isalnum() and c < 128) or chr(c) in ":\x01" else 32 for c in range(256))
_BATCH = 20_000  # texts per batch: big enough to amortise, small enough to bound memory
_BATCH_CHARS = 1_000_000


def batch_words(texts: list[str], ascii: bool | None = None, spelling: bool = True) -> tuple[list[str], list[str]]:
    """``words(normalise(t))`` of every text, each followed by SEP, and ``normalise(t)`` of every text (none when not
    ``spelling``); ASCII texts in a few string operations over all of them. ``ascii``: whether every text is ASCII
    without SEP, when the caller knows (groups)."""
    if ascii if ascii is not None else all(t.isascii() and SEP not in t for t in texts):
        text = SEP.join(texts).lower()
        if " -" in text:
            text = text.replace(" - ", " : ").replace(" -- ", " : ")
        normalised = text.split(SEP) if spelling else []
        if ":" in text:
            text = text.replace(":", " : ")
        tokens = text.encode().translate(_ASCII_WORDS_BATCH).decode().replace(SEP, f" {SEP} ").split()
        tokens.append(SEP)
        return tokens, normalised
    tokens = []
    normalised = [normalise(text) for text in texts]
    for text in normalised:
        tokens += words(text)
        tokens.append(SEP)
    return tokens, normalised


def groups(texts: list[str], by_numpy_from: int = 1_000) -> tuple[list[int], list[int], list[int]]:
    """The numbers of the plain ASCII texts, the ASCII ones with a '-' and the others (not ASCII, or holding SEP):
    ASCII texts are cut into words together, and those without a '-' need no look at their spelling. Many texts are
    sorted by numpy over their code points, a few by Python."""
    if len(texts) < by_numpy_from:
        found: tuple[list[int], list[int], list[int]] = ([], [], [])
        for i, text in enumerate(texts):
            ascii = text.isascii() and SEP not in text
            found[0 if ascii and "-" not in text else 1 if ascii else 2].append(i)
        return found
    import numpy as np

    points = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))

    def having(where: np.ndarray) -> np.ndarray:  # whether each text has a code point at one of these places
        found = np.zeros(len(texts), dtype=bool)
        found[np.searchsorted(ends, np.flatnonzero(where), side="right")] = True
        return found

    other = having((points > 127) | (points == ord(SEP)))
    dash = having(points == ord("-")) & ~other
    return np.flatnonzero(~(other | dash)).tolist(), np.flatnonzero(dash).tolist(), np.flatnonzero(other).tolist()


def batches(order: list[int], texts: list[str]) -> list[list[int]]:
    """``order`` cut into batches of at most _BATCH texts and _BATCH_CHARS characters (or one longer text)."""
    ends = list(itertools.accumulate(map(len, map(texts.__getitem__, order)), initial=0))  # characters before each
    cut: list[list[int]] = []
    start = 0
    while start < len(order):
        # the most texts from start on that keep within _BATCH_CHARS characters, at least one, at most _BATCH
        stop = bisect.bisect_right(ends, ends[start] + _BATCH_CHARS, start + 1) - 1
        stop = min(max(stop, start + 1), start + _BATCH)
        cut.append(order[start:stop])
        start = stop
    return cut
