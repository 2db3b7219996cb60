"""The batch engine's internals: the taxonomy compiled into string operations over whole batches of titles.

It applies the rules of ``spec.py`` (docs/classifier.md, "Speed", says how); tests/test_classify_spec.py
holds it to them. ``engine.py`` is its only user.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import itertools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TypeAlias

from authorstats.classification.batching import SEP, batch_words, batches, groups
from authorstats.classification.cells import CellMemo
from authorstats.classification.scoring import Scorer
from authorstats.classification.spec import ABSTRACT, NOTHING, Classification
from authorstats.config.taxonomy import Taxonomy, literal_prefix
from authorstats.errors import BadInputError

if TYPE_CHECKING:
    import numpy as np

_COLON, _METHOD, _SETTING, _RESET = 1, 2, 3, 4
# One character per word in a batch's strings of symbols; these three are never a word's symbol.
_SEP = SEP  # ends each title; it is also the word that ends each title in a batch's words
_QUIET = "\x02"  # a word that neither matches nor marks (it still separates the words of a term)
_HEAD = "\x03"  # starts the key of a title whose words before its ':' get head_boost
_FIRST_SYMBOL = 0x100  # symbols are the code points from here on (lone surrogates included)
_RENEW_AFTER = 300_000  # symbols or words learnt before the tables start afresh (a batch adds at most ~750k)
_MEMO = 50_000  # bound on each memo of results: about 1 kB per title over the three memos (shell/classify_files.py)
# bound on the memo of each title key's result: an entry is a short key and a result most keys share (about 0.3 kB),
# so it can hold every key of a million titles (230,000: 0.6 s of CPU less there than with _MEMO, 60 MB more)
_KEY_MEMO = 250_000

Codes: TypeAlias = "np.ndarray[Any, np.dtype[np.int64]]"  # for each title, the number of its result
_Match = tuple[int, float, str]  # (topic index, value or weight, matched text)
_Event = int | _Match  # a marker kind (_COLON, ...) or a match
_Start = tuple[
    int, float, tuple[int, ...]
]  # a term that can start at a word: (topic index, weight, ids of its further words)
_Entry = tuple[tuple[_Start, ...], frozenset[int], int]  # what a word is: see Index.entry


class Index:
    """The taxonomy compiled once, and what it has learnt about the words it has met.

    A batch of titles is classified with a few string operations over the whole batch rather than a
    loop over its words (docs/classifier.md, "Speed"):

    1. every word becomes one character: its *symbol* (``_QUIET`` if it neither matches a term on its
       own nor marks a method, setting or head) and its *class* (which term words it matches);
    2. one regular expression over the classes finds the terms of several words, longest first at each
       word, as the word-by-word rule does; each such match is replaced by one symbol of its own;
    3. dropping the quiet words leaves each title a short *key*: its matches and markers in order.
       Titles with the same key have the same result, which is worked out once per key.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.settings = settings = taxonomy.settings
        regex_ids: dict[str, int] = {}
        self.regexes: list[re.Pattern[str]] = []
        # (topic index, weight, word ids); word ids index self.regexes
        self.terms: list[tuple[int, float, tuple[int, ...]]] = []
        self.by_first: dict[int, list[int]] = {}
        for topic_index, topic in enumerate(taxonomy.topics):
            for term in topic.terms:
                ids: list[int] = []
                for word in term.words:
                    if word not in regex_ids:
                        regex_ids[word] = len(self.regexes)
                        self.regexes.append(re.compile(word))
                    ids.append(regex_ids[word])
                self.by_first.setdefault(ids[0], []).append(len(self.terms))
                self.terms.append((topic_index, term.weight, tuple(ids)))
        self.by_prefix: dict[str, list[int]] = {}
        for word, number in regex_ids.items():
            self.by_prefix.setdefault(literal_prefix(word), []).append(number)
        self.always = self.by_prefix.pop("", [])
        self.prefix_lengths = sorted({len(p) for p in self.by_prefix})
        self.method = frozenset(settings["method_markers"])
        self.setting = frozenset(settings["setting_markers"])
        self.reset = frozenset(settings["reset_markers"])
        self.scorer = Scorer(taxonomy, _MEMO)
        self._start_afresh()

    def _start_afresh(self) -> None:
        """Forget every word, symbol and result learnt so far (they only save time)."""
        self.chars: dict[str, str] = {_SEP: _SEP * 2}  # word -> its symbol (or _QUIET) and its class (or _QUIET)
        self.entries: dict[str, _Entry] = {}  # word of a class -> (terms it can start, its word-regex ids, marker kind)
        self.class_of: dict[tuple[frozenset[int], int], str] = {}  # (word-regex ids, marker kind) -> class
        self.class_entries: list[_Entry] = []  # class - _FIRST_SYMBOL -> entry of its words
        self.events: dict[
            str, tuple[_Event, ...]
        ] = {}  # symbol -> its markers and matches in order: kind or (topic, weight, text)
        self.spans: dict[tuple[str, bool], str] = {}  # (words of a term match, hyphenated) -> its symbol
        self.next_symbol = _FIRST_SYMBOL
        self.pattern: re.Pattern[str] | None = None
        self.pattern_stale = False
        self.results: dict[str, Classification] = {}  # key of a title -> its result
        self.key_matches: tuple[dict[str, list[_Match]], dict[str, list[_Match]]] = (
            {},
            {},
        )  # [weighted] key -> its matches
        self.scored: dict[tuple[_Match, ...], Classification] = {}  # matches -> result
        self.memo = CellMemo(_KEY_MEMO, _MEMO)  # the cells (and encoded rows) of each result handed out (cells.py)

    def entry(self, token: str) -> _Entry:
        """(terms that can start at this word, longest first; ids of the word regexes it matches; marker kind)."""
        candidates = list(self.always)
        for length in self.prefix_lengths:
            if length > len(token):
                break
            candidates.extend(self.by_prefix.get(token[:length], ()))
        ids = frozenset(i for i in candidates if self.regexes[i].fullmatch(token))
        kind = (
            _COLON
            if token == ":"
            else _METHOD
            if token in self.method
            else _SETTING
            if token in self.setting
            else _RESET
            if token in self.reset
            else 0
        )
        starts = sorted(
            (t for i in ids for t in self.by_first.get(i, ())),
            key=lambda t: (-len(self.terms[t][2]), -self.terms[t][1], t),
        )
        # each start: (topic index, weight, ids of the term's further words)
        return tuple((self.terms[t][0], self.terms[t][1], self.terms[t][2][1:]) for t in starts), ids, kind

    def _symbol(self, events: tuple[_Event, ...]) -> str:
        if self.next_symbol > 0x10FFFF:
            raise BadInputError(
                "a title is too long to classify (over a million different matching words)",
                "Check the file's quoting: a stray quote can make the rest of the file one title",
            )
        symbol = chr(self.next_symbol)
        self.next_symbol += 1
        self.events[symbol] = events
        return symbol

    def _learn(self, words: list[str]) -> None:
        for word in words:
            starts, ids, kind = entry = self.entry(word)
            if not ids and not kind:
                self.chars[word] = _QUIET * 2
                continue
            self.entries[word] = entry
            key = (ids, kind)
            if key not in self.class_of:
                self.class_of[key] = chr(_FIRST_SYMBOL + len(self.class_entries))
                self.class_entries.append(entry)
                self.pattern_stale = True
            # the word alone: its marker, then the best one-word term (tried after every longer one)
            single = next(((topic, weight, word) for topic, weight, rest in starts if not rest), None)
            events: tuple[_Event, ...] = ((kind,) if kind else ()) + ((single,) if single else ())
            self.chars[word] = (self._symbol(events) if events else _QUIET) + self.class_of[key]

    def _compile(self) -> None:
        """The regex over classes that finds terms of several words: at each word the first that matches, in the
        order of its starts (longest first), and on after it, as the word-by-word rule."""
        alternatives: list[str] = []
        for number, (starts, _, _) in enumerate(self.class_entries):
            options = [self._sequence(rest) for rest in dict.fromkeys(rest for _, _, rest in starts if rest)]
            options = [o for o in options if o]
            if options:
                alternatives.append(re.escape(chr(_FIRST_SYMBOL + number)) + "(?:" + "|".join(options) + ")")
        self.pattern = re.compile("|".join(alternatives)) if alternatives else None
        self.pattern_stale = False

    def _sequence(self, rest: tuple[int, ...]) -> str:
        """The regex of classes for a term's further words ('' if no word met so far matches one of them)."""
        parts: list[str] = []
        for word_id in rest:
            chars = [chr(_FIRST_SYMBOL + n) for n, (_, ids, _) in enumerate(self.class_entries) if word_id in ids]
            if not chars:
                return ""
            parts.append("[" + "".join(chars) + "]")
        return "".join(parts)

    def _span_symbol(self, words: list[str], hyphenated: bool) -> str:
        """The symbol of a term match over ``words``: the first word's marker, the match, the later words' markers."""
        entries = [self.entries[w] for w in words]
        more = len(words) - 1
        topic, weight = next(
            (topic, weight)
            for topic, weight, rest in entries[0][0]
            if len(rest) == more and all(w in entries[k + 1][1] for k, w in enumerate(rest))
        )
        match = (topic, weight, "-".join(words) if hyphenated else " ".join(words))
        kinds = [e[2] for e in entries]
        symbol = self._symbol(((kinds[0],) if kinds[0] else ()) + (match,) + tuple(k for k in kinds[1:] if k))
        self.spans[" ".join(words), hyphenated] = symbol
        return symbol

    def keys(self, texts: list[str], weighted: bool, dashes: bool = True, ascii: bool | None = None) -> list[str]:
        """The key of every text (see the class docstring); ``weighted`` (titles) marks a boosted head.

        ``dashes``: some text may write a term with hyphens (its evidence is then written so).
        """
        tokens, normalised = batch_words(texts, ascii, dashes)
        try:
            chars = "".join(map(self.chars.__getitem__, tokens))
        except KeyError:  # words not met before
            self._learn(sorted(set(tokens).difference(self.chars)))
            chars = "".join(map(self.chars.__getitem__, tokens))
        if self.pattern_stale:
            self._compile()
        symbols, classes = chars[0::2], chars[1::2]
        if self.pattern is not None:
            pieces: list[str] = []
            done = 0
            title_starts: list[int] | None = None
            spans = self.spans
            for match in self.pattern.finditer(classes):
                start, end = match.span()
                words = tokens[start:end]
                hyphenated = False
                if dashes:
                    if title_starts is None:
                        title_starts = list(
                            itertools.accumulate(map(len, classes.split(_SEP)), lambda a, b: a + b + 1, initial=0)
                        )
                    text = normalised[bisect.bisect_right(title_starts, start) - 1]
                    hyphenated = "-".join(words) in text  # the evidence is written as the title writes it
                pieces.append(symbols[done:start])
                pieces.append(spans.get((" ".join(words), hyphenated)) or self._span_symbol(words, hyphenated))
                done = end
            pieces.append(symbols[done:])
            symbols = "".join(pieces)
        keys = symbols.replace(_QUIET, "").split(_SEP)[:-1]
        colon = self.chars.get(":", "  ")[1]
        if weighted and colon in classes:
            # the head is boosted when the title's first ':' has a word after it: drop the colons that end a title
            heads = classes.replace(colon + _SEP, _SEP).split(_SEP)[:-1]
            keys = [_HEAD + key if colon in head else key for key, head in zip(keys, heads)]
        return keys

    def matches(self, key: str, weighted: bool, remember: bool = True) -> list[_Match]:
        """(topic index, value, matched text) of every match of a key, in title order.

        With ``weighted`` (a title), matches before a ':' get head_boost, and matches after a method or
        setting marker get method_weight or setting_weight until the next ':' or reset marker.
        """
        known = self.key_matches[weighted].get(key)
        if known is not None:
            return known
        events = self.events
        out: list[_Match] = []
        if weighted:
            settings = self.settings
            method_weight, setting_weight = settings["method_weight"], settings["setting_weight"]
            head = settings["head_boost"] if key[:1] == _HEAD else 1.0
            mode = 1.0
            for symbol in key.lstrip(_HEAD):
                for event in events[symbol]:
                    if type(event) is tuple:
                        out.append((event[0], event[1] * head * mode, event[2]))
                    elif event == _COLON:
                        head = mode = 1.0
                    elif event == _METHOD:
                        mode = method_weight
                    elif event == _SETTING:
                        if setting_weight < mode:
                            mode = setting_weight
                    else:
                        mode = 1.0
        else:
            for symbol in key:
                out += [(e[0], e[1] * 1.0 * 1.0, e[2]) for e in events[symbol] if type(e) is tuple]
        if remember and len(self.key_matches[weighted]) < _MEMO:
            self.key_matches[weighted][key] = out
        return out

    def classify(self, titles: list[str], abstracts: list[str] | None = None) -> list[Classification]:
        """The result of every title (with its abstract, if given). Titles with the same key share one result
        object, so the distinct results can be told apart by identity."""
        results: list[Classification] = [NOTHING] * len(titles)
        texts = titles if abstracts is None else [t + a for t, a in zip(titles, abstracts)]
        with no_collection():
            for number, group in enumerate(groups(texts)):  # plain ASCII, ASCII with dashes, others
                for batch in batches(group, texts):
                    self._classify_batch(batch, titles, abstracts, results, number > 0, number < 2)
        return results

    def numbered(self, titles: list[str], abstracts: list[str] | None = None) -> tuple[list[Classification], Codes]:
        """Each distinct result once, in the order first met (told apart by identity), and the number of each
        title's: ``classify``'s results numbered, but each batch's distinct keys looked up once and numbered by
        numpy, not each title in Python."""
        import numpy as np
        import pandas as pd

        if abstracts is not None:
            results = self.classify(titles, abstracts)
            found, rows = results, np.arange(len(results), dtype=np.int64)
        else:
            found = []  # the result of each batch's distinct keys, batch after batch
            rows = np.empty(len(titles), dtype=np.int64)  # each title's number in found
            with no_collection():
                for number, group in enumerate(groups(titles)):
                    for batch in batches(group, titles):
                        keys, distinct = pd.factorize(
                            np.array(self._keys(batch, titles, number > 0, number < 2), dtype=object)
                        )
                        rows[batch] = keys + len(found)
                        found += map(self._result, distinct.tolist())
        # the same result object for different keys (or titles) is one result
        same, _ = pd.factorize(np.fromiter(map(id, found), dtype=np.int64, count=len(found)))
        codes, firsts = pd.factorize(same[rows])  # numbered in the order first met
        where = np.unique(same, return_index=True)[1]  # the first of each in found
        return [found[i] for i in where[firsts].tolist()], codes.astype(np.int64, copy=False)

    def _keys(self, batch: list[int], titles: list[str], dashes: bool, ascii: bool) -> list[str]:
        if self.next_symbol - _FIRST_SYMBOL > _RENEW_AFTER or len(self.chars) > _RENEW_AFTER:
            self._start_afresh()  # bounds the memory a stream of new words takes
        return self.keys([titles[i] for i in batch], True, dashes, ascii)

    def _result(self, key: str) -> Classification:
        """The result of a title's key (a title without abstract), remembered while there is room."""
        known = self.results
        result = known.get(key)
        if result is None:
            room = len(known) < _KEY_MEMO  # then its matches are not needed again: the result is kept
            result = self._score(self.matches(key, True, not room))
            if room:
                known[key] = result
        return result

    def _classify_batch(
        self,
        batch: list[int],
        titles: list[str],
        abstracts: list[str] | None,
        results: list[Classification],
        dashes: bool,
        ascii: bool,
    ) -> None:
        keys = self._keys(batch, titles, dashes, ascii)
        if abstracts is None:
            for i, key in zip(batch, keys):
                results[i] = self._result(key)
            return
        abstract_keys = self.keys([abstracts[i] for i in batch], False, dashes, ascii)
        share = self.settings["abstract_weight"]
        for i, key, abstract_key in zip(batch, keys, abstract_keys):
            found = self.matches(key, True)
            if abstracts[i] and share > 0:
                found = found + [(t, v * share, m + ABSTRACT) for t, v, m in self.matches(abstract_key, False)]
            results[i] = self._score(found)

    def _score(self, matches: list[_Match]) -> Classification:
        """Score matches once per signature: the result depends only on their topics, values and texts in order,
        and many titles share those."""
        if not matches:
            return NOTHING
        signature = tuple(matches)
        known = self.scored.get(signature)
        if known is None:
            known = self.scorer.score(matches)
            if len(self.scored) < _MEMO:
                self.scored[signature] = known
        return known


@contextlib.contextmanager
def no_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector: the memos hold millions of objects that make no cycles, and
    walking them again and again took a fifth of the time."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@functools.lru_cache(maxsize=16)
def index(taxonomy: Taxonomy) -> Index:
    """The taxonomy's compiled index (one per taxonomy, kept with what it has learnt)."""
    return Index(taxonomy)
