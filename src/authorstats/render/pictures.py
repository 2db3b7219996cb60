"""The report's pictures as jobs (data in, bytes out): which charts and word clouds a report has, and drawing one.

A job holds the drawing function itself and the data it needs, so it can be drawn here or in another
process (the shell's painter) with the same bytes; nothing here writes a file or starts a process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authorstats.render.jobs import Chart, Cloud, Job, PictureJob

if TYPE_CHECKING:
    from authorstats.analysis.report import ReportData


def paint(job: Job) -> Any:
    """The drawn picture, not encoded yet: a matplotlib figure or a laid-out WordCloud."""
    if isinstance(job, Cloud):
        from authorstats.render import clouds

        band = clouds.caption_band(job.height) if job.caption else 0
        return clouds.make_cloud(job.weights, width=job.width, height=job.height - band)
    from authorstats.render import charts

    fig, ax = charts.new_figure(*job.size, job.dpi)
    try:
        job.draw(ax, *job.args)
    except BaseException:
        charts.close(fig)
        raise
    return fig


def encode(job: Job, painted: Any) -> bytes:
    """The bytes of a picture ``paint`` drew (a figure is closed once encoded)."""
    if isinstance(job, Cloud):
        from authorstats.render import clouds

        return clouds.cloud_png(painted, job.caption, job.height)
    from authorstats.render import charts

    return charts.figure_bytes(painted, job.fmt)


def draw(job: Job) -> bytes:
    """The encoded picture of one job."""
    return encode(job, paint(job))


def heatmap_scale(matrix: Any) -> str:
    """ "shares" when the authors' paper totals differ by more than 2x (the smaller rows would look washed out
    shaded by count), else "counts"."""
    totals = [t for t in matrix.sum(axis=1).tolist() if t > 0]
    return "shares" if totals and max(totals) > 2 * min(totals) else "counts"


AUTHOR_CHARTS = ("all", "top40", "none")  # which authors get their own pictures: report --author-charts


def charted_authors(data: ReportData, which: str = "all") -> list[str]:
    """The keys of the authors whose own pictures (word cloud, topic bars, topics by year) a report draws:
    every author, the overview's authors (the 40 with the most papers), or none."""
    if which not in AUTHOR_CHARTS:
        raise ValueError(f"author charts {which!r} is not one of {', '.join(AUTHOR_CHARTS)}")
    if which == "none":
        return []
    return list(data.overview) if which == "top40" else [a.author.key for a in data.authors]


@dataclass(frozen=True)
class Grouped:
    """How a table counted in a grouping's categories says so: in its file names and its title."""

    suffix: str  # "_seminar": reports/lecun_topics_seminar.png, .csv
    title: str  # ", in the 'seminar' grouping's categories"


def grouped_names(group_by: str) -> Grouped:
    """The file-name suffix and title words of tables counted in ``group_by``'s categories ("" for none)."""
    if not group_by:
        return Grouped("", "")
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", group_by).strip("-") or "grouped"
    return Grouped(f"_{slug}", f", in the {group_by!r} grouping's categories")


def report_pictures(
    data: ReportData,
    *,
    cloud_size: tuple[int, int] = (1600, 800),
    dpi: int = 150,
    fmt: str = "png",
    author_charts: str = "all",
    heatmap: str | None = None,
) -> list[PictureJob]:
    """Every picture of a report, longest to draw first (word clouds, then the overview charts), so that
    workers drawing them side by side finish together. ``author_charts`` (see :func:`charted_authors`)
    says whose own pictures are drawn; the overview charts always are. ``heatmap``: shade the heatmap by
    "counts" or "shares" (None: heatmap_scale decides)."""
    from authorstats.render import charts
    from authorstats.render.table_picture import draw_table, table_size

    window = data.window
    colors = charts.topic_colors(data.taxonomy.names)
    names = {a.author.key: a.author.name for a in data.authors}
    charted = set(charted_authors(data, author_charts))
    out: list[PictureJob] = []
    if data.options.clouds:
        for item in data.authors:
            if item.cloud_weights and item.author.key in charted:
                caption = f"{item.author.name}, {window}: {item.source_note}"
                out.append(
                    PictureJob(
                        item.author.key,
                        "cloud",
                        f"{item.author.key}_wordcloud.png",
                        cloud_alt(item.author.name, item.cloud_weights),
                        Cloud(item.cloud_weights, *cloud_size, caption=caption),
                    )
                )
    from authorstats.render.analyses_pictures import analyses_pictures

    out += analyses_pictures(data, dpi=dpi, fmt=fmt)  # co-authors and citations (the network takes a while)
    matrix, shown = data.matrix, data.overview
    used = matrix.sum(axis=0) > 0
    if data.authors and int(used.sum()):
        note = "" if len(shown) == len(data.authors) else f"\n{overview_note(len(shown), len(data.authors))}"
        grid = matrix.loc[shown, used]
        scale = heatmap or heatmap_scale(grid)
        shading = "; shaded by share of each author's papers" if scale == "shares" else ""
        out.append(
            PictureJob(
                "",
                "heatmap",
                f"topic_heatmap.{fmt}",
                heatmap_alt(grid, names),
                Chart(
                    charts.draw_heatmap,
                    (grid, names, f"Papers per topic, {window}{shading}{note}\n{data.sources_note}", scale),
                    (6, 4),
                    dpi,
                    fmt,
                    sizes_itself=True,
                ),
            )
        )
        rows_h = 0.7 if len(shown) <= 8 else 0.45  # the share bars get thinner, not the chart endless
        out.append(
            PictureJob(
                "",
                "shares",
                f"topic_shares.{fmt}",
                shares_alt(data.shares.loc[shown], names),
                Chart(
                    charts.draw_shares,
                    (
                        data.shares.loc[shown],
                        colors,
                        names,
                        f"Share of each author's papers per topic, {window}{note}",
                        data.sources_note,
                    ),
                    (11, 2.6 + (0.3 if note else 0) + rows_h * len(shown)),
                    dpi,
                    fmt,
                ),
            )
        )
    grouped = grouped_names(data.group_by)
    for item in data.authors:
        key, name = item.author.key, item.author.name
        if key not in charted or not item.provenance.records_in_window:
            continue  # an author with no paper in the window gets no empty charts: the page says "0 papers"
        out.append(
            PictureJob(
                key,
                "bars",
                f"{key}_topics{grouped.suffix}.{fmt}",
                bars_alt(name, item.table, grouped.title),
                Chart(
                    charts.draw_topic_bars,
                    (item.table, colors, f"{name}, {window}{grouped.title}", item.source_note),
                    (8, 5),
                    dpi,
                    fmt,
                ),
            )
        )
        out.append(
            PictureJob(
                key,
                "table",
                f"{key}_table{grouped.suffix}.{fmt}",
                f"Table of {name}'s topics{grouped.title}",
                Chart(
                    draw_table,
                    (item.table, f"{name}, {window}{grouped.title}", item.source_note),
                    table_size(item.table),
                    dpi,
                    fmt,
                ),
            )
        )
        if not item.by_year.empty:
            out.append(
                PictureJob(
                    key,
                    "by_year",
                    f"{key}_by_year{grouped.suffix}.{fmt}",
                    by_year_alt(name, item.by_year),
                    Chart(
                        charts.draw_topics_by_year,
                        (item.by_year, colors, f"{name}: topics by year{grouped.title}", item.source_note),
                        (9, 5),
                        dpi,
                        fmt,
                    ),
                )
            )
    from authorstats.render.comparison import comparison_pictures

    return out + comparison_pictures(data, dpi=dpi, fmt=fmt)


TOP = 5  # topics an alt text names


def _counted(pairs: Any, limit: int = TOP) -> str:
    """ "A 13, B 4 and 2 more" from (label, count) pairs, largest first, zeros left out."""
    kept = [(str(label), int(count)) for label, count in pairs if count]
    kept.sort(key=lambda item: -item[1])
    text = ", ".join(f"{label} {count}" for label, count in kept[:limit])
    return text + (f" and {len(kept) - limit} more" if len(kept) > limit else "") if text else "no papers"


def bars_alt(name: str, table: Any, grouped: str = "") -> str:
    """Alt text of an author's topic bars: the top topics with their paper counts (``grouped``: the grouping)."""
    rows = table[table["Topic"] != "Total"]
    return f"Bar chart of {name}'s papers per topic{grouped}: {_counted(zip(rows['Topic'], rows['Count']))}"


def by_year_alt(name: str, by_year: Any) -> str:
    years = "; ".join(f"{year}: {_counted(row.items(), 3)}" for year, row in by_year.iterrows())
    return f"Stacked bars of {name}'s topics by year. {years}"


def cloud_alt(name: str, weights: dict[str, float]) -> str:
    """Alt text of a word cloud: its ten biggest words, biggest first."""
    biggest = sorted(weights.items(), key=lambda item: (-item[1], item[0]))[:10]
    return f"Word cloud of {name}; the ten biggest words: {', '.join(word for word, _ in biggest)}"


def heatmap_alt(grid: Any, names: dict[str, str]) -> str:
    rows = "; ".join(f"{names.get(key, key)}: {_counted(row.items(), 3)}" for key, row in grid.iterrows())
    return f"Heatmap of papers per author and topic, each author's top topics. {rows}"


def shares_alt(shares: Any, names: dict[str, str]) -> str:
    def top(row: Any) -> str:
        best = sorted(((str(t), float(v)) for t, v in row.items() if v), key=lambda item: -item[1])[:3]
        return ", ".join(f"{topic} {value:.0%}" for topic, value in best)

    rows = "; ".join(f"{names.get(key, key)}: {top(row)}" for key, row in shares.iterrows())
    return f"Share of each author's papers per topic, largest shares. {rows}"


def overview_note(shown: int, total: int) -> str:
    return f"(top {shown} of {total:,} authors; all in topic_counts.csv)"


def shown_width(job: Job, data: bytes) -> int | None:
    """CSS pixels to show a chart at: its size in inches x 96, as on a slide; None for a word cloud.

    A chart that sizes itself (the heatmap) has its width read from the PNG; an SVG carries its own size.
    """
    if isinstance(job, Cloud):
        return None
    if not job.sizes_itself:
        return round(job.size[0] * 96)
    if job.fmt == "png" and data[12:16] == b"IHDR":
        return round(int.from_bytes(data[16:20], "big") / job.dpi * 96)
    return None
