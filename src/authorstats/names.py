"""Pure: is a roster author one of a paper's authors, as exports write names?

Exports write the same person as "Yann LeCun", "Y LeCun", "LeCun, Yann", "LeCun, Y." or "G E Hinton"
(Publish or Perish: "GE Hinton"). A name matches a roster author when its surname equals the roster
name's surname (accents, case, spaces, hyphens and dots ignored; every letter is compared as anyascii spells
it in ASCII, so "Søren" is "Soren" and "Łukasz" is "Lukasz") and its first given name agrees: the same
word, one a prefix of the other ("Geoff", "Geoffrey"), or an initial of it. A further given name is
compared only when both sides have one. A bare surname never matches: "Bengio" could be Samy as well as
Yoshua. A generational suffix ("Jr.", "III") is left out of the comparison. The roster may list extra forms
of a name (``names = [...]``) for people written differently.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anyascii import anyascii
from nameparser import HumanName
from nameparser.config import CONSTANTS

from authorstats.models import Author
from authorstats.text import fold

# "GE" in "GE Hinton": Publish or Perish writes a person's initials run together, in capitals.
_RUN_OF_INITIALS = re.compile(r"^[A-Z]{2,3}$")
# What exports put in place of authors they left out.
_ELLIPSIS = {"...", "…", "et al", "et al.", "others"}


def name_fold(text: str, *, punctuation: bool = True) -> str:
    """A person's name folded for comparison: as ``text.fold`` does (case, spaces; punctuation too when
    ``punctuation=False``), after anyascii has written every letter in ASCII. Unicode's decomposition (which
    ``fold`` uses) only separates accents: it leaves ø, ł, đ, æ and the letters of other scripts as they are,
    so "Søren Hauberg" and "Soren Hauberg" would be two people."""
    text = text or ""
    return fold(text if text.isascii() else anyascii(text), punctuation=punctuation)


@dataclass(frozen=True)
class _Split:
    given: tuple[str, ...]
    surname: str  # folded, without spaces


def _words(text: str) -> list[str]:
    """Folded words of a name part; a run of capitals ("GE") before the surname becomes its initials."""
    words: list[str] = []
    for raw in text.replace(".", " ").split():
        if _RUN_OF_INITIALS.match(raw):
            words.extend(raw)
        else:
            words.append(raw)
    return [w for w in (name_fold(w, punctuation=False).replace(" ", "") for w in words) if w]


def _is_initials(words: Sequence[str]) -> bool:
    return bool(words) and all(len(w) == 1 for w in words)


@functools.lru_cache(maxsize=1 << 16)  # co-author names repeat across a roster's papers
def _splits(name: str) -> tuple[_Split, ...]:
    """Every reading of ``name`` as given names plus surname that its form allows."""
    name = without_suffix(" ".join(name.split()))
    if "," in name:  # "LeCun, Yann", "Le Priol, Rémi", "LeCun, Y."
        surname, _, given = name.partition(",")
        given_words = _words(given)
        surname_words = [name_fold(w, punctuation=False).replace(" ", "") for w in surname.split()]
        return (_Split(tuple(given_words), "".join(surname_words)),) if given_words and surname_words else ()
    raw = name.replace(".", " ").split()
    if len(raw) < 2:
        return ()
    # The last word is the surname, never read as initials ("Y LI" is Y Li).
    head = _words(" ".join(raw[:-1]))
    last = name_fold(raw[-1], punctuation=False).replace(" ", "")
    words = head + [last]
    splits = [_Split(tuple(words[:k]), "".join(words[k:])) for k in range(1, len(words))]
    tail = _words(" ".join(raw[1:]))
    first = name_fold(raw[0], punctuation=False).replace(" ", "")
    if _is_initials(tail):  # "LeCun Y", "Hinton GE": surname first, initials after
        splits.append(_Split(tuple(tail), first))
    return tuple(splits)


def _given_agree(ours: Sequence[str], theirs: Sequence[str]) -> bool:
    for a, b in zip(ours, theirs):
        if len(a) == 1 or len(b) == 1:
            if a[0] != b[0]:
                return False
        elif not (a.startswith(b) or b.startswith(a)):
            return False
    return True


@dataclass(frozen=True)
class NameMatcher:
    """Finds the roster authors among a paper's author names."""

    forms: tuple[tuple[str, tuple[_Split, ...]], ...]  # (author key, readings of each roster name form)

    @classmethod
    def of(cls, authors: Iterable[Author]) -> NameMatcher:
        forms = []
        for author in authors:
            splits: list[_Split] = []
            for name in (author.name, *author.names):
                splits.extend(_splits(name))
            forms.append((author.key, tuple(splits)))
        return cls(tuple(forms))

    def is_author(self, key: str, name: str) -> bool:
        """Whether ``name`` (as an export writes it) is the roster author ``key``."""
        ours = self._by_key.get(key)
        if ours is None:
            return False
        theirs = _splits(name)
        return any(o.surname == t.surname and o.given and _given_agree(o.given, t.given) for o in ours for t in theirs)

    @functools.cached_property
    def _by_key(self) -> dict[str, tuple[_Split, ...]]:
        # a dict, not a walk through ``forms``: the co-author table asks once per name of every paper, and
        # walking 1,000 authors' forms each time made a 1,000-author report spend minutes here
        return dict(self.forms)

    @functools.cached_property
    def _by_surname(self) -> dict[str, list[str]]:
        # surname -> the keys (roster order) with a name form of that surname: a name is compared only with the
        # authors it could be (a 1,000-author roster's network asked every author about every co-author name)
        found: dict[str, list[str]] = {}
        for key, splits in self.forms:
            for surname in dict.fromkeys(s.surname for s in splits):
                found.setdefault(surname, []).append(key)
        return found

    def keys_among(self, names: Sequence[str]) -> list[str]:
        """Roster keys of the authors among ``names``, in roster order, each once."""
        candidates = {key for name in names for t in _splits(name) for key in self._by_surname.get(t.surname, ())}
        return [key for key, _ in self.forms if key in candidates and any(self.is_author(key, name) for name in names)]


def split_authors(text: str, separator: str | None = None) -> tuple[str, ...]:
    """An export's author cell as names: split on ``separator``, or when None on ";" if the cell has one,
    else on "," when every part is a whole name ("A Bardes, J Ponce, Y LeCun"), else kept whole
    ("LeCun, Yann"). Ellipses and "et al." that stand for left-out authors are dropped."""
    text = " ".join((text or "").split())
    if not text:
        return ()
    if separator is None:
        if ";" in text:
            separator = ";"
        elif "," in text and all(
            " " in part.strip() for part in text.split(",") if part.strip().casefold() not in _ELLIPSIS
        ):
            separator = ","
    parts = text.split(separator) if separator else [text]
    return tuple(p for p in (part.strip() for part in parts) if p and p.casefold() not in _ELLIPSIS)


# Family-name particles kept with the family name when a name is split without nameparser ("Rémi Le Priol").
_PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "du", "le", "la", "ter", "zu"}


@dataclass(frozen=True)
class PersonName:
    """A name's parts as bibliographic formats want them (BibTeX's "Family, Jr., Given", RIS's "Family, Given,
    Suffix", CSL's family, given and suffix)."""

    given: str
    family: str  # with its particles: "van der Maaten", "Le Priol"
    suffix: str = ""  # "Jr.", "III"


@functools.lru_cache(maxsize=1 << 14)
def person_name(name: str) -> PersonName:
    """``name`` as exports write it ("Martin Luther King Jr.", "Maaten, L. van der", "King, Jr., Martin Luther",
    "LeCun Y") split into given names, family name (with its particles) and suffix, by nameparser. A split that
    would lose or change a word of the name (nameparser drops nicknames, reads "Prince" as a title) falls back
    to the last word (with the particles before it) as the family name."""
    name = " ".join(name.split())
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 3 and _is_suffix(parts[1]):  # BibTeX's "von Last, Jr, First"
        name = f"{parts[0]}, {parts[2]}, {parts[1]}"
    words = name.replace(",", " ").split()
    if "," not in name and len(words) > 1 and _is_initials(_words(" ".join(words[1:]))) and len(_words(words[0])) == 1:
        return PersonName(" ".join(words[1:]), words[0])  # "LeCun Y", "Hinton GE": surname first, initials after
    parsed = HumanName(name)
    given = " ".join(p for p in (parsed.title, parsed.first, parsed.middle) if p)
    split = PersonName(given, parsed.last, parsed.suffix)
    if parsed.last and sorted(f"{given} {parsed.last} {parsed.suffix}".replace(",", " ").split()) == sorted(words):
        return split
    return _plain_split(name)


def _is_suffix(text: str) -> bool:
    """Whether ``text`` is a generational suffix (Jr., Sr., III), as nameparser lists them; not a single letter
    ("V" is more often an initial than the fifth)."""
    word = text.lower().rstrip(".")
    return len(word) > 1 and word in CONSTANTS.suffix_not_acronyms


def without_suffix(name: str) -> str:
    """``name`` without its generational suffix: "Martin Luther King Jr.", "King, Jr., Martin Luther" and
    "King, Martin Luther, Jr." are all Martin Luther King to the matcher."""
    parts = [p.strip() for p in name.split(",")]
    if len(parts) == 3 and (_is_suffix(parts[1]) or _is_suffix(parts[2])):
        return f"{parts[0]}, {parts[2] if _is_suffix(parts[1]) else parts[1]}"
    if len(parts) == 2 and _is_suffix(parts[1]):  # "Martin Luther King, Jr."
        return parts[0]
    words = name.split()
    return " ".join(words[:-1]) if len(parts) == 1 and len(words) > 2 and _is_suffix(words[-1]) else name


def _plain_split(name: str) -> PersonName:
    if name.count(",") == 1:
        family, given = (part.strip() for part in name.split(","))
        return PersonName(given, family)
    words = name.replace(",", " ").split()
    if len(words) < 2:
        return PersonName("", name)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _PARTICLES:
        start -= 1
    return PersonName(" ".join(words[:start]), " ".join(words[start:]))
