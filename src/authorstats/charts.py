"""matplotlib drawing: takes data and an Axes, returns a figure, writes nothing."""

from __future__ import annotations

import io
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # no screen: draw to memory only

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Wide enough for the 18 default topics; a user's longer taxonomy cycles through it.
_PALETTE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#bab0ac", "#1f77b4", "#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94",
    "#f7b6d2", "#dbdb8d",
]
OTHER_COLOR = "#c7c7c7"


def topic_colors(topics: Sequence[str]) -> dict[str, str]:
    """One colour per topic, fixed by the topic's position in the taxonomy, grey for Other."""
    colors = {}
    for i, topic in enumerate(t for t in topics if t != "Other"):
        colors[topic] = _PALETTE[i % len(_PALETTE)]
    colors["Other"] = OTHER_COLOR
    return colors


def new_figure(width_in: float, height_in: float, dpi: int):
    """A figure of exactly width x height inches at ``dpi`` (saved without tight cropping)."""
    fig = plt.figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
    return fig, fig.add_subplot()


def draw_topic_bars(ax, table: pd.DataFrame, colors: dict[str, str], title: str) -> None:
    """Horizontal bars of a seminar table (Topic, Count with a leading Total row), largest on top."""
    rows = table[table["Topic"] != "Total"].iloc[::-1]
    total = int(table.loc[table["Topic"] == "Total", "Count"].sum())
    bars = ax.barh(rows["Topic"], rows["Count"], color=[colors.get(t, OTHER_COLOR) for t in rows["Topic"]])
    ax.bar_label(bars, padding=3, fontsize=11)
    ax.set_title(f"{title} (Total {total})", fontsize=14, loc="left")
    ax.set_xlabel("papers", fontsize=11)
    ax.tick_params(axis="y", labelsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    ax.xaxis.get_major_locator().set_params(integer=True)


def figure_bytes(fig, fmt: str = "png") -> bytes:
    """Render ``fig`` to bytes (PNG or SVG) at its own size and dpi, then close it."""
    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format=fmt, dpi=fig.dpi)
    finally:
        plt.close(fig)
    return buffer.getvalue()


def draw_confusion(ax, matrix_df: pd.DataFrame):
    """A classifier's confusion matrix (rows: labelled topic, columns: predicted) with counts; returns the figure.

    The diagonal (right answers) is green, mistakes are shaded red by how often they happen.
    """
    values = matrix_df.to_numpy(dtype=float)
    rows, cols = list(matrix_df.index), list(matrix_df.columns)
    peak = max(values.max(), 1.0) if values.size else 1.0
    shading = values.copy()
    for i, name in enumerate(rows):  # diagonal cells drawn separately, in green
        if name in cols:
            shading[i, cols.index(name)] = 0.0
    import numpy as np

    ax.imshow(np.ma.masked_equal(shading, 0.0), cmap="Reds", vmin=0, vmax=peak, aspect="auto")
    ax.set_facecolor("white")
    for i, name in enumerate(rows):
        for j, predicted in enumerate(cols):
            value = values[i, j]
            if name == predicted:
                ax.add_patch(matplotlib.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, color="#59a14f",
                                                          alpha=0.25 + 0.75 * value / peak))
            if value:
                ax.text(j, i, f"{int(value)}", ha="center", va="center", fontsize=9)
    ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right", fontsize=9)
    ax.set_yticks(range(len(rows)), rows, fontsize=9)
    ax.set_xlabel("predicted topic")
    ax.set_ylabel("labelled topic")
    total = values.sum()
    right = sum(values[i, cols.index(n)] for i, n in enumerate(rows) if n in cols)
    ax.set_title(f"Confusion matrix: {int(right)} of {int(total)} right", loc="left", fontsize=12)
    return ax.figure
