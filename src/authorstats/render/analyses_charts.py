"""matplotlib drawing of the report's analyses beyond topic counts (citations per topic, topic trends): data and
an Axes in, nothing written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from authorstats.render.charts import (
    _PAD,
    _TICKS,
    OTHER_COLOR,
    _extent,
    _figure,
    _place,
    _renderer,
    title_height,
    titled,
)

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

IMPACT_ROWS = 40  # bars at most: the author-topic pairs with the most citations


def impact_rows(impact: pd.DataFrame, names: dict[str, str]) -> list[tuple[str, str, int, int]]:
    """(label, topic, citations, h-index) of the bars: each author's topics with counts, most cited first."""
    from authorstats.analysis.impact import ALL_TOPICS

    rows = impact[(impact["topic"] != ALL_TOPICS) & impact["citations"].notna()]
    out = [
        (f"{names.get(str(k), str(k))}: {t}", str(t), int(c), int(h))
        for k, t, c, h in zip(rows["author_key"], rows["topic"], rows["citations"], rows["h_index"])
    ]
    return sorted(out, key=lambda r: -r[2])[:IMPACT_ROWS]


def draw_impact(
    ax: Axes, rows: list[tuple[str, str, int, int]], colors: dict[str, str], title: str, subtitle: str = ""
) -> None:
    """Horizontal bars of citations per author and topic (largest on top), each labelled with its h-index."""
    shown = rows[::-1]
    labels = [r[0] for r in shown]
    bars = ax.barh(labels, [r[2] for r in shown], color=[colors.get(r[1], OTHER_COLOR) for r in shown])
    ax.bar_label(bars, labels=[f"{r[2]:,} (h {r[3]})" for r in shown], padding=3, fontsize=10)
    titled(ax, title, subtitle)  # subtitle: where the data comes from
    ax.set_xlabel("citations (h-index of the topic's papers)", fontsize=11)
    ax.tick_params(axis="y", labelsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.18)
    fig = _figure(ax)
    _place(
        ax,
        left=_extent(fig, labels or ["x"], 11)[0] + _TICKS + _PAD,
        right=0.35,
        top=title_height(fig, title, subtitle),
        bottom=_extent(fig, ["0123456789"], 10)[1] + _extent(fig, ["citations"], 11)[1] + _TICKS + 0.06 + _PAD,
    )


def draw_trends(ax: Axes, shares: pd.DataFrame, colors: dict[str, str], title: str, subtitle: str = "") -> None:
    """One line per topic: its share of all the roster's works, by year (years x topics matrix of 0..1)."""
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    years = [int(y) for y in shares.index]
    for topic in shares.columns:
        values = shares[topic].tolist()
        ax.plot(years, values, marker="o", linewidth=2, color=colors.get(str(topic), OTHER_COLOR), label=str(topic))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=None))  # 12.5% is not printed as 12%
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(years) == 1:
        ax.set_xlim(years[0] - 1, years[0] + 1)
    ax.set_ylim(bottom=0)
    titled(ax, title, subtitle)  # subtitle: where the data comes from
    ax.set_ylabel("share of the year's works", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig = _figure(ax)
    legend_w = 0.0
    if len(shares.columns):
        legend = ax.legend(
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=10,
            frameon=False,
            ncols=1 if len(shares.columns) <= 14 else 2,
        )
        legend_w = legend.get_window_extent(_renderer(fig)).width / fig.dpi
    _place(
        ax,
        left=_extent(fig, ["share of the year's works"], 11, rotation=90)[0]
        + 0.06
        + _extent(fig, ["100%"], 10)[0]
        + _TICKS
        + _PAD,
        right=legend_w + 0.15 + _PAD,
        top=title_height(fig, title, subtitle),
        bottom=_extent(fig, ["2021"], 10)[1] + _TICKS + _PAD,
    )
