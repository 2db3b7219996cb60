"""The report's data model and compute_report: publication records in, every table, cloud weight and count out; writes
nothing."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authorstats.analysis.selection import Provenance as Provenance  # where report's callers find it
from authorstats.analysis.selection import Selection, classify_records, select_records, sources_of
from authorstats.models import Author, Publication, YearWindow
from authorstats.source_names import SNAPSHOT, SNAPSHOT_DESCRIPTION
from authorstats.text import clean_control, in_note

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.collaborators import Collaboration
    from authorstats.analysis.impact import Impact
    from authorstats.analysis.impact_time import ImpactOverTime
    from authorstats.analysis.merge import Merge
    from authorstats.analysis.network import Network
    from authorstats.analysis.reference import Comparison
    from authorstats.analysis.specialisation import Specialisation
    from authorstats.analysis.trends import AuthorTrend
    from authorstats.config.reference import Reference
    from authorstats.config.taxonomy import Taxonomy
    from authorstats.config.venues import VenueAliases

log = logging.getLogger(__name__)

# data/processed/publications.csv: one row per record, in this order.
PROCESSED_COLUMNS = [
    "author",
    "year",
    "title",
    "topic",
    "score",
    "confidence",
    "evidence",
    "topics",
    "manual",
    "venue",
    "authors",
    "citations",
    "doi",
    "source",
    "source_id",
    "fetched_at",
]
# The papers listed in each author's section of the page.
PAPER_COLUMNS = ["year", "title", "venue", "topic", "confidence", "evidence", "manual"]

# The heatmap and share charts compare at most this many authors (those with the most papers), and
# index.html embeds the charts of those authors only: beyond it, a chart would be too big to read
# (and to draw) and the page too big to open; every author keeps a section and the files.
OVERVIEW_AUTHORS = 40


@dataclass(frozen=True)
class ReportOptions:
    """What compute_report computes beyond the tables: the word-cloud weights, and the overview's cap."""

    clouds: bool = True
    cloud_from: str = "titles"  # titles or abstracts
    distinctive: bool = False  # weights of the words over-represented for an author against the others
    # Words left out of the clouds (shell.config_files.load_stopwords reads a list); None: none are left out.
    # authorstats.compute_report, the library's entry, fills in the bundled list when this is None.
    stopwords: frozenset[str] | None = None
    overview_authors: int | None = None  # None: OVERVIEW_AUTHORS
    # How venue strings are named (config.venues); None: none is aliased, each is only cleaned.
    # authorstats.compute_report, the library's entry, fills in the bundled aliases when this is None.
    venues: VenueAliases | None = None
    # The year a merged work counts in when its versions' years differ: "first" (its earliest public
    # version's) or "published" (the kept version's, the peer-reviewed one when there is one).
    year_basis: str = "first"
    # Specialisation's comparison set, {topic: works} (report --baseline); None: the roster. Its name in the text.
    baseline: Mapping[str, int] | None = None
    baseline_name: str = ""


@dataclass
class AuthorData:
    """One author's part of a report."""

    author: Author
    provenance: Provenance
    table: pd.DataFrame  # the seminar's shape: Topic, Count; Total first (reports/<key>_topics.csv)
    by_year: pd.DataFrame  # years x topics paper counts
    papers: pd.DataFrame  # this author's classified records (all columns), sorted by year and title
    cloud_weights: dict[str, float] = field(default_factory=dict)  # word -> weight; empty: nothing to draw
    cloud_caption: str = ""
    fetched: str = "not recorded"  # the dates the records were fetched, for the methods section

    @property
    def main_topic(self) -> str:
        """The topic (or category) with the most papers: the first row of the table after Total ("" for none)."""
        rows = self.table[self.table["Topic"] != "Total"]
        return str(rows["Topic"].iloc[0]) if len(rows) else ""

    @property
    def checking(self) -> str:
        """How many topics are left to check, and the estimated accuracy (config.labels.papers_checking)."""
        from authorstats.config.labels import papers_checking

        return papers_checking(self.papers)

    @property
    def source_note(self) -> str:
        """Where this author's numbers come from and how complete they are, as every output states it."""
        from authorstats.analysis.coverage import source_note

        return source_note(self.provenance.sources, self.provenance.records_in_window, self.fetched)


@dataclass
class ReportData:
    """Everything a report shows, as values: saving it (files, pictures, pages) is the shell's job."""

    window: YearWindow
    taxonomy: Taxonomy
    options: ReportOptions
    authors: list[AuthorData]
    publications: pd.DataFrame  # every classified in-window record, sorted by author (A-Z), year and title
    merges: list[Merge]
    topic_counts: pd.DataFrame  # long table: author, topic, count (reports/topic_counts.csv)
    matrix: pd.DataFrame  # authors x topics paper counts, zeros kept
    shares: pd.DataFrame  # the same, each row divided by the author's papers
    overview: list[str]  # the authors the overview charts compare (all, up to the cap)
    # Beyond topic counts (issue 14): co-authors, venues and citations per author and topic.
    collaboration: Collaboration | None = None  # reports/collaborators.csv, data/processed/name_merges.csv
    venues: pd.DataFrame | None = None  # reports/venues.csv: author_key, venue, topic, papers
    impact: Impact | None = None  # reports/impact.csv, and the authors whose records have no counts
    trends: pd.DataFrame | None = None  # years x topics: each topic's share of all the roster's works (once each)
    author_trends: list[AuthorTrend] = field(default_factory=list)  # top topics and biggest change, per author
    labels_matched: int = 0  # how many manual labels matched a record in the window
    comparison: Comparison | None = None  # the side-by-side with a reference table (report --reference)
    group_by: str = ""  # the taxonomy's grouping the tables count in (report --group-by); "": its topics
    # citations by year, h-index as it grew, FWCI and percentiles (issue 28): impact_by_year.csv, impact_normalised.csv
    impact_over_time: ImpactOverTime | None = None
    specialisation: Specialisation | None = None  # activity index per author and topic, with intervals (issue 28)

    def author(self, key: str) -> AuthorData:
        for item in self.authors:
            if item.author.key == key:
                return item
        raise KeyError(f"no author {key!r} in this report; it has {', '.join(a.author.key for a in self.authors)}")

    def table(self, key: str) -> pd.DataFrame:
        """One author's seminar table (Topic, Count; Total first), as in reports/<key>_topics.csv."""
        return self.author(key).table.copy()

    def processed(self) -> pd.DataFrame:
        """data/processed/publications.csv's table (grouped: ``topic`` is the category, ``taxonomy_topic`` the
        topic)."""
        return self.publications.reindex(columns=PROCESSED_COLUMNS + (["taxonomy_topic"] if self.group_by else []))

    def duplicates(self) -> pd.DataFrame:
        """data/processed/duplicates.csv's table: one row per version merged into another."""
        import pandas as pd

        from authorstats.analysis.merge import MERGE_COLUMNS

        return pd.DataFrame([m.to_row() for m in self.merges], columns=list(MERGE_COLUMNS))

    def network(self) -> Network | None:
        """The co-authorship network of the roster (analysis.network), each author coloured by their main topic;
        None when no author has a co-author."""
        from authorstats.analysis.network import network

        if self.collaboration is None or not len(self.collaboration.table):
            return None
        main = {a.author.key: a.main_topic for a in self.authors if a.main_topic}
        return network(self.collaboration, [a.author for a in self.authors], main)

    def venues_by_author(self) -> dict[str, list[tuple[str, int, str]]]:
        """Each author's venues, most papers first: key -> (venue, papers, "topic (papers); ...")."""
        from authorstats.analysis.venues import venue_totals

        return venue_totals(self.venues) if self.venues is not None else {}

    @property
    def used_snapshot(self) -> bool:
        return any(SNAPSHOT in a.provenance.sources for a in self.authors)

    @property
    def snapshot_gap(self) -> str:
        """The warning when the window reaches outside the years the snapshot covers ("" when it does not)."""
        from authorstats.analysis.coverage import snapshot_gap

        return snapshot_gap(self.window, [a.author.key for a in self.authors if SNAPSHOT in a.provenance.sources])

    @property
    def sources_note(self) -> str:
        """The data's source for the charts comparing authors."""
        from authorstats.analysis.coverage import overview_note

        return overview_note([(a.author.name, a.source_note) for a in self.authors])

    @property
    def notes(self) -> list[str]:
        """Notes under the tables (summary.md) and in the methods section."""
        notes = [f"Authors without fetched data used {SNAPSHOT_DESCRIPTION}."] if self.used_snapshot else []
        if self.merges:
            notes.append(
                "A merged work counts in "
                + (
                    "its earliest public version's year (`--year-basis first`)"
                    if self.options.year_basis == "first"
                    else "the year of the version kept, the peer-reviewed one when there is one "
                    "(`--year-basis published`)"
                )
                + "; data/processed/duplicates.csv gives each version's year and the year counted."
            )
        if self.group_by:
            notes.append(
                f"Tables count each paper under its topic's category in the taxonomy's {in_note(self.group_by)!r} "
                "grouping (`--group-by`); the paper list and publications.csv's taxonomy_topic keep the topic."
            )
        gap = self.snapshot_gap
        capped = self.merge_cap
        return notes + ([f"Warning: {gap}."] if gap else []) + ([f"Warning: {capped}."] if capped else [])

    @property
    def merge_cap(self) -> str:
        """The warning when merging compared some records only in part, beyond its cap ("" when it did not)."""
        from authorstats.analysis.blocking import CAP

        capped = [(a.author.key, a.provenance) for a in self.authors if a.provenance.records_capped]
        if not capped:
            return ""
        named = ", ".join(f"{p.records_capped:,} of {key}'s {p.records_read:,} records" for key, p in capped[:5])
        more = f" (and records of {len(capped) - 5} more authors)" if len(capped) > 5 else ""
        return (
            f"merging compared {named}{more} with only some of the records whose titles are nearly the same: "
            f"it compares a title with at most {CAP} others, and through one piece of title at most {CAP} titles, "
            "so versions of one work among them may be counted separately (docs/scale.md, Merging many records)"
        )

    @property
    def manual_labels(self) -> int:
        """Records whose topic a manual label set."""
        return int(self.publications["manual"].astype(bool).sum()) if "manual" in self.publications else 0


def compute_report(
    records: Iterable[Publication],
    *,
    roster: Sequence[Author],
    taxonomy: Taxonomy,
    years: str | YearWindow,
    labels: Mapping[str, str] | None = None,
    options: ReportOptions = ReportOptions(),
    sources: Mapping[str, Sequence[str]] | None = None,
    progress: Callable[[int], None] | None = None,
    reference: Reference | None = None,
    group_by: str | None = None,
) -> ReportData:
    """The report of ``roster``'s authors in ``years`` from ``records``: pure, values in and values out.

    Versions of one work are merged (the peer-reviewed one kept), records outside the window dropped,
    the rest classified with ``taxonomy``; ``labels`` ({source id or normalised title: topic}, as the
    shell reads data/labels.csv) override the classifier. Records of authors not in ``roster`` are
    ignored. ``sources`` names where each author's records came from (default: their ``source``
    fields). ``reference``: a reference table (config.reference) to set each author's table beside.
    ``group_by``: one of the taxonomy's groupings; every table then counts each paper under its topic's
    category (the papers keep their topic as ``taxonomy_topic``).
    Reads no file, writes nothing and starts no process: the stop words come in
    ``options.stopwords`` (None: no word is left out of the clouds). ``progress``, if given, is called
    with the number of records merged after each author (for a progress bar).
    """
    window = years if isinstance(years, YearWindow) else YearWindow.parse(years)
    selection = select_records(records, roster, window, sources, options.year_basis, progress)
    from authorstats.config.labels import matched_labels

    frame = classify_records(selection.records, taxonomy, labels or {})
    selection = dataclasses.replace(selection, records=[])  # the frame holds them now: the records can go
    counted = taxonomy
    if group_by:
        grouping = taxonomy.grouping(group_by)
        frame = frame.assign(taxonomy_topic=frame["topic"], topic=frame["topic"].map(grouping.mapping))
        counted = dataclasses.replace(taxonomy, names=grouping.names)  # the tables' columns: the categories
    data = tabulate(frame, selection, roster, window, counted, options)
    from authorstats.analysis.impact_time import impact_over_time

    data.impact_over_time = impact_over_time(frame, [a.key for a in roster], sources_of(selection))
    from authorstats.analysis.specialisation import specialisation

    data.specialisation = specialisation(data.matrix, baseline=options.baseline, baseline_name=options.baseline_name)
    data.labels_matched = matched_labels(data.publications, labels or {})
    data.group_by = group_by or ""
    if data.snapshot_gap:
        log.warning(data.snapshot_gap)
    if data.merge_cap:
        log.warning(data.merge_cap)
    if reference is not None:
        from authorstats.analysis.reference import compare

        data.comparison = compare(data.authors, reference, taxonomy)
    return data


def tabulate(
    frame: pd.DataFrame,
    selection: Selection,
    authors: Sequence[Author],
    window: YearWindow,
    taxonomy: Taxonomy,
    options: ReportOptions = ReportOptions(),
) -> ReportData:
    """Every table of the report from the classified records, and the word-cloud weights."""
    from authorstats.analysis import tables

    rows_of = frame.groupby("author", sort=False).indices  # author -> row positions, in frame order

    def rows(key: str) -> pd.DataFrame:
        found = rows_of.get(key, [])
        if len(found) and found[-1] - found[0] + 1 == len(found):  # one run of rows (the frame is sorted by author):
            return frame.iloc[found[0] : found[-1] + 1]  # a slice shares the frame's columns, not a copy of them
        return frame.iloc[found]

    keys = [a.key for a in authors]
    matrix = tables.author_topic_matrix(frame, keys, taxonomy.names)
    from authorstats.analysis.cloud_weights import cloud_phrases, cloud_weights

    clouds = (
        cloud_weights(
            rows,
            authors,
            stopwords=options.stopwords,
            cloud_from=options.cloud_from,
            distinctive=options.distinctive,
            phrases=cloud_phrases(taxonomy),
        )
        if options.clouds
        else {}
    )
    items = []
    for author in authors:
        mine = rows(author.key)
        weights, caption = clouds.get(author.key, ({}, ""))
        shown = author if author.name.isprintable() else dataclasses.replace(author, name=clean_control(author.name))
        items.append(
            AuthorData(
                shown,
                selection.provenance[author.key],
                tables.topic_table(mine),
                tables.topics_by_year(mine, taxonomy.names),
                mine,
                weights,
                caption,
                _fetched(mine),
            )
        )
    limit = OVERVIEW_AUTHORS if options.overview_authors is None else options.overview_authors
    return ReportData(
        window,
        taxonomy,
        options,
        items,
        frame,
        selection.merges,
        tables.topic_counts(frame, keys),
        matrix,
        tables.topic_shares(matrix),
        overview_authors(matrix, limit),
        *beyond_topics(frame, selection, authors, options),
        *trends(frame, items, window, taxonomy),
    )


def trends(
    frame: pd.DataFrame, items: Sequence[AuthorData], window: YearWindow, taxonomy: Taxonomy
) -> tuple[pd.DataFrame, list[AuthorTrend]]:
    """Each topic's share of the roster's works by year, and each author's top topics and biggest change."""
    from authorstats.analysis.trends import author_trend, topic_trends

    return (
        topic_trends(frame, taxonomy.names, window),
        [author_trend(a.author.key, a.author.name, a.table, a.by_year, window) for a in items],
    )


def beyond_topics(
    frame: pd.DataFrame, selection: Selection, authors: Sequence[Author], options: ReportOptions
) -> tuple[Collaboration, pd.DataFrame, Impact]:
    """The co-authors, the venue x topic table and the citations of the classified records ``frame``."""
    from authorstats.analysis.collaborators import collaborators
    from authorstats.analysis.impact import impact
    from authorstats.analysis.venues import venue_table

    keys = [a.key for a in authors]
    sources = {key: selection.provenance[key].sources for key in keys if key in selection.provenance}
    return (collaborators(frame, authors), venue_table(frame, keys, options.venues), impact(frame, keys, sources))


def overview_authors(matrix: pd.DataFrame, limit: int) -> list[str]:
    """The authors the overview charts show: all of them up to ``limit``, else the ``limit`` with the most
    papers (ties in roster order), kept in roster order."""
    keys = list(matrix.index)
    if len(keys) <= limit:
        return keys
    totals = matrix.sum(axis=1)
    order = sorted(range(len(keys)), key=lambda i: (-int(totals.iloc[i]), i))
    top = set(order[:limit])
    return [k for i, k in enumerate(keys) if i in top]


def _fetched(mine: pd.DataFrame) -> str:
    stamps = sorted(str(t)[:10] for t in mine["fetched_at"] if isinstance(t, str) and t.strip())
    if not stamps:
        return "not recorded"
    return stamps[0] if stamps[0] == stamps[-1] else f"{stamps[0]} to {stamps[-1]}"
