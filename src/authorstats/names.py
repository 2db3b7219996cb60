"""Pure: is a roster author one of a paper's authors, as exports write names?

Exports write the same person as "Yann LeCun", "Y LeCun", "LeCun, Yann", "LeCun, Y." or "G E Hinton"
(Publish or Perish: "GE Hinton"). A name matches a roster author when its surname equals the roster
name's surname (accents, case, spaces, hyphens and dots ignored) and its first given name agrees: the same
word, one a prefix of the other ("Geoff", "Geoffrey"), or an initial of it. A further given name is
compared only when both sides have one. A bare surname never matches: "Bengio" could be Samy as well as
Yoshua. The roster may list extra forms of a name (``names = [...]``) for people written differently.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from authorstats.models import Author
from authorstats.text import fold

# "GE" in "GE Hinton": Publish or Perish writes a person's initials run together, in capitals.
_RUN_OF_INITIALS = re.compile(r"^[A-Z]{2,3}$")
# What exports put in place of authors they left out.
_ELLIPSIS = {"...", "…", "et al", "et al.", "others"}


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
    return [w for w in (fold(w, punctuation=False).replace(" ", "") for w in words) if w]


def _is_initials(words: Sequence[str]) -> bool:
    return bool(words) and all(len(w) == 1 for w in words)


@functools.lru_cache(maxsize=1 << 16)  # co-author names repeat across a roster's papers
def _splits(name: str) -> tuple[_Split, ...]:
    """Every reading of ``name`` as given names plus surname that its form allows."""
    name = " ".join(name.split())
    if "," in name:  # "LeCun, Yann", "Le Priol, Rémi", "LeCun, Y."
        surname, _, given = name.partition(",")
        given_words = _words(given)
        surname_words = [fold(w, punctuation=False).replace(" ", "") for w in surname.split()]
        return (_Split(tuple(given_words), "".join(surname_words)),) if given_words and surname_words else ()
    raw = name.replace(".", " ").split()
    if len(raw) < 2:
        return ()
    # The last word is the surname, never read as initials ("Y LI" is Y Li).
    head = _words(" ".join(raw[:-1]))
    last = fold(raw[-1], punctuation=False).replace(" ", "")
    words = head + [last]
    splits = [_Split(tuple(words[:k]), "".join(words[k:])) for k in range(1, len(words))]
    tail = _words(" ".join(raw[1:]))
    first = fold(raw[0], punctuation=False).replace(" ", "")
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

    def keys_among(self, names: Sequence[str]) -> list[str]:
        """Roster keys of the authors among ``names``, in roster order, each once."""
        return [key for key, _ in self.forms if any(self.is_author(key, name) for name in names)]


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
