"""Pure: titles as merging compares them: without LaTeX, accents, case and punctuation (normalise_title), and the
words of a title that look like names of methods or models (acronyms)."""

from __future__ import annotations

import functools
import re
import unicodedata

from authorstats.text import strip_accents

# LaTeX: accents (\'e, \"{o}, \c{c}) keep their letter; other commands vanish, their {arguments} stay.
_LATEX_ACCENT = re.compile(r"\\[`'^\"~=.]\s*\{?\s*([A-Za-z])\s*\}?|\\[cvuHkrdbt]\s*\{\s*([A-Za-z])\s*\}")
_LATEX_LETTERS = {
    r"\ss": "ss",
    r"\o": "o",
    r"\O": "O",
    r"\ae": "ae",
    r"\AE": "AE",
    r"\oe": "oe",
    r"\OE": "OE",
    r"\aa": "a",
    r"\AA": "A",
    r"\l": "l",
    r"\L": "L",
    r"\i": "i",
    r"\&": " and ",
}
_MATH_MARKS = re.compile(r"[${}_^]")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_LATEX_COMMAND = re.compile(r"\\([A-Za-z]+)\*?|\\.")
_GREEK = {
    "alpha",
    "beta",
    "gamma",
    "delta",
    "epsilon",
    "zeta",
    "eta",
    "theta",
    "iota",
    "kappa",
    "lambda",
    "mu",
    "nu",
    "xi",
    "omicron",
    "pi",
    "rho",
    "sigma",
    "tau",
    "upsilon",
    "phi",
    "chi",
    "psi",
    "omega",
}


def _delatex(text: str) -> str:
    if "\\" in text:  # accents, letters and commands all start with a backslash
        text = _LATEX_ACCENT.sub(lambda m: m.group(1) or m.group(2), text)
        for command, letters in _LATEX_LETTERS.items():
            text = re.sub(re.escape(command) + r"(?![A-Za-z])", letters, text)
        text = _LATEX_COMMAND.sub(_latex_symbol, text)
    return _MATH_MARKS.sub("", text)  # math delimiters, groups, sub- and superscript marks


def _latex_symbol(match: re.Match[str]) -> str:
    """``\\beta`` -> β (as a Unicode title would write it), ``\\ell`` -> l; other commands vanish."""
    name = match.group(1) or ""
    if name.lower() in _GREEK:
        case = "CAPITAL" if name[0].isupper() else "SMALL"
        return unicodedata.lookup(f"GREEK {case} LETTER {name.upper()}")
    return "l" if name == "ell" else " "


def plain_title(text: str) -> str:
    """Title without LaTeX and accents, case kept: the base of both normal form and acronym spotting."""
    text = strip_accents(_delatex(text or ""))
    return text.replace("&", " and ")


def normalise_title(title: str) -> str:
    """Lower-case words of ``title`` without LaTeX, accents or punctuation, separated by one space."""
    return normalise_plain(plain_title(title))


def normalise_plain(plain: str) -> str:
    text = _NOT_WORD.sub(" ", plain.casefold())
    return " ".join(text.split())


def acronyms(plain: str) -> set[str]:
    """Words of a title (as ``plain_title`` gives it) that look like names of methods or models: VICReg, BERT, GPT-3,
    ResNet50."""
    found = set()
    for word in _WORD.findall(plain):
        if not word.islower():  # a word without a capital is never one (most words of most titles)
            name = _acronym(word)
            if name:
                found.add(name)
    return found


_WORD = re.compile(r"[^\W_]+")


@functools.lru_cache(maxsize=1 << 16)  # titles share most of their words: each is looked at once
def _acronym(word: str) -> str:
    """``word`` case-folded when it looks like the name of a method or model, else ""."""
    upper = sum(ch.isupper() for ch in word)
    if (
        upper >= 2
        or (upper >= 1 and any(ch.isdigit() for ch in word))
        or (word[1:] and upper and not word[0].isupper())
    ):
        return word.casefold()
    return ""
