"""Impact over time and field-normalised impact (analysis.impact_time) as the report shows them: the page's rows,
summary.md's section and the chart of citations and h-index by year; values in, views, Markdown and drawings out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from authorstats.render.charts import _PAD, _TICKS, _extent, _figure, _place, title_height, titled
from authorstats.render.jobs import Chart, PictureJob
from authorstats.render.markdown import cell, table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from authorstats.analysis.report import ReportData

CHART_AUTHORS = 10  # lines at most: the authors with the most citations in the window's last counted year


class YearRow(NamedTuple):
    year: int
    papers: int
    citations: str
    cumulative: str
    h_index: int


class NormalisedRow(NamedTuple):
    topic: str
    papers: int
    with_fwci: int
    median_fwci: str
    with_percentile: int
    top10: str  # "3 of 5 (60%)"
    total: bool


@dataclass
class AuthorImpactTime:
    key: str
    name: str
    years: list[YearRow]
    years_note: str  # "no per-year counts in this data ..." when there are none
    normalised: list[NormalisedRow]
    normalised_note: str


def _note(what: str, where: tuple[str, ...], sources: str) -> str:
    came = f" (the records came from {', '.join(where)})" if where else ""
    return f"There are {what}{came}: they come from {sources}."


def author_views(data: ReportData, only: Sequence[str] | None = None) -> list[AuthorImpactTime]:
    """Per author (those of ``only``, else all): citations and h-index by year over all topics, and the FWCI and
    top-10% share per topic, or why there are none."""
    from authorstats.analysis import impact_time as it
    from authorstats.analysis.impact import ALL_TOPICS
    from authorstats.analysis.tables import records_by_author

    over = data.impact_over_time
    if over is None:
        return []
    keep = set(only) if only is not None else None
    year_records = records_by_author(over.by_year[over.by_year["topic"] == ALL_TOPICS])
    normalised_records = records_by_author(over.normalised)
    out = []
    for item in data.authors:
        key = item.author.key
        if keep is not None and key not in keep:
            continue
        years = [
            YearRow(
                int(r["year"]),
                int(r["papers_with_counts"]),
                f"{r['citations']:,}",
                f"{r['cumulative_citations']:,}",
                int(r["h_index"]),
            )
            for r in year_records.get(key, [])
        ]
        normalised = [
            NormalisedRow(
                str(r["topic"]),
                int(r["papers"]),
                int(r["papers_with_fwci"]),
                "" if r["median_fwci"] is None or r["median_fwci"] != r["median_fwci"] else f"{r['median_fwci']:.2f}",
                int(r["papers_with_percentile"]),
                f"{r['top10_papers']} of {r['papers_with_percentile']} ({r['top10_share']:.0%})"
                if int(r["papers_with_percentile"])
                else "",
                r["topic"] == ALL_TOPICS,
            )
            for r in normalised_records.get(key, [])
        ]
        years_note = _note(it.NO_YEARS, over.without_years[key], it.YEAR_SOURCES) if key in over.without_years else ""
        normalised_note = (
            _note(it.NO_NORMALISED, over.without_normalised[key], it.NORMALISED_SOURCES)
            if key in over.without_normalised
            else ""
        )
        out.append(AuthorImpactTime(key, item.author.name, years, years_note, normalised, normalised_note))
    return out


def markdown_section(views: Sequence[AuthorImpactTime], window: str) -> str:
    """summary.md's section: per author the years table and the normalised table, or the notes."""
    from authorstats.analysis.impact_time import SELF_CITATIONS

    out = [
        f"## Impact over time, {window}",
        "",
        "Citations the window's works received each year, their running total and the h-index of those works as "
        f"it grew (impact_by_year.csv, per topic too); OpenAlex's FWCI and top-10% share (impact_normalised.csv). "
        f"{SELF_CITATIONS}",
        "",
    ]
    for a in views:
        out += [f"### {cell(a.name)}: impact over time", ""]
        if a.years:
            out += [
                table(
                    ["Year", "Works with counts", "Citations that year", "Citations so far", "h-index"],
                    [(r.year, r.papers, r.citations, r.cumulative, r.h_index) for r in a.years],
                    [False, True, True, True, True],
                ),
                "",
            ]
        else:
            out += [cell(a.years_note), ""]
        if a.normalised:
            out += [
                table(
                    ["Topic", "Works", "With FWCI", "Median FWCI", "In the top 10%"],
                    [(r.topic, r.papers, r.with_fwci, r.median_fwci, r.top10) for r in a.normalised],
                    [False, True, True, True, False],
                ),
                "",
            ]
        else:
            out += [cell(a.normalised_note), ""]
    return "\n".join(out)


def chart_lines(data: ReportData) -> list[tuple[str, list[int], list[int], list[int]]]:
    """(author name, years, citations that year, h-index) of each author with per-year counts, most cited in their
    last year first, at most CHART_AUTHORS."""
    over = data.impact_over_time
    if over is None:
        return []
    lines = []
    for item in data.authors:
        rows = over.author_years(item.author.key)
        if len(rows):
            years = [int(y) for y in rows["year"]]
            lines.append(
                (item.author.name, years, [int(c) for c in rows["citations"]], [int(h) for h in rows["h_index"]])
            )
    return sorted(lines, key=lambda line: -line[2][-1])[:CHART_AUTHORS]


def draw_impact_time(
    ax: Axes, lines: list[tuple[str, list[int], list[int], list[int]]], title: str, subtitle: str = ""
) -> None:
    """Citations received per year, one solid line per author (left axis), and the h-index of the window's works
    as it grew, dashed in the same colour (right axis)."""
    from matplotlib.ticker import MaxNLocator

    twin = ax.twinx()
    for number, (name, years, citations, h) in enumerate(lines):
        color = f"C{number % 10}"
        ax.plot(years, citations, marker="o", linewidth=2, color=color, label=f"{name}: citations")
        twin.plot(years, h, linestyle="--", marker="s", linewidth=1.5, color=color, label=f"{name}: h-index")
    for axis in (ax, twin):
        axis.set_ylim(bottom=0)
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    titled(ax, title, subtitle)
    ax.set_ylabel("citations received that year (solid)", fontsize=11)
    twin.set_ylabel("h-index of the window's works (dashed)", fontsize=11)
    ax.spines[["top"]].set_visible(False)
    twin.spines[["top"]].set_visible(False)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    labels = ax.get_legend_handles_labels()[1] + twin.get_legend_handles_labels()[1]
    ax.legend(handles, labels, loc="upper left", fontsize=9, frameon=False, ncols=2 if len(lines) > 3 else 1)
    fig = _figure(ax)
    label_w = _extent(fig, ["citations"], 11, rotation=90)[0] + 0.06 + _extent(fig, ["10,000"], 10)[0]
    _place(
        ax,
        left=label_w + _TICKS + _PAD,
        right=label_w + _TICKS + _PAD,
        top=title_height(fig, title, subtitle),
        bottom=_extent(fig, ["2021"], 10)[1] + _TICKS + _PAD,
    )
    twin.set_position(ax.get_position())


def impact_time_pictures(data: ReportData, *, dpi: int = 150, fmt: str = "png") -> list[PictureJob]:
    """The chart of citations and h-index by year, when some author has per-year counts."""
    lines = chart_lines(data)
    if not lines:
        return []
    name, years, citations, h = lines[0]
    alt = (
        f"Line chart of citations received per year and the h-index of the window's works, {len(lines)} authors; "
        f"{name}: {citations[-1]:,} citations in {years[-1]}, h-index {h[-1]}"
    )
    from authorstats.analysis.coverage import overview_note

    charted = {line[0] for line in lines}  # the subtitle names the sources of the authors drawn only
    note = overview_note([(a.author.name, a.source_note) for a in data.authors if a.author.name in charted])
    chart = Chart(
        draw_impact_time,
        (lines, f"Citations by year and h-index of the {data.window} works", note),
        (11, 6),
        dpi,
        fmt,
    )
    return [PictureJob("", "impact_time", f"impact_by_year.{fmt}", alt, chart)]
