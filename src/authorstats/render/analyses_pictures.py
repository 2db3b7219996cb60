"""The pictures of the report's analyses beyond topic counts, as jobs (render.pictures): the co-authorship
network, the topic trends and the citations per topic, drawn only when there is something to draw."""

from __future__ import annotations

from typing import TYPE_CHECKING

from authorstats.render.jobs import Chart, PictureJob

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.network import Network
    from authorstats.analysis.report import ReportData

NETWORK_SIZE = (16.0, 10.0)  # inches: a slide


def analyses_pictures(data: ReportData, *, dpi: int = 150, fmt: str = "png") -> list[PictureJob]:
    """The network picture (when any author has co-authors), the trends chart (when there are works) and the
    citation chart (when any author has counts)."""
    from authorstats.render import analyses_charts, charts
    from authorstats.render import network as drawing

    colors = charts.topic_colors(data.taxonomy.names)
    names = {a.author.key: a.author.name for a in data.authors}
    out: list[PictureJob] = []
    net = data.network()
    if net is not None:
        out.append(
            PictureJob(
                "",
                "network",
                f"coauthor_network.{fmt}",
                network_alt(net, data.window),
                Chart(
                    drawing.draw_network,
                    (net, colors, f"Co-authors, {data.window}", data.sources_note),
                    NETWORK_SIZE,
                    dpi,
                    fmt,
                ),
            )
        )
    if data.trends is not None and len(data.trends):
        out.append(
            PictureJob(
                "",
                "trends",
                f"topic_trends.{fmt}",
                trends_alt(data.trends),
                Chart(
                    analyses_charts.draw_trends,
                    (
                        data.trends,
                        colors,
                        f"Share of all the roster's works per topic, {data.window}",
                        data.sources_note,
                    ),
                    (11, 6),
                    dpi,
                    fmt,
                ),
            )
        )
    if data.impact is not None:
        rows = analyses_charts.impact_rows(data.impact.table, names)
        if rows:
            top = rows[0]
            out.append(
                PictureJob(
                    "",
                    "impact",
                    f"impact.{fmt}",
                    f"Bar chart of citations per author and topic, {len(rows)} bars; most cited: "
                    f"{top[0]}, {top[2]:,} citations (h-index {top[3]})",
                    Chart(
                        analyses_charts.draw_impact,
                        (rows, colors, f"Citations per topic, {data.window}", data.sources_note),
                        (10, 1.6 + 0.32 * len(rows)),
                        dpi,
                        fmt,
                    ),
                )
            )
    from authorstats.render.impact_time_view import impact_time_pictures
    from authorstats.render.specialisation_view import specialisation_pictures

    return out + impact_time_pictures(data, dpi=dpi, fmt=fmt) + specialisation_pictures(data, dpi=dpi, fmt=fmt)


def network_alt(net: Network, window: object) -> str:
    """What the network shows, in words: how many people, how many shared, and the strongest tie."""
    labels = {n.id: n.label for n in net.nodes}
    roster = sum(n.kind == "roster" for n in net.nodes)
    shared = sum(n.kind == "shared" for n in net.nodes)
    text = (
        f"Co-authorship network, {window}: {roster} roster authors and {len(net.nodes) - roster} of their "
        f"co-authors ({shared} shared by several roster authors)"
    )
    if net.edges:
        a, b, papers = max(net.edges, key=lambda e: (e[2], labels.get(e[0], ""), labels.get(e[1], "")))
        text += f"; strongest tie: {labels.get(a, a)} and {labels.get(b, b)}, {papers} joint papers"
    return text


def trends_alt(trends: pd.DataFrame) -> str:
    """What the trends chart shows, in words: its panels, its years and the largest topic in the last of them."""
    from authorstats.render.analyses_charts import trend_panels

    years = [str(y) for y in trends.index]
    panels = trend_panels(trends)
    last = trends.iloc[-1]
    topic = str(last.idxmax())
    return (
        f"Small multiples, one bar chart per topic ({len(panels)} panels, the largest topics first, the rest "
        f"together in the last): each topic's share of all the roster's works by year, {years[0]} to {years[-1]}; "
        f"largest in {years[-1]}: {topic} at {float(last.max()):.0%}"
    )
