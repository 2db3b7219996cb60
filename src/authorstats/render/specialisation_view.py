"""Specialisation (analysis.specialisation) as the report shows it: per author a sentence and the table of their
topics, summary.md's section, and the chart of the differences whose interval excludes 1; values in, views,
Markdown and drawings out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from authorstats.render.charts import _PAD, _TICKS, OTHER_COLOR, _extent, _figure, _place, title_height, titled
from authorstats.render.jobs import Chart, PictureJob

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from authorstats.analysis.report import ReportData

CHART_ROWS = 40  # marked differences drawn at most: the furthest from 1 first


class SpecialisationRow(NamedTuple):
    topic: str
    works: int
    share: str
    baseline_share: str
    activity: str  # the activity index
    interval: str
    marked: str  # "over", "under" or ""


@dataclass
class AuthorSpecialisation:
    key: str
    name: str
    sentence: str
    rows: list[SpecialisationRow]  # the topics the author has works in
    note: str  # why the author is not shown ("" when shown)


def _interval(low: object, high: object) -> str:
    if not isinstance(low, (int, float)) or not isinstance(high, (int, float)) or low != low:
        return ""
    return f"{low:.2f}-{high:.2f}"


def author_views(data: ReportData, only: Sequence[str] | None = None) -> list[AuthorSpecialisation]:
    """Per author (those of ``only``, else all): the sentence of their marked topics and the rows of the topics they
    have works in, or why they are not shown."""
    from authorstats.analysis.specialisation import MIN_WORKS, sentence
    from authorstats.analysis.tables import records_by_author

    spec = data.specialisation
    if spec is None:
        return []
    keep = set(only) if only is not None else None
    by_author = records_by_author(spec.table)
    out = []
    for item in data.authors:
        key = item.author.key
        if keep is not None and key not in keep:
            continue
        if key in spec.too_few:
            note = f"Not shown: {spec.too_few[key]} works in this window, fewer than the {MIN_WORKS} an interval needs."
            out.append(AuthorSpecialisation(key, item.author.name, "", [], note))
            continue
        records = by_author.get(key, [])
        rows = [
            SpecialisationRow(
                str(r["topic"]),
                int(r["works"]),
                f"{r['share']:.0%}",
                f"{r['baseline_share']:.0%}",
                f"{r['activity_index']:.2f}",
                _interval(r["low"], r["high"]),
                str(r["marked"]),
            )
            for r in records
            if int(r["works"])
        ]
        out.append(AuthorSpecialisation(key, item.author.name, sentence(records, item.author.name), rows, ""))
    return out


def lead(data: ReportData) -> str:
    """What the index is, in one paragraph (the page's and summary.md's)."""
    from authorstats.analysis.specialisation import MIN_WORKS, RESAMPLES, SEED

    baseline = data.specialisation.baseline if data.specialisation is not None else "the roster"
    return (
        f"Activity index: a topic's share of the author's works over its share of {baseline}'s works (1 = the same "
        f"mix; 2 = twice as frequent). The 95% interval comes from {RESAMPLES:,} bootstrap draws of the author's "
        f"works (seed {SEED}: the same data gives the same intervals); a topic is marked over- or under-represented "
        f"only when its interval excludes 1. Not shown for authors with fewer than {MIN_WORKS} works; a topic the "
        "author has no work in has index 0 and is never marked (all in specialisation.csv)."
    )


def chart_rows(data: ReportData) -> list[tuple[str, str, float, float, float]]:
    """(label, topic, index, low, high) of each marked difference, the furthest from 1 first (at most CHART_ROWS)."""
    import math

    spec = data.specialisation
    if spec is None:
        return []
    names = {a.author.key: a.author.name for a in data.authors}
    marked = spec.marked()
    rows = [
        (f"{names.get(str(k), str(k))}: {t}", str(t), float(i), float(lo), float(hi))
        for k, t, i, lo, hi in zip(
            marked["author_key"], marked["topic"], marked["activity_index"], marked["low"], marked["high"]
        )
    ]
    return sorted(rows, key=lambda r: -abs(math.log(max(r[2], 1e-3))))[:CHART_ROWS]


def draw_specialisation(
    ax: Axes,
    rows: list[tuple[str, str, float, float, float]],
    colors: dict[str, str],
    baseline: str,
    title: str,
    subtitle: str = "",
) -> None:
    """Each marked difference as its index (a dot) with its 95% interval (a line), on a log scale around 1."""
    shown = rows[::-1]
    labels = [r[0] for r in shown]
    for y, (_, topic, index, low, high) in enumerate(shown):
        color = colors.get(topic, OTHER_COLOR)
        ax.plot([max(low, 0.05), high], [y, y], color=color, linewidth=2.5, solid_capstyle="butt")
        ax.plot([max(index, 0.05)], [y], marker="o", markersize=8, color=color)
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    ax.axvline(1.0, color="#555555", linewidth=1, linestyle="--")
    ax.set_xscale("log")
    top = max([r[4] for r in rows] + [2.0]) * 1.3
    ax.set_xlim(0.05, top)  # an interval reaching 0 runs to the left edge
    ax.xaxis.set_major_locator(FixedLocator([t for t in (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32) if t <= top]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.set_yticks(range(len(labels)), labels)
    ax.set_ylim(-0.7, len(labels) - 0.3)
    titled(ax, title, subtitle)
    ax.set_xlabel(
        f"activity index against {baseline} (1 = its mix) with its 95% interval; only intervals excluding 1 drawn",
        fontsize=11,
    )
    ax.tick_params(axis="y", labelsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig = _figure(ax)
    _place(
        ax,
        left=_extent(fig, labels or ["x"], 11)[0] + _TICKS + _PAD,
        right=0.4,
        top=title_height(fig, title, subtitle),
        bottom=_extent(fig, ["0123456789"], 10)[1] + _extent(fig, ["activity"], 11)[1] + _TICKS + 0.06 + _PAD,
    )


def specialisation_pictures(data: ReportData, *, dpi: int = 150, fmt: str = "png") -> list[PictureJob]:
    """The chart of the marked differences, when there is at least one."""
    from authorstats.render import charts

    rows = chart_rows(data)
    if not rows:
        return []
    label, _, index, low, high = rows[0]
    over = sum(r[2] > 1 for r in rows)
    alt = (
        f"Dot chart of {len(rows)} topics whose 95% interval excludes 1: {over} over-represented, {len(rows) - over} "
        f"under-represented; furthest from 1: {label}, index {index:.2f} ({low:.2f}-{high:.2f})"
    )
    chart = Chart(
        draw_specialisation,
        (
            rows,
            charts.topic_colors(data.taxonomy.names),
            data.specialisation.baseline if data.specialisation else "the roster",
            f"Over- and under-represented topics, {data.window}",
            data.sources_note,
        ),
        (11, 1.6 + 0.36 * len(rows)),
        dpi,
        fmt,
    )
    return [PictureJob("", "specialisation", f"specialisation.{fmt}", alt, chart)]
