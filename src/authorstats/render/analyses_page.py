"""The report page's sections beyond topic counts (co-authors, venues, citations, topic trends) as plain views
for the template ``analyses.html.j2``, built from report data and drawn pictures; pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from authorstats.analysis.report import ReportData
    from authorstats.analysis.trends import AuthorTrend
    from authorstats.render.impact_time_view import AuthorImpactTime
    from authorstats.render.jobs import Picture
    from authorstats.render.specialisation_view import AuthorSpecialisation

TOP_COAUTHORS = 10  # per author, on the page and in summary.md (collaborators.csv has all)


class CoauthorRow(NamedTuple):
    name: str
    papers: int
    topics: str
    years: str


class VenueRow(NamedTuple):
    venue: str
    papers: int
    topics: str


class ImpactRow(NamedTuple):
    topic: str
    papers: int
    with_counts: int
    citations: str
    median: str
    h_index: str
    most_cited: str
    fetched: str
    total: bool  # the author's row over all topics


@dataclass
class AuthorAnalyses:
    key: str
    name: str
    coauthors: list[CoauthorRow]
    coauthors_total: int  # co-authors in collaborators.csv
    coauthor_note: str  # e.g. papers without an author list
    venues: list[VenueRow]
    impact: list[ImpactRow]
    impact_note: str  # "no citation counts in this data ..." when there are none


@dataclass
class Analyses:
    authors: list[AuthorAnalyses]
    network: Picture | None = None
    impact_chart: Picture | None = None
    trends: Picture | None = None
    trend_sentences: list[str] = field(default_factory=list)
    name_merges: int = 0
    top: int = TOP_COAUTHORS  # co-authors shown per author
    impact_time: list[AuthorImpactTime] = field(default_factory=list)  # citations by year, FWCI (issue 28)
    impact_time_chart: Picture | None = None
    specialisation: list[AuthorSpecialisation] = field(default_factory=list)  # activity index (issue 28)
    specialisation_chart: Picture | None = None
    specialisation_lead: str = ""


def _years(first: object, last: object) -> str:
    if first is None or last is None or str(first) in ("<NA>", "nan"):
        return ""
    return str(first) if first == last else f"{first}-{last}"


def _number(value: object, fmt: str = "{:,}") -> str:
    import pandas as pd

    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return fmt.format(value)


def _impact_row(row: Mapping[Any, Any], all_topics: str) -> ImpactRow:
    """One row of impact.csv as the page shows it: numbers with thousands separators, unknowns empty."""
    title = row.get("most_cited")
    most_cited = f"{title} ({_number(row.get('most_cited_citations'))})" if isinstance(title, str) else ""
    fetched = row.get("fetched")
    return ImpactRow(
        str(row["topic"]),
        int(str(row["papers"])),
        int(str(row["papers_with_citations"])),
        _number(row.get("citations")),
        _number(row.get("median_citations")),  # whole or ending in .5
        _number(row.get("h_index")),
        most_cited,
        fetched if isinstance(fetched, str) else "",
        row["topic"] == all_topics,
    )


def no_counts_note(sources: tuple[str, ...]) -> str:
    from authorstats.analysis.impact import COUNTING_SOURCES, NO_COUNTS

    where = f" (the records came from {', '.join(sources)})" if sources else ""
    return f"There are {NO_COUNTS}{where}: citations come from {COUNTING_SOURCES}."


def author_analyses(
    data: ReportData, top: int = TOP_COAUTHORS, only: Sequence[str] | None = None
) -> list[AuthorAnalyses]:
    """Per author (``only`` these, when given): the top co-authors, the venues with their topics, and the citations
    per topic (or why none)."""
    out = []
    # each table's rows per author, found once, and its columns read once (filtering or slicing each table per
    # author was quadratic in the roster, and a DataFrame slice per author cost milliseconds each)
    collaborating: Mapping[Any, Any] = {}
    coauthor_columns: list[list[Any]] = [[] for _ in range(5)]
    if data.collaboration is not None and len(data.collaboration.table):
        table = data.collaboration.table
        collaborating = table.groupby("author_key", sort=False).indices
        coauthor_columns = [table[c].tolist() for c in ("coauthor", "papers", "topics", "first_year", "last_year")]
    venues_of = data.venues_by_author()
    from authorstats.analysis.tables import records_by_author

    cited = records_by_author(data.impact.table) if data.impact is not None else {}
    keep = set(only) if only is not None else None
    for item in data.authors:
        key = item.author.key
        if keep is not None and key not in keep:
            continue
        coauthors: list[CoauthorRow] = []
        total, note = 0, ""
        if data.collaboration is not None:
            mine = collaborating.get(key, [])
            total = len(mine)
            names, papers, topics, first, last = coauthor_columns
            coauthors = [
                CoauthorRow(str(names[i]), int(papers[i]), str(topics[i]), _years(first[i], last[i]))
                for i in mine[:top]
            ]
            missing = data.collaboration.without_authors.get(key, 0)
            if missing:
                note = (
                    f"{missing} of {len(item.papers)} papers have no author list in this data "
                    "and count for no co-author."
                )
        venues = [VenueRow(*v) for v in venues_of.get(key, [])]
        impact: list[ImpactRow] = []
        impact_note = ""
        if data.impact is not None:
            if key in data.impact.without_counts:
                impact_note = no_counts_note(data.impact.without_counts[key])
            else:
                from authorstats.analysis.impact import ALL_TOPICS

                impact = [_impact_row(row, ALL_TOPICS) for row in cited.get(key, [])]
        out.append(AuthorAnalyses(key, item.author.name, coauthors, total, note, venues, impact, impact_note))
    return out


def analyses_view(
    data: ReportData, pictures: Mapping[tuple[str, str], Picture], only: Sequence[str] | None = None
) -> Analyses:
    """Every section beyond topic counts, with the pictures drawn for them; ``only``: the authors whose tables
    and sentences are shown (a large report's page: the overview's authors; the CSV files have all)."""
    from authorstats.render import specialisation_view
    from authorstats.render.impact_time_view import author_views

    merges = len(data.collaboration.merges) if data.collaboration is not None else 0
    keep = set(only) if only is not None else None
    return Analyses(
        author_analyses(data, only=only),
        pictures.get(("", "network")),
        pictures.get(("", "impact")),
        pictures.get(("", "trends")),
        [trend_sentence(t) for t in data.author_trends if keep is None or t.key in keep],
        merges,
        impact_time=author_views(data, only),
        impact_time_chart=pictures.get(("", "impact_time")),
        specialisation=specialisation_view.author_views(data, only),
        specialisation_chart=pictures.get(("", "specialisation")),
        specialisation_lead=specialisation_view.lead(data),
    )


def trend_sentence(trend: AuthorTrend) -> str:
    """One author's top topics and biggest change between the window's first and last year, as a sentence."""
    if not trend.total:
        return f"{trend.name}: no papers in this window."
    tops = [f"{topic} ({papers}, {papers / trend.total:.0%})" for topic, papers in trend.top]
    listed = tops[0] if len(tops) == 1 else ", ".join(tops[:-1]) + " and " + tops[-1]
    text = f"{trend.name}: {trend.total} papers; top topic{'s' if len(tops) > 1 else ''} {listed}."
    change = trend.change
    if change is None:
        return f"{text} No change to report: {trend.no_change}."
    verb = "rose" if change.last_share > change.first_share else "fell"
    return (
        f"{text} Biggest change from {change.first_year} to {change.last_year}: {change.topic} {verb} from "
        f"{change.first_share:.0%} ({change.first_papers} of the year's papers) to {change.last_share:.0%} "
        f"({change.last_papers})."
    )
