"""summary.md's sections beyond topic counts (co-authors, venues, citations, trends), each its own function;
values in, Markdown out (escaped with render.markdown.cell)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from authorstats.render.markdown import cell, table

if TYPE_CHECKING:
    from authorstats.render.analyses_page import Analyses


def coauthors_section(view: Analyses, window: str) -> str:
    out = [
        f"## Co-authors, {window}",
        "",
        f"Top {view.top} per author by joint papers (all in collaborators.csv); {view.name_merges} name "
        "spelling(s) merged (data/processed/name_merges.csv).",
        "",
    ]
    for a in view.authors:
        out += [f"### {cell(a.name)}: co-authors", ""]
        if a.coauthors:
            out += [
                table(
                    ["Co-author", "Papers", "Topics of the joint papers", "Years"],
                    [(c.name, c.papers, c.topics, c.years) for c in a.coauthors],
                    [False, True, False, False],
                ),
                "",
                f"{len(a.coauthors)} of {a.coauthors_total} co-authors shown.",
                "",
            ]
        else:
            out += ["No co-authors in this data.", ""]
        if a.coauthor_note:
            out += [cell(a.coauthor_note), ""]
    return "\n".join(out)


def venues_section(view: Analyses, window: str) -> str:
    out = [f"## Venues, {window}", ""]
    for a in view.authors:
        out += [f"### {cell(a.name)}: venues", ""]
        out += [
            table(
                ["Venue", "Papers", "Topics"], [(v.venue, v.papers, v.topics) for v in a.venues], [False, True, False]
            )
            if a.venues
            else "No papers in this window.",
            "",
        ]
    return "\n".join(out)


def impact_section(view: Analyses, window: str) -> str:
    out = [f"## Citations per topic, {window}", ""]
    for a in view.authors:
        out += [f"### {cell(a.name)}: citations", ""]
        if a.impact:
            out += [
                table(
                    ["Topic", "Papers", "With counts", "Citations", "Median", "h-index", "Most cited", "Fetched"],
                    [
                        (r.topic, r.papers, r.with_counts, r.citations, r.median, r.h_index, r.most_cited, r.fetched)
                        for r in a.impact
                    ],
                    [False, True, True, True, True, True, False, False],
                ),
                "",
            ]
        else:
            out += [cell(a.impact_note), ""]
    return "\n".join(out)


def trends_section(view: Analyses, window: str) -> str:
    out = [
        f"## Topic trends, {window}",
        "",
        "Each topic's share of all the roster's works by year is the chart "
        "topic_trends.png. Per author, computed from the topic tables:",
        "",
    ]
    out += [part for sentence in view.trend_sentences for part in (cell(sentence), "")]
    return "\n".join(out)


def specialisation_section(view: Analyses, window: str) -> str:
    out = [f"## Specialisation, {window}", "", cell(view.specialisation_lead), ""]
    for a in view.specialisation:
        out += [f"### {cell(a.name)}: specialisation", ""]
        if a.note:
            out += [cell(a.note), ""]
            continue
        out += [
            cell(a.sentence),
            "",
            table(
                ["Topic", "Works", "Share", "Baseline share", "Activity index", "95% interval", "Marked"],
                [(r.topic, r.works, r.share, r.baseline_share, r.activity, r.interval, r.marked) for r in a.rows],
                [False, True, True, True, True, False, False],
            ),
            "",
        ]
    return "\n".join(out)


def sections(view: Analyses, window: str) -> list[str]:
    """Every section of summary.md beyond the topic tables, in page order."""
    from authorstats.render.impact_time_view import markdown_section

    return [
        trends_section(view, window),
        coauthors_section(view, window),
        venues_section(view, window),
        impact_section(view, window),
        markdown_section(view.impact_time, window),
        specialisation_section(view, window),
    ]
