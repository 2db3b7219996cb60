"""Pure: which people and links the co-authorship network picture shows, from the co-author table.

The roster's authors and, within ``MAX_NODES``, their co-authors: those shared by several roster authors first,
then each author's most frequent ones in turn. A co-author who is a roster author is that author's node.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorstats.analysis.collaborators import SEPARATOR, Collaboration, name_key
from authorstats.names import NameMatcher

if TYPE_CHECKING:
    from authorstats.models import Author

MAX_NODES = 60  # more and the labels of a slide-size picture run into each other
MAX_ROSTER = 20  # roster authors drawn at most (those with the most co-authored papers)


@dataclass(frozen=True)
class Node:
    id: str  # a roster key, or "~" + the co-author's name key
    label: str
    kind: str  # "roster", "shared" (a co-author of several roster authors) or "coauthor"
    topic: str  # the topic most of its joint papers share ("" when unknown)


@dataclass(frozen=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[tuple[str, str, int], ...]  # (node id, node id, joint papers)
    hidden_people: int  # co-authors left out of the picture (all are in collaborators.csv)
    hidden_authors: int  # roster authors left out


def topic_counts(cell: str) -> Counter[str]:
    """{topic: papers} of a collaborators ``topics`` cell ("Vision (3); Theory (1)")."""
    counts: Counter[str] = Counter()
    for part in cell.split(SEPARATOR) if cell else []:
        topic, _, number = part.rpartition(" (")
        counts[topic] += int(number.rstrip(")") or 0) if topic else 0
    return counts


def top_topic(counts: Counter[str]) -> str:
    """The topic with the most papers (ties: A-Z); "" for none."""
    return sorted(counts.items(), key=lambda i: (-i[1], i[0]))[0][0] if counts else ""


def network(
    collaboration: Collaboration,
    roster: Sequence[Author],
    main_topics: Mapping[str, str] | None = None,
    max_nodes: int = MAX_NODES,
) -> Network:
    """The nodes and edges of the co-authorship picture (see the module's docstring). ``main_topics``: each
    roster author's most frequent topic, their node's colour (default: that of their co-authored papers)."""
    table = collaboration.table
    rows = list(zip(table["author_key"], table["coauthor"], table["papers"], table["topics"]))
    papers_of: Counter[str] = Counter()
    for key, _, papers, _ in rows:
        papers_of[key] += int(papers)
    with_coauthors = [a for a in roster if papers_of[a.key]]
    ranked = sorted(with_coauthors, key=lambda a: -papers_of[a.key])[: min(MAX_ROSTER, max_nodes)]
    shown = [a for a in with_coauthors if a in ranked]  # roster order
    keys = {a.key for a in shown}

    matcher = NameMatcher.of(roster)

    def roster_node(name: str) -> str | None:
        found = matcher.keys_among([name])
        return found[0] if found else None

    people: dict[str, dict[str, int]] = defaultdict(dict)  # person id -> {roster key: joint papers}
    labels: dict[str, str] = {}
    topics: dict[str, Counter[str]] = defaultdict(Counter)
    for key, name, papers, cell in rows:
        if key not in keys:
            continue
        other = roster_node(name)
        person = other if other is not None else "~" + name_key(name)
        people[person][key] = int(papers)
        labels.setdefault(person, name)
        topics[person].update(topic_counts(cell))
    outsiders = [p for p in people if p not in {a.key for a in roster}]
    budget = max(0, max_nodes - len(shown))
    shared = sorted((p for p in outsiders if len(people[p]) > 1), key=lambda p: (-sum(people[p].values()), labels[p]))
    chosen = shared[:budget]
    queues = {
        a.key: [
            p
            for p, _ in sorted(
                ((p, people[p][a.key]) for p in outsiders if a.key in people[p]), key=lambda i: (-i[1], labels[i[0]])
            )
        ]
        for a in shown
    }
    while len(chosen) < budget and any(queues.values()):
        for a in shown:  # each author's next most frequent co-author in turn
            queue = queues[a.key]
            while queue and queue[0] in chosen:
                queue.pop(0)
            if queue and len(chosen) < budget:
                chosen.append(queue.pop(0))
    picked = set(chosen)
    roster_topics: dict[str, Counter[str]] = defaultdict(Counter)
    for key, _, _, cell in rows:
        roster_topics[key].update(topic_counts(cell))
    nodes = [
        Node(a.key, a.name, "roster", (main_topics or {}).get(a.key) or top_topic(roster_topics[a.key])) for a in shown
    ]
    nodes += [Node(p, labels[p], "shared" if len(people[p]) > 1 else "coauthor", top_topic(topics[p])) for p in chosen]
    edges: dict[tuple[str, str], int] = {}
    for person, links in people.items():
        if person not in picked and person not in keys:
            continue
        for key, papers in links.items():
            if person == key:
                continue
            first, second = sorted((key, person)) if person in keys else (key, person)
            edges[first, second] = max(edges.get((first, second), 0), papers)  # both directions: the larger count
    return Network(
        tuple(nodes),
        tuple((a, b, n) for (a, b), n in edges.items()),
        len([p for p in outsiders if p not in picked]),
        len(with_coauthors) - len(shown),
    )
