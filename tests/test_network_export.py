"""`authorstats export --format gexf|graphml|pajek` (issue 28): the co-author network, read back by networkx's own
readers, holds the same people and links as reports/collaborators.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from authorstats.analysis.collaborators import Collaboration, name_key
from authorstats.analysis.network_graph import coauthor_graph
from authorstats.cli import app
from authorstats.models import Author
from authorstats.render.network_files import encode

runner = CliRunner()
ROSTER_NAMES = {"bengio": "Yoshua Bengio", "lecun": "Yann LeCun", "hinton": "Geoffrey Hinton"}


def expected_links(workspace: Path) -> tuple[set[str], set[frozenset[str]], dict[frozenset[str], int]]:
    """The people and links of collaborators.csv, by label: a co-author named as a roster author is that author."""
    rows = list(csv.DictReader(open(workspace / "reports" / "collaborators.csv", encoding="utf-8")))
    by_fold = {name_key(n): n for n in ROSTER_NAMES.values()}
    people, links, papers = set(ROSTER_NAMES.values()), set(), {}
    for row in rows:
        other = by_fold.get(name_key(row["coauthor"]), row["coauthor"])
        link = frozenset((ROSTER_NAMES[row["author_key"]], other))
        people.add(other)
        links.add(link)
        papers[link] = max(papers.get(link, 0), int(row["papers"]))
    return people, links, papers


def read_back(path: Path, fmt: str) -> nx.Graph:
    if fmt == "gexf":
        return nx.read_gexf(path)
    if fmt == "graphml":
        return nx.read_graphml(path)
    return nx.Graph(nx.read_pajek(path))


@pytest.mark.parametrize("fmt", ["gexf", "graphml", "pajek"])
def test_the_network_file_has_the_people_and_links_of_collaborators_csv(shared_report, tmp_path, fmt):
    workspace = shared_report[0]  # `report --no-clouds` of the bundled snapshot (conftest.py)
    out = tmp_path / f"network.{fmt}"
    result = runner.invoke(app, ["export", "-w", str(workspace), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    graph = read_back(out, fmt)
    label = {n: (n if fmt == "pajek" else d["label"]) for n, d in graph.nodes(data=True)}
    people, links, papers = expected_links(workspace)
    assert sorted(label.values()) == sorted(people)
    found = {frozenset((label[a], label[b])): d for a, b, d in graph.edges(data=True)}
    assert set(found) == links and graph.number_of_edges() == len(links)
    assert {k: int(float(d["weight"])) for k, d in found.items()} == papers
    assert frozenset(("Yoshua Bengio", "Yann LeCun")) in found  # two roster authors: one link, not two people
    assert f"{graph.number_of_nodes()} people and {len(links)} links" in result.output


def test_topics_ride_on_the_edges_and_a_roster_pair_keeps_the_larger_count():
    roster = [Author("a", "Ada Lovelace"), Author("b", "Charles Babbage")]
    table = pd.DataFrame(
        {
            "author_key": ["a", "a", "b", "b"],
            "coauthor": ["Charles Babbage", "Mary Somerville", "Ada Lovelace", "Mary Somerville"],
            "papers": [2, 3, 1, 1],
            "topics": ["Engines (2)", "Maths (2); Engines (1)", "Engines (1)", "Maths (1)"],
            "first_year": pd.array([1842, 1840, 1843, pd.NA], dtype="Int64"),
            "last_year": pd.array([1843, 1843, 1843, pd.NA], dtype="Int64"),
        }
    )
    graph = coauthor_graph(Collaboration(table, pd.DataFrame(), {}), roster, {"a": "Engines"}, {"a": 9, "b": 4})
    assert set(graph.nodes) == {"a", "b", "~mary somerville"}
    assert graph.edges["a", "b"] == {
        "weight": 2,
        "topics": "Engines (2)",
        "topic": "Engines",
        "first_year": 1842,
        "last_year": 1843,
    }
    mary = graph.nodes["~mary somerville"]
    assert mary == {"label": "Mary Somerville", "kind": "shared", "topic": "Maths", "papers": 4}
    assert "first_year" not in graph.edges["b", "~mary somerville"]  # an unknown year is left out, not 0
    assert graph.nodes["a"]["papers"] == 9 and graph.nodes["b"]["topic"] == ""
    back = nx.parse_graphml(encode(graph, "graphml"))
    assert back.edges["a", "b"]["topics"] == "Engines (2)" and back.nodes["a"]["papers"] == 9


def test_pajek_names_people_apart_when_two_share_a_name():
    graph = nx.Graph()
    graph.add_node("x", label="Li Wei", kind="roster", topic="", papers=1)
    graph.add_node("~li wei", label="Li Wei", kind="coauthor", topic="", papers=1)
    graph.add_edge("x", "~li wei", weight=1, topics="", topic="")
    back = nx.parse_pajek(encode(graph, "pajek"))
    assert set(back.nodes) == {"Li Wei (x)", "Li Wei (~li wei)"}
