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


TREND_PANELS = 8  # topics with a panel of their own in the trends chart; the rest share the last panel
_LABELLED_YEARS = 6  # up to this many years, each bar carries its share; more, and a line with a y axis


def trend_panels(shares: pd.DataFrame, limit: int = TREND_PANELS) -> list[tuple[str, str, list[float]]]:
    """The trends chart's panels, (title, topic for the colour, share per year): the ``limit`` topics with the
    largest share over the window, largest first, then every other topic together (unclassified papers, Other,
    always among them) in one last panel. Shares of the year's works add up, as each work has one topic."""
    from authorstats.analysis.tables import OTHER

    totals = shares.sum(axis=0)
    ranked = [str(t) for t in totals[totals > 0].sort_values(ascending=False, kind="stable").index if str(t) != OTHER]
    top, rest = ranked[:limit], [str(t) for t in shares.columns if str(t) not in ranked[:limit]]
    panels = [(t, t, [float(v) for v in shares[t]]) for t in top]
    if len(rest) == 1 and rest[0] == OTHER and totals[OTHER] > 0:
        panels.append((f"{OTHER} (no topic matched)", OTHER, [float(v) for v in shares[OTHER]]))
    elif rest and float(totals[rest].sum()) > 0:
        unmatched = ", Other included" if OTHER in rest and totals.get(OTHER, 0) > 0 else ""
        panels.append((f"The other {len(rest)} topics{unmatched}", OTHER, [float(v) for v in shares[rest].sum(axis=1)]))
    return panels


def draw_trends(ax: Axes, shares: pd.DataFrame, colors: dict[str, str], title: str, subtitle: str = "") -> None:
    """Small multiples: one panel per large topic, its share of all the roster's works by year (years x topics
    matrix of 0..1), the other topics together in the last panel; every panel on the same scale."""
    from matplotlib.ticker import PercentFormatter

    from authorstats.render.charts import SUBTITLE_COLOR, SUBTITLE_SIZE

    fig = _figure(ax)
    ax.remove()
    panels = trend_panels(shares)
    years = [str(y) for y in shares.index]
    cols = min(3, max(len(panels), 1))
    rows = max(1, -(-len(panels) // cols))
    width, height = fig.get_size_inches()
    head = title_height(fig, title, subtitle)
    fig.text(_PAD / width, 1 - _PAD / height, title, fontsize=14, va="top")
    if subtitle:
        fig.text(
            _PAD / width,
            1 - (_PAD + _extent(fig, [title], 14)[1] + 0.06) / height,
            subtitle,
            fontsize=SUBTITLE_SIZE,
            color=SUBTITLE_COLOR,
            va="top",
        )
    labelled = len(years) <= _LABELLED_YEARS
    peak = max((max(values) for _, _, values in panels), default=0.0) or 1.0
    year_h = _extent(fig, years or ["2021"], 10)[1]
    panel_title_h = _extent(fig, ["Ag"], 11)[1]
    left = _PAD + (0 if labelled else _extent(fig, ["100%"], 9)[0] + _TICKS)
    bottom = _PAD + year_h + _TICKS
    fig.subplots_adjust(
        left=left / width,
        right=1 - _PAD / width,
        top=1 - (head + panel_title_h + 0.1) / height,
        bottom=bottom / height,
        wspace=0.15 if labelled else 0.3,
        hspace=(year_h + _TICKS + panel_title_h + 0.25) / ((height - head - bottom) / rows),
    )
    for i, (name, topic, values) in enumerate(panels):
        panel = fig.add_subplot(rows, cols, i + 1)
        color = colors.get(topic, OTHER_COLOR)
        if labelled:
            bars = panel.bar(years, values, color=color, width=0.6)
            panel.bar_label(bars, labels=[f"{v:.0%}" for v in values], padding=2, fontsize=10)
            panel.set_yticks([])
            panel.spines[["top", "right", "left"]].set_visible(False)
        else:
            panel.plot(years, values, marker="o", linewidth=2, color=color)
            panel.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            panel.tick_params(axis="y", labelsize=9)
            panel.spines[["top", "right"]].set_visible(False)
            panel.set_xticks(range(len(years)), [y if j % 2 == 0 else "" for j, y in enumerate(years)])
        panel.set_ylim(0, peak * (1.3 if labelled else 1.1))
        panel.tick_params(axis="x", labelsize=10)
        panel.set_title(name, fontsize=11, loc="left", color="#222222", y=1.0, pad=4)
