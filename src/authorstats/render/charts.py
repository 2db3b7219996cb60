"""matplotlib drawing: takes data and an Axes, returns a figure, writes nothing."""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.figure import Figure
    from matplotlib.image import AxesImage
    from matplotlib.ticker import MaxNLocator

from authorstats.render import measure
from authorstats.render.palette import OTHER_COLOR, text_color, topic_colors  # one colour per topic

__all__ = ["OTHER_COLOR", "topic_colors", "wrapped"]

_extent, wrapped = measure.extent, measure.wrapped  # text sizes, measured once a process


@functools.cache  # once a process
def _drawing_without_a_screen() -> None:
    import matplotlib

    matplotlib.use("Agg")


def matplotlib_ready() -> None:
    """Import matplotlib for drawing without a screen (Agg) and set what every chart is drawn with. Done at the
    first figure rather than at import, so a report that reuses every picture never imports matplotlib.

    Names and titles come from data, so "$x^2$" is drawn as typed and "$\\foo$" does not stop the report inside
    matplotlib's maths parser (read when each Text is made, tick labels at save time included); SVG charts keep
    their text as text (not outlines), so a slide tool can edit a label or a number.
    """
    import matplotlib

    _drawing_without_a_screen()  # Agg: draw to memory only
    if matplotlib.rcParams["text.parse_math"]:
        matplotlib.rcParams["text.parse_math"] = False
    if matplotlib.rcParams["svg.fonttype"] != "none":
        matplotlib.rcParams["svg.fonttype"] = "none"


def new_figure(width_in: float, height_in: float, dpi: int) -> tuple[Figure, Axes]:
    """A figure of exactly width x height inches at ``dpi`` (saved without tight cropping).

    No layout engine: each draw_* function sets its own margins from the sizes of its labels
    (``_place``). matplotlib's constrained layout gave the same pictures but drew every chart twice
    (once to measure, once to render), which was a third of the report's time.

    A plain Figure on an Agg canvas, not pyplot's: nothing keeps it alive once drawn, and a report that draws
    nothing (every picture reused) does not import pyplot.
    """
    matplotlib_ready()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=dpi)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _figure(ax: Axes) -> Figure:
    """The figure ``ax`` is drawn on: always a whole Figure here (new_figure), never a SubFigure."""
    return cast("Figure", ax.figure)


def _renderer(fig: Figure) -> RendererAgg:
    """The figure's renderer, to measure text with: the canvas is Agg's (``new_figure``)."""
    renderer: RendererAgg = cast("FigureCanvasAgg", fig.canvas).get_renderer()
    return renderer


def _place(ax: Axes, left: float, right: float, top: float, bottom: float) -> None:
    """Put the axes ``left``/``right``/``top``/``bottom`` inches in from the figure's edges."""
    fig = _figure(ax)
    width, height = fig.get_size_inches()
    left_f, bottom_f = min(left / width, 0.7), min(bottom / height, 0.7)
    fig.subplots_adjust(
        left=left_f,
        right=max(1 - right / width, left_f + 0.1),
        bottom=bottom_f,
        top=max(1 - top / height, bottom_f + 0.1),
    )


_PAD = 0.12  # inches between the figure edge and the outermost text
_TICKS = 0.1  # inches taken by tick marks and their padding
SUBTITLE_SIZE = 10
SUBTITLE_COLOR = "#444444"  # 9.7:1 against white


def titled(ax: Axes, title: str, subtitle: str = "", size: float = 14) -> None:
    """The chart's title on the left, and under it, smaller, its subtitle (where the data comes from)."""
    if not subtitle:
        ax.set_title(title, fontsize=size, loc="left", y=1.0)  # y given: no search for a free spot
        return
    gap = _extent(_figure(ax), [subtitle], SUBTITLE_SIZE)[1] * 72 + 4  # points
    ax.set_title(title, fontsize=size, loc="left", y=1.0, pad=6 + gap)
    ax.annotate(
        subtitle,
        xy=(0, 1),
        xycoords="axes fraction",
        xytext=(0, 6),
        textcoords="offset points",
        fontsize=SUBTITLE_SIZE,
        color=SUBTITLE_COLOR,
        ha="left",
        va="bottom",
    )


def title_height(fig: Figure, title: str, subtitle: str = "", size: float = 14) -> float:
    """Inches above the axes that ``titled`` needs, padding included."""
    sub = _extent(fig, [subtitle], SUBTITLE_SIZE)[1] + 4 / 72 if subtitle else 0.0
    return _extent(fig, [title], size)[1] + sub + 0.1 + _PAD


# For drawings in other modules (render/comparison.py, render/table_picture.py).
figure_of, extent, place = _figure, _extent, _place


def draw_topic_bars(ax: Axes, table: pd.DataFrame, colors: dict[str, str], title: str, subtitle: str = "") -> None:
    """Horizontal bars of a seminar table (Topic, Count with a leading Total row), largest on top;
    ``subtitle``: where the data comes from."""
    rows = table[table["Topic"] != "Total"].iloc[::-1]
    total = int(table.loc[table["Topic"] == "Total", "Count"].sum())
    bars = ax.barh(rows["Topic"], rows["Count"], color=[colors.get(t, OTHER_COLOR) for t in rows["Topic"]])
    ax.bar_label(bars, padding=3, fontsize=11)
    titled(ax, f"{title} (Total {total})", subtitle)
    ax.set_xlabel("papers", fontsize=11)
    ax.tick_params(axis="y", labelsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.12)
    cast("MaxNLocator", ax.xaxis.get_major_locator()).set_params(integer=True)  # an AutoLocator
    fig = _figure(ax)
    _place(
        ax,
        left=_extent(fig, rows["Topic"], 12)[0] + _TICKS + _PAD,
        right=0.35,
        top=title_height(fig, ax.get_title(loc="left"), subtitle),
        bottom=_extent(fig, ["0123456789"], 10)[1] + _extent(fig, ["papers"], 11)[1] + _TICKS + 0.06 + _PAD,
    )


def figure_bytes(fig: Figure, fmt: str = "png") -> bytes:
    """Render ``fig`` to bytes (PNG or SVG) at its own size and dpi, then close it."""
    buffer = io.BytesIO()
    try:
        if fmt == "png":
            return _png(fig)
        fig.savefig(buffer, format=fmt, dpi=fig.dpi)
    finally:
        close(fig)
    return buffer.getvalue()


def _png(fig: Figure) -> bytes:
    """The figure as matplotlib's savefig renders it, as a PNG with the metadata savefig writes (render.png);
    without the alpha channel when every pixel is opaque (a chart's white background: the same picture, a quarter
    less to compress, about a tenth smaller)."""
    import matplotlib
    import numpy as np

    from authorstats.render import png

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=fig.dpi)  # the pixels savefig(format="png") encodes
    renderer = _renderer(fig)
    pixels = np.frombuffer(raw.getbuffer(), dtype=np.uint8).reshape(int(renderer.height), int(renderer.width), 4)
    if int(pixels[..., 3].min()) == 255:
        pixels = pixels[..., :3]
    software = f"Matplotlib version{matplotlib.__version__}, https://matplotlib.org/"
    return png.encode(pixels, dpi=fig.dpi, text={"Software": software})


def close(fig: Figure) -> None:
    """Let go of a figure's drawing at once (its artists refer to each other: the garbage collector would free
    them only at its next pass)."""
    fig.clear()


HEATMAP_CELL = (0.62, 0.42)  # inches per topic column and per author row: the chart grows a row per author


def draw_heatmap(
    ax: Axes, matrix: pd.DataFrame, names: dict[str, str] | None = None, title: str = "", scale: str = "counts"
) -> AxesImage:
    """Authors (rows) x topics (columns) paper counts as a shaded grid with the count in each cell.

    ``matrix`` is authors x topics (as tables.author_topic_matrix gives) and ``names`` turns author
    keys into display names. ``scale``: "counts" shades by the count, "shares" by the count's share of
    its author's papers (so an author with few papers is not washed out); the cells print the count
    either way. The figure is resized to fit: a fixed cell size (HEATMAP_CELL) and margins measured
    from the labels, so its height grows by one row per author, never its width.
    """
    counts = matrix.to_numpy(dtype=float)
    values = counts
    if scale == "shares":
        totals = counts.sum(axis=1, keepdims=True)
        values = counts / (totals + (totals == 0))  # an author without papers: a row of zeros
    peak = values.max() if values.size else 0.0
    image = ax.imshow(values, cmap="Blues", aspect="auto", vmin=0, vmax=max(peak, 1.0 if scale == "counts" else 1e-9))
    authors = [(names or {}).get(a, a) for a in matrix.index]
    topics = [str(t) for t in matrix.columns]
    ax.set_yticks(range(len(authors)), authors, fontsize=12)
    ax.set_xticks(range(len(topics)), topics, fontsize=11, rotation=45, ha="left", rotation_mode="anchor")
    ax.xaxis.tick_top()
    for (row, col), value in _cells(values):
        dark = peak > 0 and value > 0.6 * peak
        ax.text(
            col,
            row,
            f"{int(counts[row, col])}",
            ha="center",
            va="center",
            fontsize=11,
            color="white" if dark else "black",
        )
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig = _figure(ax)
    cell_w, cell_h = HEATMAP_CELL
    left = _extent(fig, authors, 12)[0] + _TICKS + _PAD
    # Topic names lean up and to the right from their column: the last ones may reach past the grid.
    reach = [_extent(fig, [t], 11, rotation=45) for t in topics]
    right = max([0.2] + [w - (len(topics) - i - 0.5) * cell_w for i, (w, _) in enumerate(reach)]) + _PAD
    title_w, title_h = _extent(fig, [title], 14)
    labels_h = max([0.0] + [h for _, h in reach]) + 0.06
    top = labels_h + 0.1 + title_h + _PAD
    width = max(left + cell_w * len(topics) + right, left + title_w + _PAD)
    grid_h = cell_h * max(1, len(authors))
    fig.set_size_inches(width, top + grid_h + _PAD)
    _place(ax, left=left, right=width - left - cell_w * len(topics), top=top, bottom=_PAD)
    # Above the slanted topic names, placed here rather than by matplotlib's search for a free spot.
    ax.set_title(title, fontsize=14, loc="left", y=1 + labels_h / grid_h, pad=7)
    return image


def _cells(values: np.ndarray) -> Iterator[tuple[tuple[int, int], float]]:
    for row in range(values.shape[0]):
        for col in range(values.shape[1]):
            yield (row, col), values[row, col]


def draw_topics_by_year(
    ax: Axes, by_year: pd.DataFrame, colors: dict[str, str], title: str, subtitle: str = ""
) -> None:
    """Stacked bars: one bar per year, one segment per topic (years x topics count matrix)."""
    by_year = by_year.loc[:, by_year.sum(axis=0) > 0] if not by_year.empty else by_year
    years = [str(y) for y in by_year.index]
    bottom = [0] * len(years)
    for topic in by_year.columns:
        counts = by_year[topic].tolist()
        ax.bar(
            years,
            counts,
            bottom=bottom,
            color=colors.get(topic, OTHER_COLOR),
            label=topic,
            edgecolor="white",
            linewidth=0.8,
            width=0.6,
        )
        bottom = [b + c for b, c in zip(bottom, counts)]
    for x, total in enumerate(bottom):
        ax.text(x, total, f"{int(total)}", ha="center", va="bottom", fontsize=12)
    titled(ax, title, subtitle)
    ax.set_ylabel("papers", fontsize=11)
    ax.tick_params(axis="x", labelsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    cast("MaxNLocator", ax.yaxis.get_major_locator()).set_params(integer=True)  # an AutoLocator
    fig = _figure(ax)
    legend_w = 0.0
    if len(by_year.columns):
        handles, labels = ax.get_legend_handles_labels()
        # Reversed so the legend reads top-down in the same order as the stack.
        legend = ax.legend(
            handles[::-1],
            labels[::-1],
            loc="upper left",
            bbox_to_anchor=(1.01, 1),
            fontsize=10,
            frameon=False,
            ncols=1 if len(labels) <= 14 else 2,
        )
        legend_w = legend.get_window_extent(_renderer(fig)).width / fig.dpi
    widest_tick = str(int(max(bottom, default=0) * 1.1) + 1)
    _place(
        ax,
        left=_extent(fig, ["papers"], 11, rotation=90)[0] + 0.06 + _extent(fig, [widest_tick], 10)[0] + _TICKS + _PAD,
        right=legend_w + 0.15 + _PAD,
        top=title_height(fig, title, subtitle),
        bottom=_extent(fig, years or ["0"], 12)[1] + _TICKS + _PAD,
    )
    _headroom(ax, max(bottom, default=0), _extent(fig, ["0"], 12)[1] + 0.08)


def _headroom(ax: Axes, tallest: float, label_in: float) -> None:
    """The y axis tall enough that a ``label_in`` inch label on the tallest bar stays inside the axes, under the
    title and subtitle rather than on them."""
    fig = _figure(ax)
    axes_in = ax.get_position().height * fig.get_size_inches()[1]
    share = min(label_in / max(axes_in, 1e-6), 0.5)
    ax.set_ylim(0, max(tallest, 1) / (1 - share))


def draw_shares(
    ax: Axes,
    shares: pd.DataFrame,
    colors: dict[str, str],
    names: dict[str, str] | None = None,
    title: str = "",
    subtitle: str = "",
) -> None:
    """One 100% bar per author, split into topic shares (authors x topics matrix of 0..1), side by side."""
    shares = shares.loc[:, shares.sum(axis=0) > 0] if not shares.empty else shares
    labels = [(names or {}).get(a, a) for a in shares.index][::-1]
    left = [0.0] * len(labels)
    for topic in shares.columns:
        values = shares[topic].tolist()[::-1]
        bars = ax.barh(
            labels,
            values,
            left=left,
            color=colors.get(topic, OTHER_COLOR),
            label=topic,
            edgecolor="white",
            linewidth=0.8,
            height=0.6,
        )
        ax.bar_label(
            bars,
            labels=[f"{v:.0%}" if v >= 0.07 else "" for v in values],
            label_type="center",
            fontsize=10,
            color=text_color(colors.get(topic, OTHER_COLOR)),
        )
        left = [a + v for a, v in zip(left, values)]
    ax.set_xlim(0, 1)
    from matplotlib.ticker import PercentFormatter

    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    titled(ax, title, subtitle)
    ax.tick_params(axis="y", labelsize=12)
    ax.spines[["top", "right"]].set_visible(False)
    fig = _figure(ax)
    legend_h = 0.0
    if len(shares.columns):
        legend = fig.legend(loc="lower center", ncols=min(6, len(shares.columns)), fontsize=10, frameon=False)
        legend_h = legend.get_window_extent(_renderer(fig)).height / fig.dpi + 0.1
    _place(
        ax,
        left=_extent(fig, labels, 12)[0] + _TICKS + _PAD,
        right=0.35,
        top=title_height(fig, title, subtitle),
        bottom=legend_h + _extent(fig, ["100%"], 10)[1] + _TICKS + 0.1,
    )


def draw_confusion(ax: Axes, matrix_df: pd.DataFrame) -> Figure:
    """A classifier's confusion matrix (rows: labelled topic, columns: predicted) with counts; returns the figure.

    The diagonal (right answers) is green, mistakes are shaded red by how often they happen.
    """
    from matplotlib.patches import Rectangle

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
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, color="#59a14f", alpha=0.25 + 0.75 * value / peak))
            if value:
                ax.text(j, i, f"{int(value)}", ha="center", va="center", fontsize=9)
    ax.set_xticks(range(len(cols)), cols, rotation=60, ha="right", fontsize=9)
    ax.set_yticks(range(len(rows)), rows, fontsize=9)
    ax.set_xlabel("predicted topic")
    ax.set_ylabel("labelled topic")
    total = values.sum()
    right = sum(values[i, cols.index(n)] for i, n in enumerate(rows) if n in cols)
    ax.set_title(f"Confusion matrix: {int(right)} of {int(total)} right", loc="left", fontsize=12, y=1.0)
    fig = _figure(ax)
    label_h = _extent(fig, ["predicted topic"], 10)[1] + 0.06
    _place(
        ax,
        left=_extent(fig, rows, 9)[0] + label_h + _TICKS + _PAD,
        right=0.25,
        top=_extent(fig, [ax.get_title(loc="left")], 12)[1] + 0.1 + _PAD,
        bottom=_extent(fig, cols, 9, rotation=60)[1] + label_h + _TICKS + _PAD,
    )
    return fig
