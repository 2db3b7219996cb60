"""Render the one-file HTML report (images embedded as data URIs) from report data with a Jinja2 template; writes
nothing.

The template (``data/templates/report.html.j2``) escapes every value it prints, so strings from data (titles,
venues, names, topics, paths) can never become markup; the page carries no script and a Content-Security-Policy
that would block one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from html import escape
from typing import TYPE_CHECKING, NamedTuple

import jinja2
import markupsafe
import pandas as pd

from authorstats.render.jobs import Picture
from authorstats.render.palette import OTHER_COLOR

if TYPE_CHECKING:
    from authorstats.render.analyses_page import Analyses


@dataclass
class AuthorSection:
    key: str
    name: str
    table: pd.DataFrame  # seminar shape: Topic, Count with a leading Total row
    papers: pd.DataFrame  # processed rows of this author: title, year, venue, topic, evidence, manual, link
    bars: Picture | None = None
    by_year: Picture | None = None
    cloud: Picture | None = None
    cloud_note: str = ""
    source_note: str = ""  # where this author's numbers come from (analysis.coverage)
    checking: str = ""  # how many topics are left to check, est. accuracy (config.labels.checking_note)


@dataclass
class MethodsRow:
    name: str
    sources: str
    fetched: str
    read: int
    merged: int
    in_window: int


@dataclass
class Methods:
    window: str
    taxonomy_path: str
    labels_path: str
    manual_labels: int
    rows: list[MethodsRow]
    versions: dict[str, str]
    cloud_method: str
    notes: list[str] = field(default_factory=list)
    labels: str = (
        ""  # what the manual labels did, as the page says it ("2 labels in data/labels.csv matched 4 records")
    )


@dataclass
class Page:
    title: str
    window: str
    generated: str
    version: str
    authors: list[AuthorSection]
    colors: dict[str, str]
    methods: Methods
    matrix: pd.DataFrame  # authors x topics paper counts
    heatmap: Picture | None = None
    shares: Picture | None = None
    overview_note: str = ""  # when the overview charts leave authors out, which and where the rest are
    author_folder: str = ""  # set: the authors' sections are pages in this folder, the page lists links to them
    analyses: Analyses | None = (
        None  # co-authors, venues, citations, trends (render/analyses_page.py, analyses.html.j2)
    )
    warnings: list[str] = field(default_factory=list)  # shown at the top (e.g. a window the snapshot does not cover)
    comparison: object | None = None  # render.comparison.View: the side-by-side with a reference table


@dataclass
class AuthorPage:
    """One author's own page (a report with many authors): their section, and the link back to the overview."""

    title: str
    window: str
    generated: str
    version: str
    author: AuthorSection
    colors: dict[str, str]
    home: str  # the overview page, relative to this one


class _TopicRow(NamedTuple):
    topic: str
    papers: int  # not `count`, which would shadow tuple.count
    color: str  # the topic's chart colour ("" on the Total row)
    total: bool


class _PaperRow(NamedTuple):
    year: str
    title: str
    venue: str
    topic: str
    evidence: str
    manual: bool
    link: str  # the title's http(s) link ("" for none; render.page.paper_link makes it)
    confidence: str = ""  # the calibrated chance that the topic is right, two decimals ("" when unknown)


class _AuthorView(NamedTuple):
    section: AuthorSection
    total: int
    table: list[_TopicRow]
    papers: list[_PaperRow]


class _Overview(NamedTuple):
    names: list[str]  # column heads, one per author
    rows: list[tuple[str, list[tuple[int, str]]]]  # topic, then (papers, share of the author's papers) per author
    totals: list[int]


def _escape_output(value: object) -> object:
    """Escape every value the template prints, as ``html.escape`` does (quotes as &quot; and &#x27;).

    Jinja2's own autoescape (markupsafe) would write &#34; and &#39;; escaping here first keeps the page's bytes.
    Values that are already markup (the output of the template's own macros) pass through unchanged.
    """
    if hasattr(value, "__html__"):
        return value
    return markupsafe.Markup(escape(str(value)))


def code_spans(text: object) -> markupsafe.Markup:
    """``text`` escaped, with Markdown's `code` spans (shared with summary.md) shown as <code> rather than backticks."""
    parts = escape(str(text)).split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick is shown as it is
        return markupsafe.Markup(escape(str(text)))
    return markupsafe.Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


@cache
def _environment(compiled: jinja2.BytecodeCache | None = None) -> jinja2.Environment:
    """The page templates' environment; ``compiled``: where compiled templates are kept between runs (the shell's)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("authorstats", "data/templates"),
        bytecode_cache=compiled,
        autoescape=True,
        finalize=_escape_output,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["code_spans"] = code_spans
    return environment


def _topic_rows(table: pd.DataFrame, colors: dict[str, str]) -> list[_TopicRow]:
    """The seminar's Topic | Count table, Total first, each topic with its chart colour."""
    return [
        _TopicRow(str(topic), int(count), "" if topic == "Total" else colors.get(topic, OTHER_COLOR), topic == "Total")
        for topic, count in table.itertuples(index=False)
    ]


def _paper_rows(papers: pd.DataFrame) -> list[_PaperRow]:
    """Every paper of one author with its topic and the words that decided it."""
    return [
        _PaperRow(
            _text(row.year),
            _text(row.title),
            _text(row.venue),
            _text(row.topic),
            _text(row.evidence),
            truthy(getattr(row, "manual", False)),
            _text(getattr(row, "link", "")),
            _confidence(getattr(row, "confidence", None)),
        )
        for row in papers.itertuples(index=False)
    ]


def _confidence(value: object) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    return "" if number != number else f"{number:.2f}"


def _overview(matrix: pd.DataFrame, names: dict[str, str]) -> _Overview:
    """Topics (rows) x authors (columns): papers and the share of the author's papers; unused topics left out."""
    matrix = matrix.loc[:, matrix.sum(axis=0) > 0]
    totals = dict(matrix.sum(axis=1).items())  # author -> papers
    rows = [
        (
            str(topic),
            [(int(papers), f"{papers / totals[a] if totals[a] else 0:.0%}") for a, papers in matrix[topic].items()],
        )
        for topic in matrix.columns
    ]
    return _Overview([names.get(a, str(a)) for a in matrix.index], rows, [int(totals[a]) for a in matrix.index])


def _author_view(section: AuthorSection, colors: dict[str, str]) -> _AuthorView:
    total = _papers_total(section)
    return _AuthorView(section, total, _topic_rows(section.table, colors), _paper_rows(section.papers))


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def truthy(value: object) -> bool:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


def _papers_total(section: AuthorSection) -> int:
    return int(section.table.loc[section.table["Topic"] == "Total", "Count"].sum())


def render(page: Page, compiled: jinja2.BytecodeCache | None = None) -> str:
    """The whole report as one HTML document; with ``page.author_folder``, the overview and a list of links
    to the authors' own pages (:func:`render_author`) instead of every author's section. ``compiled``: where the
    templates compiled by an earlier run are kept (the same document either way)."""
    overview = _overview(page.matrix, {a.key: a.name for a in page.authors}) if page.authors else None
    if page.author_folder:
        listed = [(a, _papers_total(a)) for a in page.authors]
        return (
            _environment(compiled)
            .get_template("report.html.j2")
            .render(page=page, overview=overview, authors=[], listed=listed)
        )
    return (
        _environment(compiled)
        .get_template("report.html.j2")
        .render(page=page, overview=overview, authors=[_author_view(a, page.colors) for a in page.authors], listed=[])
    )


def render_author(page: AuthorPage, compiled: jinja2.BytecodeCache | None = None) -> str:
    """One author's page, with the head, Content-Security-Policy and escaping of the main page."""
    return (
        _environment(compiled)
        .get_template("author_page.html.j2")
        .render(page=page, view=_author_view(page.author, page.colors))
    )
