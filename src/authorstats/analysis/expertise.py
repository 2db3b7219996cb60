"""Pure: who on the roster works on a topic? Roster authors ranked by their recent works on a query (`authorstats
who`), with the works and the words that decided each rank, and the co-authors of one author flagged.

The query (a topic name, keywords or an abstract) is read two ways, and a work is compared with it both ways:

- **topic**: the taxonomy's classifier tags the query as it tags a title (a query that is a topic's name is that
  topic); the query's topics, each weighted by its share of their scores, against the work's topics (its
  ``topics`` column, each by its share): ``topic_match`` = sum of the products, 0 to 1;
- **words**: the query's words (the stop words left out) found in the work's title or abstract, also as the start
  of a longer word or the longer word's start when the shorter has 5 letters or more ("causal" and "causality");
  ``term_match`` = the weight of the query's words the work holds over the weight of all of them, 0 to 1.

Every part is weighted by how rare it is among the window's works, its inverse document frequency ln(1 + works /
works holding it): a word every paper uses, or a topic half the papers have, decides little. The query's topics
count as one part whose weight is the mean of theirs, so a work's **relevance** is (topic weight x topic_match +
the weight of the words it holds) / (topic weight + the weight of all the words), 0 to 1.

A work is **on the topic** when the classifier puts it in one of the query's topics or it holds at least half of
the query's word weight. An author's score sums, over their works on the topic, relevance x recency, where
recency halves every ``half_life`` years before the window's last year: the votes of document-centred expert
finding (each relevant work a vote for its authors, as in Macdonald and Ounis's voting model), weighted towards
recent work. A work of several roster authors is a vote for each. Nothing here is tuned to a query.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.classification.engine import classify, normalise, words
from authorstats.errors import BadInputError

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.report import ReportData
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.models import YearWindow

HALF_LIFE = 2.0  # years: a work two years before the window's end counts half
ON_TOPIC_WORDS = 0.5  # the share of the query's word weight a work must hold to be on the topic by words alone
PREFIX_FROM = 5  # letters the shorter of two words needs for one to match as the start of the other
SHOWN_WORDS = 40  # an abstract's words shown with the query at most (all of them count)


@dataclass(frozen=True)
class Query:
    """What the query was read as: its topics (name, share of their scores) and its words (word, weight), and the
    weight of its topics as one part (0 without topics)."""

    text: str
    topics: tuple[tuple[str, float], ...]
    words: tuple[tuple[str, float], ...]
    topic_weight: float = 0.0


@dataclass(frozen=True)
class WorkMatch:
    """One work of an author on the topic, and why."""

    year: int | None
    title: str
    topic: str  # the work's topic
    relevance: float  # topic_match and term_match, each by its weight (see the module's docstring)
    topic_match: float
    term_match: float
    recency: float  # 0.5 ** (years before the window's end / half_life)
    words: tuple[str, ...]  # the query words it holds, as the title writes them, then the topic's evidence

    @property
    def vote(self) -> float:
        return self.relevance * self.recency


@dataclass(frozen=True)
class Candidate:
    """One roster author's rank: score, works on the topic (strongest vote first), and a conflict if any."""

    key: str
    name: str
    score: float
    works: tuple[WorkMatch, ...]
    all_works: int  # the author's works in the window
    conflict: str = ""  # "" or why they are flagged ("is bengio", "co-authored 2 works with bengio")


@dataclass(frozen=True)
class Ranking:
    query: Query
    candidates: tuple[Candidate, ...]  # on the topic, best first (ties: roster order); dropped ones left out
    without: tuple[str, ...]  # roster keys with no work on the topic
    dropped: tuple[str, ...]  # roster keys left out as co-authors (drop=True)
    half_life: float


def read_query(
    text: str,
    taxonomy: Taxonomy,
    stopwords: Iterable[str],
    works: Sequence[str],
    work_topics: Sequence[Mapping[str, float]] = (),
) -> Query:
    """The query's topics and weighted words; ``works`` and ``work_topics``: the text and the topics of every work
    in the window (for the weights). A query with no word to look for is a BadInputError."""
    plain = normalise(text)
    named = [t.name for t in taxonomy.topics if normalise(t.name) == plain.strip()]
    if named:
        topics: tuple[tuple[str, float], ...] = ((named[0], 1.0),)
    else:
        found = classify(text, taxonomy=taxonomy).topics
        total = sum(score for _, score in found)
        topics = tuple((name, score / total) for name, score in found) if total else ()
    skip = {normalise(w) for w in stopwords}
    query_words = [w for w in dict.fromkeys(words(plain)) if w != ":" and len(w) > 1 and w not in skip]
    if not query_words and not topics:
        raise BadInputError(
            f"the query {text[:60]!r} has no word to look for (only stop words or punctuation)",
            "Give a topic name or keywords, e.g. authorstats who 'causal representation learning'",
        )
    vocab = [set(words(normalise(w))) for w in works]
    weights = tuple((w, _rarity(len(vocab), sum(_holds(v, w) for v in vocab))) for w in query_words)
    topic_weight = sum(share * _rarity(len(work_topics), sum(name in t for t in work_topics)) for name, share in topics)
    return Query(text, topics, weights, topic_weight)


def _rarity(works: int, holding: int) -> float:
    """The inverse document frequency ln(1 + works / works holding it); a part no work holds weighs as one."""
    return math.log(1 + works / max(1, holding))


def _holds(vocab: set[str], word: str) -> bool:
    if word in vocab:
        return True
    return any(
        len(v) >= PREFIX_FROM and word.startswith(v) if len(v) < len(word) else v.startswith(word)
        for v in vocab
        if min(len(v), len(word)) >= PREFIX_FROM
    )


def paper_topics(topic: str, cell: object) -> dict[str, float]:
    """A work's topics, each by its share of their scores ("RL:6;Neuroscience:2" -> RL 0.75, Neuroscience 0.25);
    a work with a topic but no scores (a manual label) is wholly that topic; Other is no topic."""
    scores: dict[str, float] = {}
    for part in str(cell).split(";") if isinstance(cell, str) and cell else []:
        name, _, value = part.rpartition(":")
        if name:
            scores[name] = float(value or 0)
    total = sum(scores.values())
    if topic and topic not in scores and topic != "Other":
        return {topic: 1.0}
    return {name: value / total for name, value in scores.items()} if total else {}


def match_work(row: Mapping[str, object], query: Query, window: YearWindow, half_life: float) -> WorkMatch | None:
    """How one classified record matches the query, or None when it is not on the topic; a work without a year
    is as recent as the window's first year."""
    title = str(row.get("title") or "")
    abstract = row.get("abstract")
    text = title + (" " + abstract if isinstance(abstract, str) else "")
    vocab = set(words(normalise(text)))
    held = [(w, weight) for w, weight in query.words if _holds(vocab, w)]
    total = sum(weight for _, weight in query.words)
    term = sum(weight for _, weight in held) / total if total else 0.0
    mine = paper_topics(str(row.get("topic") or ""), row.get("topics"))
    topic = sum(share * mine.get(name, 0.0) for name, share in query.topics)
    relevance = (query.topic_weight * topic + term * total) / ((query.topic_weight + total) or 1.0)
    in_topic = any(name == row.get("topic") for name, _ in query.topics)
    if not (in_topic or term >= ON_TOPIC_WORDS):
        return None
    year = row.get("year")
    year = int(year) if isinstance(year, (int, float)) and not math.isnan(year) else None
    recency = 0.5 ** (max(0, window.end - (window.start if year is None else year)) / half_life)
    title_words = words(normalise(title))
    shown = [next((t for t in title_words if _holds({t}, w)), w) for w, _ in held]
    evidence = str(row.get("evidence") or "").split(";") if in_topic else []
    return WorkMatch(
        year,
        title,
        str(row.get("topic") or ""),
        round(relevance, 4),
        round(topic, 4),
        round(term, 4),
        round(recency, 4),
        tuple(dict.fromkeys(w for w in [*shown, *evidence] if w)),
    )


def rank_authors(
    data: ReportData,
    text: str,
    *,
    stopwords: Iterable[str] = (),
    half_life: float = HALF_LIFE,
    coauthors_of: str | None = None,
    drop: bool = False,
) -> Ranking:
    """The report's authors ranked for the query ``text`` (see the module's docstring). ``coauthors_of``: a roster
    key whose co-authors in the window (and that author) are flagged, or left out with ``drop``."""
    if half_life <= 0:
        raise BadInputError(f"--half-life {half_life:g} is not a positive number of years", "Use e.g. --half-life 2")
    keys = [a.author.key for a in data.authors]
    if coauthors_of is not None and coauthors_of not in keys:
        raise BadInputError(
            f"--exclude-coauthors-of {coauthors_of!r} is not an author of this roster",
            f"Use one of its keys: {', '.join(keys[:10])}{', ...' if len(keys) > 10 else ''}",
        )
    from authorstats.analysis.works import distinct_works

    distinct = distinct_works(data.publications)
    corpus = [f"{t} {a if isinstance(a, str) else ''}" for t, a in zip(distinct["title"], distinct["abstract"])]
    topics = [paper_topics(str(t), c) for t, c in zip(distinct["topic"], distinct["topics"])]
    query = read_query(text, data.taxonomy, stopwords, corpus, topics)
    conflicts = coauthor_conflicts(data, coauthors_of) if coauthors_of is not None else {}
    found: list[Candidate] = []
    without: list[str] = []
    dropped: list[str] = []
    for item in data.authors:
        key = item.author.key
        if drop and key in conflicts:
            dropped.append(key)
            continue
        matches = [match_work(row, query, data.window, half_life) for row in _rows(item.papers)]
        on_topic = sorted((m for m in matches if m is not None), key=lambda m: (-m.vote, m.title))
        if not on_topic:
            without.append(key)
            continue
        score = round(sum(m.vote for m in on_topic), 4)
        found.append(Candidate(key, item.author.name, score, tuple(on_topic), len(item.papers), conflicts.get(key, "")))
    order = {k: i for i, k in enumerate(keys)}
    found.sort(key=lambda c: (-c.score, order[c.key]))
    return Ranking(query, tuple(found), tuple(without), tuple(dropped), half_life)


def _rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    return [{str(k): v for k, v in row.items()} for row in frame.to_dict("records")]


def coauthor_conflicts(data: ReportData, key: str) -> dict[str, str]:
    """The roster authors who published with ``key`` in the window: {their key: why}, ``key`` itself included.

    A work counts when both are on its author list (as authorstats.names matches names) or in both roster
    authors' lists of works."""
    from authorstats.analysis.collaborators import split_names
    from authorstats.analysis.works import work_key
    from authorstats.names import NameMatcher

    roster = [a.author for a in data.authors]
    matcher = NameMatcher.of(roster)
    works: dict[str, set[str]] = {}  # roster key -> works shared with ``key``
    owners: dict[str, set[str]] = {}  # work -> the roster authors who listed it or are on its author list
    for row in _rows(data.publications):
        wk = work_key(row.get("title"), row.get("year"), row.get("doi"))
        owners.setdefault(wk, set()).add(str(row.get("author")))
        owners[wk].update(matcher.keys_among(split_names(row.get("authors"))))
    for wk, people in owners.items():
        if key in people:
            for other in people - {key}:
                works.setdefault(other, set()).add(wk)
    counts = Counter({k: len(v) for k, v in works.items()})
    out = {key: f"is {key}"}
    out.update(
        {k: f"co-authored {n} work{'s' if n != 1 else ''} with {key} in {data.window}" for k, n in counts.items()}
    )
    return out
