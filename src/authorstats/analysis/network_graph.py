"""Pure: the whole co-authorship network as a networkx graph, for the files Gephi, Cytoscape, VOSviewer and Pajek
open (render.network_files writes them).

Unlike the picture (analysis.network, at most 60 people), the graph holds every row of collaborators.csv: one node
per roster author (its id the roster key) and per co-author (its id ``~`` and the name key two spellings share),
one undirected edge per (roster author, co-author) row. A co-author who is a roster author is that author's node,
so the two rows of a pair of roster authors are one edge (with the larger count, as the picture draws it).

Edges carry ``weight`` (joint papers, what Gephi and VOSviewer size links by), ``topics`` ("Vision (3); Theory
(1)"), ``topic`` (the one most of the joint papers share) and the first and last year; nodes a ``label``, their
``kind`` (roster, shared: a co-author of several roster authors, or coauthor), ``papers`` (joint papers, or a
roster author's own works) and ``topic``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from authorstats.analysis.collaborators import name_key
from authorstats.analysis.network import top_topic, topic_counts
from authorstats.names import NameMatcher

if TYPE_CHECKING:
    import networkx as nx

    from authorstats.analysis.collaborators import Collaboration
    from authorstats.analysis.report import ReportData
    from authorstats.models import Author


def report_graph(data: ReportData) -> nx.Graph:
    """The co-authorship network of a computed report (``authorstats.coauthor_graph``): its authors, each with
    their main topic and works, and every co-author of collaborators.csv; no co-authors: the authors alone."""
    import pandas as pd

    from authorstats.analysis.collaborators import COLUMNS, MERGE_COLUMNS, Collaboration

    empty = Collaboration(pd.DataFrame(columns=COLUMNS), pd.DataFrame(columns=MERGE_COLUMNS), {})
    return coauthor_graph(
        data.collaboration or empty,
        [a.author for a in data.authors],
        {a.author.key: a.main_topic for a in data.authors},
        {a.author.key: len(a.papers) for a in data.authors},
    )


def coauthor_graph(
    collaboration: Collaboration,
    roster: Sequence[Author],
    main_topics: Mapping[str, str] | None = None,
    works: Mapping[str, int] | None = None,
) -> nx.Graph:
    """The co-authorship network of ``collaboration`` (see the module's docstring). ``roster``: the report's
    authors, each a node even without co-authors; ``main_topics`` and ``works``: each roster author's most frequent
    topic and number of works, their node's ``topic`` and ``papers``."""
    import networkx as nx
    import pandas as pd

    graph = nx.Graph()
    matcher = NameMatcher.of(roster)
    for author in roster:
        topic = (main_topics or {}).get(author.key, "")
        graph.add_node(
            author.key, label=author.name, kind="roster", topic=topic, papers=(works or {}).get(author.key, 0)
        )
    table = collaboration.table
    columns = ("author_key", "coauthor", "papers", "topics", "first_year", "last_year")
    for key, name, papers, cell, first, last in zip(*(table[c] for c in columns)):
        found = matcher.keys_among([name])
        other = found[0] if found else "~" + name_key(name)
        if other not in graph:
            graph.add_node(other, label=name, kind="coauthor", topic="", papers=0)
        attrs: dict[str, object] = {
            "weight": int(papers),
            "topics": str(cell),
            "topic": top_topic(topic_counts(str(cell))),
        }
        attrs.update({n: int(y) for n, y in (("first_year", first), ("last_year", last)) if not pd.isna(y)})
        if graph.has_edge(key, other) and graph.edges[key, other]["weight"] >= int(papers):
            continue  # the pair of roster authors seen from the other side: the larger count stays
        graph.add_edge(key, other, **attrs)
    for node, data in graph.nodes(data=True):
        if data["kind"] == "roster":
            continue
        data["kind"] = "shared" if graph.degree(node) > 1 else "coauthor"
        data["papers"] = sum(int(w) for *_, w in graph.edges(node, data="weight"))
        topics: Counter[str] = Counter()
        for *_, cell in graph.edges(node, data="topics"):
            topics.update(topic_counts(str(cell)))
        data["topic"] = top_topic(topics)
    return graph
