"""The topic taxonomy: a TOML text of topics and their weighted match terms, parsed and validated."""

from __future__ import annotations

import math
import re
import re._constants as sre_constants  # type: ignore[import-not-found]  # private, no stubs: see _backtracking
import re._parser as sre_parser  # type: ignore[import-not-found]
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypedDict

from authorstats.config.groupings import Grouping, parse_groupings
from authorstats.config.toml_text import parse_toml
from authorstats.errors import BadInputError

OTHER = "Other"
RESERVED = ("Total",)  # the tables' own rows and columns: a topic of that name would be counted twice

TOPIC_FIELDS = {"name", "description", "terms", "boost"}
SETTINGS = {
    # name: (default, minimum, maximum)
    "threshold": (0.5, 0.0, math.inf),
    "abstract_weight": (0.3, 0.0, 1.0),
    "head_boost": (1.25, 1.0, 10.0),
    "method_weight": (0.6, 0.0, 1.0),
    "setting_weight": (0.8, 0.0, 1.0),
    "decay": (0.5, 0.0, 1.0),
    "strong_score": (3.0, 0.0, math.inf),
}
LIST_SETTINGS = {
    "method_markers": ("via", "with", "using", "by", "through", "from"),
    "setting_markers": ("in", "on"),
    "reset_markers": ("for",),
}

# A term is words separated by spaces or hyphens; each word is a regex matched against one whole word.
_WORD_SPLIT = re.compile(r"[\s\-]+")
_META = set("\\.^$*+?{}[]|()")


class Settings(TypedDict):
    """A taxonomy's [settings] (SETTINGS and LIST_SETTINGS say what each means by default), validated."""

    threshold: float
    abstract_weight: float
    head_boost: float
    method_weight: float
    setting_weight: float
    decay: float
    strong_score: float
    method_markers: tuple[str, ...]
    setting_markers: tuple[str, ...]
    reset_markers: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One match term: ``words`` are regexes, each matching one whole (lower-case) word of a title."""

    pattern: str
    weight: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class Topic:
    name: str
    description: str
    terms: tuple[Term, ...]
    boost: float = 1.0  # > 1 for application domains, which win over methods (TOPICS.md tie-break)


@dataclass(frozen=True, eq=False)  # identity equality: classifiers cache their compiled index per taxonomy
class Taxonomy:
    path: Path  # where its text came from, for messages and the report's methods section
    topics: tuple[Topic, ...]
    settings: Settings
    names: tuple[str, ...]
    groupings: tuple[Grouping, ...] = ()  # [groupings.NAME]: topics rolled up into categories (config/groupings.py)

    def topic(self, name: str) -> Topic:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise KeyError(name)

    def grouping(self, name: str) -> Grouping:
        """The grouping called ``name``; a BadInputError naming the ones there are otherwise."""
        for grouping in self.groupings:
            if grouping.name == name:
                return grouping
        there = ", ".join(g.name for g in self.groupings)
        raise BadInputError(
            f"taxonomy {self.path} has no grouping {name!r}",
            f"Use one of: {there}" if there else "Add a [groupings.NAME] table to the taxonomy",
        )


def split_words(pattern: str) -> list[str]:
    """Split a term at spaces and hyphens that are outside brackets and parentheses."""
    words, current, depth, in_class, escaped = [], [], 0, False, False
    for char in pattern:
        if escaped:
            current.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and (char.isspace() or char == "-"):
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    return words


def literal_prefix(word: str) -> str:
    """The literal characters every match of the word regex starts with ('' when unknown)."""
    depth = 0
    escaped = False
    for char in word:  # any top-level alternation means no common prefix
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return ""
    prefix: list[str] = []
    for char in word:
        if char in _META:
            if char in "?*{" and prefix:
                prefix.pop()  # the previous character is optional
            break
        prefix.append(char)
    return "".join(prefix)


def parse_taxonomy(text: str, origin: str | Path = "<text>", *, bundled: bool = False) -> Taxonomy:
    """Parse and validate a taxonomy's TOML text; errors name ``origin`` (its file) and the entry. ``bundled``: the
    package's own taxonomy, whose terms a test holds to the checks against patterns that could make matching hang
    (``_backtracking``, ``_combinations``): they are not run again on every load (a sixtieth of a second)."""
    path = Path(origin)
    data = parse_toml(text, origin, "taxonomy")
    settings = _settings(path, data.get("settings", {}))
    unknown = set(data) - {"settings", "topic", "groupings"}
    if unknown:
        raise BadInputError(
            f"taxonomy {path} has unknown section(s) {', '.join(sorted(unknown))}",
            "Use only [settings], [[topic]] and [groupings.NAME] tables",
        )
    entries = data.get("topic", [])
    if not isinstance(entries, list) or not entries:
        raise BadInputError(
            f"taxonomy {path} lists no topics",
            'Add one [[topic]] table per topic with name = "..." and a [topic.terms] table',
        )
    topics: list[Topic] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        topic = _topic(path, number, entry, bundled)
        if topic.name.casefold() in {r.casefold() for r in RESERVED}:
            raise BadInputError(
                f"taxonomy {path}, topic #{number}: the name {topic.name!r} is reserved for the tables' sums",
                "Rename the topic",
            )
        if topic.name.casefold() in seen:
            raise BadInputError(
                f"taxonomy {path} lists the topic {topic.name!r} twice", "Give every topic a different name"
            )
        seen.add(topic.name.casefold())
        topics.append(topic)
    others = [t for t in topics if t.name == OTHER]
    topics = [t for t in topics if t.name != OTHER] + (
        others or [Topic(OTHER, "anything the topics above do not cover", ())]
    )
    names = tuple(t.name for t in topics)
    groupings = parse_groupings(path, data["groupings"], names) if "groupings" in data else ()
    return Taxonomy(path=path, topics=tuple(topics), settings=settings, names=names, groupings=groupings)


def _settings(path: Path, raw: object) -> Settings:
    if not isinstance(raw, dict):
        raise BadInputError(f"taxonomy {path}: [settings] must be a table", "Write it as a [settings] section")
    unknown = set(raw) - set(SETTINGS) - set(LIST_SETTINGS)
    if unknown:
        raise BadInputError(
            f"taxonomy {path}: unknown setting(s) {', '.join(sorted(unknown))}",
            f"Use only {', '.join(sorted([*SETTINGS, *LIST_SETTINGS]))}",
        )
    numbers: dict[str, float] = {}
    for name, (default, low, high) in SETTINGS.items():
        value = raw.get(name, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            raise BadInputError(
                f"taxonomy {path}: setting {name} = {value!r} is out of range",
                f"Use a number from {low} to {high}",
            )
        numbers[name] = float(value)
    markers: dict[str, tuple[str, ...]] = {}
    for name, words in LIST_SETTINGS.items():
        listed = raw.get(name, list(words))
        if not isinstance(listed, list) or not all(isinstance(v, str) and v.strip() for v in listed):
            raise BadInputError(
                f"taxonomy {path}: setting {name} must be a list of words", f'Write {name} = ["via", "with"]'
            )
        markers[name] = tuple(v.strip().casefold() for v in listed)
    return Settings(
        threshold=numbers["threshold"],
        abstract_weight=numbers["abstract_weight"],
        head_boost=numbers["head_boost"],
        method_weight=numbers["method_weight"],
        setting_weight=numbers["setting_weight"],
        decay=numbers["decay"],
        strong_score=numbers["strong_score"],
        method_markers=markers["method_markers"],
        setting_markers=markers["setting_markers"],
        reset_markers=markers["reset_markers"],
    )


def _topic(path: Path, number: int, entry: object, bundled: bool = False) -> Topic:
    where = f"taxonomy {path}, topic #{number}"
    if not isinstance(entry, dict):
        raise BadInputError(f"{where} is not a table", "Write each topic as a [[topic]] table")
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise BadInputError(f"{where} has no name", 'Add name = "Topic name"')
    name = name.strip()
    where = f"taxonomy {path}, topic {name!r}"
    unknown = set(entry) - TOPIC_FIELDS
    if unknown:
        raise BadInputError(
            f"{where} has unknown field(s) {', '.join(sorted(unknown))}", f"Use only {', '.join(sorted(TOPIC_FIELDS))}"
        )
    description = entry.get("description", "")
    if not isinstance(description, str):
        raise BadInputError(f"{where}: description must be a string", 'Write description = "..."')
    boost = entry.get("boost", 1.0)
    if isinstance(boost, bool) or not isinstance(boost, (int, float)) or not 0 < boost <= 10:
        raise BadInputError(f"{where}: boost = {boost!r} is out of range", "Use a number above 0 and at most 10")
    raw_terms = entry.get("terms", {})
    if not isinstance(raw_terms, dict):
        raise BadInputError(
            f"{where}: terms must be a table of pattern = weight", "Write [topic.terms] then 'pattern' = 2"
        )
    if not raw_terms and name != OTHER:
        raise BadInputError(f"{where} has no terms", "Add a [topic.terms] table with at least one 'pattern' = weight")
    terms = tuple(_term(where, pattern, weight, bundled) for pattern, weight in raw_terms.items())
    return Topic(name=name, description=description.strip(), terms=terms, boost=float(boost))


def _term(where: str, pattern: str, weight: object, bundled: bool = False) -> Term:
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 < weight <= 100:
        raise BadInputError(f"{where}: term {pattern!r} has weight {weight!r}", "Give it a number above 0, e.g. 2")
    words = split_words(pattern.strip().casefold())
    if not words:
        raise BadInputError(f"{where}: an empty term", "Remove it or write a word")
    for word in words:
        try:
            compiled = re.compile(word)
        except re.error as exc:
            raise BadInputError(
                f"{where}: term {pattern!r} is not a valid pattern ({exc})",
                r"Fix the regular expression, e.g. 'generat(e|ive|ion)' or 'gflownets?'",
            ) from None
        if compiled.fullmatch(""):
            raise BadInputError(
                f"{where}: term {pattern!r} can match an empty word",
                "Make every word of the term match at least one letter",
            )
        if bundled:
            continue
        risk = _backtracking(word)
        if risk:
            raise BadInputError(
                f"{where}: term {pattern!r} could make matching hang on a long word ({risk})",
                r"Repeat single letters or classes only once per word, e.g. 'pretrain\w*' or 'gflownets?', not '(a+)+'",
            )
        risk = _combinations(word)
        if risk:
            raise BadInputError(
                f"{where}: term {pattern!r} could make matching hang on a long word ({risk})",
                f"Give a word fewer optional parts and alternatives (at most {MAX_WAYS} ways to match) and repeat no "
                r"group that has one, e.g. 'pretrain\w*', 'gflownets?' or 'generat(e|ive|ion)', not '(a?){29}'",
            )
    return Term(pattern=pattern, weight=float(weight), words=tuple(words))


_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT)


def _backtracking(word: str) -> str:
    """Why matching the word regex could backtrack catastrophically ('' when it cannot), judged conservatively.

    Python's re backtracks, so a repeat inside a repeat (``(a+)+b``), alternatives inside a repeat
    (``(a|ab)*c``) or two open-ended repeats (``\\w*s\\w*``) can take exponential or polynomial time on
    one long word of a title. Single-character choices (``[sz]``, ``(a|b)``) are one class, not alternatives.
    The regex's own parser (private, but the only parser of its exact syntax) gives the tree to check.
    """
    open_ended = 0

    def scan(items: Any, repeated: bool) -> str:  # a parsed SubPattern: (opcode, value) pairs
        nonlocal open_ended
        for op, value in items:
            if op in _REPEATS:
                low, high, body = value
                if high > 1:
                    if repeated:
                        return "a repeat inside a repeat"
                    if high == sre_constants.MAXREPEAT:
                        open_ended += 1
                        if open_ended > 1:
                            return "two open-ended repeats"
                why = scan(body, repeated or high > 1)
            elif op is sre_constants.BRANCH:
                branches = value[1]
                if repeated and len(branches) > 1:
                    return "alternatives inside a repeat"
                why = next((w for w in (scan(b, repeated) for b in branches) if w), "")
            elif op is sre_constants.SUBPATTERN:
                why = scan(value[3], repeated)
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                why = scan(value[1], repeated)
            elif op is sre_constants.ATOMIC_GROUP:
                why = scan(value, repeated)
            elif op is sre_constants.GROUPREF_EXISTS:
                why = next((w for w in (scan(b, repeated) for b in value[1:] if b) if w), "")
            else:
                why = ""
            if why:
                return why
        return ""

    return scan(sre_parser.parse(word), False)


# How many ways a word regex may have to match one word from one place, for each letter of the word: Python's re
# tries them one after the other (it backtracks), so this bounds its work on one word. Measured: '(a?){6}\w*b'
# (64 ways per letter) 0.8 ms on a word of 1,000 letters, against 45.6 s for '(a?){29}a{29}' on 29 letters; the
# bundled taxonomy's terms have at most 25 ways (benchmarks/RESULTS.md, "Bounded classification").
MAX_WAYS = 100
_LONG_REPEAT = 64  # a repeat of one letter or class that may take more lengths than this is as good as open-ended
_MANY = 10**12  # ways are counted up to here (beyond, the exact number does not matter)


def _combinations(word: str) -> str:
    """Why the word regex could try too many ways to match one word ('' when it cannot), counted conservatively.

    _backtracking refuses the known shapes of catastrophic backtracking, but not all: ``(a?){29}a{29}`` (an
    optional part in a bounded repeat) has 2**29 ways to match 29 letters and took 21 s on one title, and so does
    ``a?a?...a?aa...a`` written out. Here each part of the regex is given an upper bound of the ways it can match
    from one place, ``constant * (L + 1) ** degree`` for a word of L letters: a letter or class 1 way, an
    open-ended repeat of one letter or class ``L + 1`` (one per length), a sequence the product of its parts,
    alternatives the sum of theirs, a repeat of a part that has several ways that many ways per round. A word
    passes when its bound grows at most linearly (degree 1: one open-ended repeat) with a constant of at most
    MAX_WAYS, so matching it costs at most about MAX_WAYS times the word's length.
    """
    constant, degree = _ways(sre_parser.parse(word))
    if degree > 1:
        return "several repeats that can each take any length of the word"
    if constant > MAX_WAYS:
        shown = f"{constant:,}" if constant < _MANY else f"more than {_MANY:,}"
        return f"its optional parts, alternatives and repeats combine in {shown} ways to match one word"
    return ""


def _ways(items: Any) -> tuple[int, int]:
    """(constant, degree): at most ``constant * (L + 1) ** degree`` ways for a parsed SubPattern to match from one
    place in a word of L letters."""
    constant, degree = 1, 0
    for op, value in items:
        part, more = _ways_of(op, value)
        constant, degree = min(constant * part, _MANY), degree + more
    return constant, degree


def _ways_of(op: Any, value: Any) -> tuple[int, int]:
    if op in _REPEATS:
        low, high, body = value
        part, degree = _ways(body)
        if (part, degree) == (1, 0):  # one letter, class or fixed text: one way per number of rounds
            rounds = None if high == sre_constants.MAXREPEAT else high - low + 1
            return (1, 1) if rounds is None or rounds > _LONG_REPEAT else (rounds, 0)
        if high == sre_constants.MAXREPEAT:
            return _MANY, max(degree, 1)  # an open-ended repeat of a part with several ways: exponential
        total = 0
        for rounds in range(low, high + 1):  # each round multiplies the ways
            total = min(total + min(part**rounds, _MANY), _MANY)
            if total >= _MANY:
                break
        return total, degree * high
    if op is sre_constants.BRANCH:
        ways = [_ways(branch) for branch in value[1]]
        return min(sum(w[0] for w in ways), _MANY), max(w[1] for w in ways)
    if op is sre_constants.SUBPATTERN:
        return _ways(value[3])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return _ways(value[1])  # tried at each place reached: counted as a part of the sequence
    if op is sre_constants.ATOMIC_GROUP:
        return _ways(value)
    if op is sre_constants.GROUPREF_EXISTS:
        ways = [_ways(branch) for branch in value[1:] if branch]
        return min(sum(w[0] for w in ways) or 1, _MANY), max((w[1] for w in ways), default=0)
    return 1, 0
