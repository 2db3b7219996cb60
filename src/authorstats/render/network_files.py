"""The co-authorship network (analysis.network_graph) as the files Gephi, Cytoscape, VOSviewer and Pajek open:
GEXF, GraphML and Pajek, written by networkx's own writers; a graph in, text out."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("gexf", "graphml", "pajek")


def _pajek_ready(graph: nx.Graph) -> nx.Graph:
    """Pajek names a vertex by its label and writes only non-empty text attributes: the labels become the vertex
    names (the key added where two people share one), every attribute text, empty ones left out."""
    import networkx as nx

    labels = [str(d["label"]) for _, d in graph.nodes(data=True)]
    names = {
        node: (str(data["label"]) if labels.count(str(data["label"])) == 1 else f"{data['label']} ({node})")
        for node, data in graph.nodes(data=True)
    }
    ready = nx.Graph()  # an empty attribute is left out: Pajek has no way to write it
    for node, data in graph.nodes(data=True):
        kept = {k: str(v) for k, v in data.items() if k != "label" and str(v)}
        ready.add_node(names[node], **kept, key=str(node))
    for a, b, data in graph.edges(data=True):
        ready.add_edge(names[a], names[b], **{k: (v if k == "weight" else str(v)) for k, v in data.items() if str(v)})
    return ready


def encode(graph: nx.Graph, fmt: str) -> str:
    """The graph as the text of one ``fmt`` file (gexf, graphml or pajek)."""
    import networkx as nx

    lines: Iterator[str]
    if fmt == "gexf":
        lines = nx.generate_gexf(graph)
    elif fmt == "graphml":
        lines = nx.generate_graphml(graph)
    elif fmt == "pajek":
        lines = nx.generate_pajek(_pajek_ready(graph))
    else:
        raise ValueError(f"unknown network format {fmt!r}; one of {', '.join(FORMATS)}")
    return "\n".join(lines) + "\n"
