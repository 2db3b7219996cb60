"""Draw the co-authorship network (analysis.network's nodes and edges) on a matplotlib Axes; writes nothing.

Roster authors sit on a fixed ring, their co-authors are placed around them by a seeded spring layout (the
same picture on every run); each label is written beside its dot, on a white box, clear of the other labels
and dots and across as few lines as it can (render.placement).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from authorstats.render.charts import OTHER_COLOR

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend

    from authorstats.analysis.network import Network
    from authorstats.render.placement import Place

SEED = 14
_SIZES = {"roster": 900.0, "shared": 260.0, "coauthor": 140.0}  # dot areas, points squared
_FONT = {"roster": 11.0, "shared": 7.5, "coauthor": 7.5}


def layout(net: Network) -> dict[str, tuple[float, float]]:
    """Node positions: roster authors on a ring (fixed), everyone else where the springs put them."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in net.nodes)
    graph.add_weighted_edges_from(net.edges)
    roster = [n.id for n in net.nodes if n.kind == "roster"]
    ring = {
        key: (
            math.cos(2 * math.pi * i / len(roster) + math.pi / 2) * 0.55,
            math.sin(2 * math.pi * i / len(roster) + math.pi / 2) * 0.55,
        )
        if len(roster) > 1
        else (0.0, 0.0)
        for i, key in enumerate(roster)
    }
    if not graph.number_of_nodes():
        return {}
    spread = 2.2 / math.sqrt(max(graph.number_of_nodes(), 1))
    placed = nx.spring_layout(
        graph, pos=ring or None, fixed=list(ring) or None, seed=SEED, k=spread, iterations=200, weight=None
    )
    return {str(node): (float(x), float(y)) for node, (x, y) in placed.items()}


def label_places(ax: Axes, net: Network, pos: dict[str, tuple[float, float]]) -> list[Place]:
    """Each node's label place (in ``net.nodes`` order): roster authors' first, then shared co-authors', then
    the rest, each clear of the labels and dots already there and across as few lines as it can."""
    from authorstats.render.placement import Label, place_labels

    rank = {"roster": 0, "shared": 1, "coauthor": 2}
    order = sorted(range(len(net.nodes)), key=lambda i: rank[net.nodes[i].kind])
    labels = [
        Label(
            n.label,
            *pos[n.id],
            radius_pt=math.sqrt(_SIZES[n.kind]) / 2,
            size=_FONT[n.kind],
            bold=n.kind != "coauthor",
        )
        for n in (net.nodes[i] for i in order)
    ]
    lines = [(*pos[a], *pos[b]) for a, b, _ in net.edges]
    places = place_labels(ax, labels, lines)
    out: list[Place] = [places[0]] * len(order) if order else []
    for slot, i in enumerate(order):
        out[i] = places[slot]
    return out


def draw_network(ax: Axes, net: Network, colors: dict[str, str], title: str, source: str = "") -> None:
    """Dots (size: roster author, shared co-author, co-author; colour: main topic), lines as wide as the joint
    papers, a label beside each dot, a topic legend, how many people were left out and, under it all,
    ``source``: where the data comes from. The margins are measured from the title, legend and note, so none of
    them is cut at the picture's edge."""
    from authorstats.render.charts import _PAD, extent, figure_of

    pos = layout(net)
    widest = max((n for _, _, n in net.edges), default=1)
    for a, b, papers in net.edges:
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot(
            [x1, x2],
            [y1, y2],
            color="#9aa5b1",
            linewidth=0.6 + 4.4 * papers / widest,
            alpha=0.7,
            zorder=1,
            solid_capstyle="round",
        )
    ax.set_axis_off()
    fig = figure_of(ax)
    legend = _legend(ax, net, colors)
    ax.set_title(title, fontsize=14, loc="left")
    note = ax.annotate(
        _note(net) + (f"\n{source}" if source else ""),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -4),
        textcoords="offset points",
        fontsize=9,
        va="top",
        color="#555555",
    )
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    width, height = fig.get_size_inches()
    legend_w = legend.get_window_extent(renderer).width / fig.dpi
    note_h = note.get_window_extent(renderer).height / fig.dpi + 4 / 72
    fig.subplots_adjust(
        left=_PAD / width,
        right=1 - (legend_w + _PAD) / width,
        top=1 - (extent(fig, [title], 14)[1] + 0.1 + _PAD) / height,
        bottom=(note_h + _PAD) / height,
    )
    if pos:  # margins all round, and room on the right of the rightmost dots for their labels
        xs, ys = [x for x, _ in pos.values()], [y for _, y in pos.values()]
        ax.set_xlim(min(xs) - 0.12, max(xs) + 0.45)
        ax.set_ylim(min(ys) - 0.1, max(ys) + 0.1)
    if net.nodes:  # one collection for every dot: drawn in node order, as fast as one dot
        ax.scatter(
            [pos[n.id][0] for n in net.nodes],
            [pos[n.id][1] for n in net.nodes],
            s=[_SIZES[n.kind] for n in net.nodes],
            color=[colors.get(n.topic, OTHER_COLOR) for n in net.nodes],
            edgecolors=["#222222" if n.kind != "coauthor" else "white" for n in net.nodes],
            linewidths=[2.0 if n.kind == "shared" else 1.0 for n in net.nodes],
            zorder=3,
        )
    for node, (dx, dy, ha, va) in zip(net.nodes, label_places(ax, net, pos)):
        ax.annotate(
            node.label,
            pos[node.id],
            xytext=(dx, dy),
            textcoords="offset points",
            va=va,
            ha=ha,
            fontsize=_FONT[node.kind],
            fontweight="bold" if node.kind != "coauthor" else "normal",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )


def _legend(ax: Axes, net: Network, colors: dict[str, str]) -> Legend:
    """The legend right of the drawing: each topic's colour, then what a big and an outlined dot mean."""
    from matplotlib.lines import Line2D

    used = sorted({n.topic for n in net.nodes if n.topic})
    handles = [
        Line2D([], [], marker="o", linestyle="", markersize=8, color=colors.get(t, OTHER_COLOR), label=t) for t in used
    ]
    handles += [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=14,
            color="white",
            markeredgecolor="#222222",
            markeredgewidth=1,
            label="roster author\n(colour: main topic of all their papers)",
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=8,
            color="white",
            markeredgecolor="#222222",
            markeredgewidth=2,
            label="co-author of several roster authors",
        ),
    ]
    return ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        fontsize=9,
        frameon=False,
        title="main topic of the joint papers",
        title_fontsize=9,
    )


def _note(net: Network) -> str:
    """What the picture leaves out, and what a line's width means."""
    hidden = []
    if net.hidden_people:
        hidden.append(f"{net.hidden_people} more co-authors")
    if net.hidden_authors:
        hidden.append(f"{net.hidden_authors} more roster authors")
    left_out = f"Not shown: {' and '.join(hidden)} (all in collaborators.csv). " if hidden else ""
    return left_out + "Line width: joint papers."
