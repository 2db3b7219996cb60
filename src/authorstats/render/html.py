"""Render the one-file HTML report (images embedded as data URIs) from report data; writes nothing.

Every string that comes from data (titles, venues, names, topics, paths) goes through ``html.escape``;
the page carries no script and a Content-Security-Policy that would block one.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from string import Template
from typing import Sequence

import pandas as pd

MIME = {"png": "image/png", "svg": "image/svg+xml"}


@dataclass(frozen=True)
class Picture:
    """An image to embed: its bytes, format (png or svg) and alternative text."""

    data: bytes
    fmt: str
    alt: str
    width: int | None = None  # CSS pixels to show it at (charts: their size in inches x 96)
    link: str | None = None  # not embedded: the file next to index.html to link to instead

    def uri(self) -> str:
        return f"data:{MIME[self.fmt]};base64,{base64.b64encode(self.data).decode('ascii')}"


@dataclass
class AuthorSection:
    key: str
    name: str
    table: pd.DataFrame  # seminar shape: Topic, Count with a leading Total row
    papers: pd.DataFrame  # processed rows of this author: title, year, venue, topic, evidence, manual
    bars: Picture | None = None
    by_year: Picture | None = None
    cloud: Picture | None = None
    cloud_note: str = ""


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


def _template() -> Template:
    text = (resources.files("authorstats") / "data" / "report.html").read_text(encoding="utf-8")
    return Template(text)


def img(picture: Picture | None, caption: str = "") -> str:
    if picture is None:
        return ""
    if picture.link is not None:
        return (f'<p class="note">{escape(caption or picture.alt)}: <a href="{escape(picture.link)}">'
                f"{escape(picture.link)}</a> (a file next to this page, not embedded)</p>")
    cap = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    width = f' width="{int(picture.width)}"' if picture.width else ""
    return f'<figure><img src="{picture.uri()}" alt="{escape(picture.alt)}"{width}>{cap}</figure>'


def seminar_table(table: pd.DataFrame, colors: dict[str, str]) -> str:
    """The seminar's Topic | Count table, Total first, each topic with its chart colour."""
    rows = []
    for topic, count in table.itertuples(index=False):
        if topic == "Total":
            rows.append(f'<tr class="total"><td>Total</td><td class="num">{int(count)}</td></tr>')
        else:
            swatch = f'<span class="swatch" style="background:{escape(colors.get(topic, "#c7c7c7"))}"></span>'
            rows.append(f'<tr><td>{swatch}{escape(str(topic))}</td><td class="num">{int(count)}</td></tr>')
    return ('<table class="seminar"><thead><tr><th>Topic</th><th class="num">Count</th></tr></thead><tbody>'
            + "".join(rows) + "</tbody></table>")


def papers_table(papers: pd.DataFrame) -> str:
    """Every paper of one author with its topic and the words that decided it, in a collapsed block."""
    if papers.empty:
        return ""
    rows = []
    for row in papers.itertuples(index=False):
        topic = escape(_text(row.topic)) + (" <em>(manual)</em>" if truthy(getattr(row, "manual", False)) else "")
        rows.append(
            f"<tr><td class=\"num\">{escape(_text(row.year))}</td><td>{escape(_text(row.title))}</td>"
            f"<td>{escape(_text(row.venue))}</td><td>{topic}</td><td>{escape(_text(row.evidence))}</td></tr>"
        )
    return (f"<details><summary>The {len(papers)} papers, their topic and the evidence for it</summary>"
            '<table class="papers"><thead><tr><th>Year</th><th>Title</th><th>Venue</th><th>Topic</th>'
            "<th>Evidence</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></details>")


def overview_table(matrix: pd.DataFrame, names: dict[str, str]) -> str:
    """Topics (rows) x authors (columns): papers and the share of the author's papers; unused topics left out."""
    matrix = matrix.loc[:, matrix.sum(axis=0) > 0]
    totals = matrix.sum(axis=1)
    head = "".join(f'<th class="num">{escape(names.get(a, str(a)))}</th>' for a in matrix.index)
    body = []
    for topic in matrix.columns:
        cells = "".join(
            f'<td class="num">{int(matrix.at[a, topic])} '
            f'<small>({matrix.at[a, topic] / totals[a] if totals[a] else 0:.0%})</small></td>'
            for a in matrix.index
        )
        body.append(f"<tr><td>{escape(str(topic))}</td>{cells}</tr>")
    total_cells = "".join(f'<td class="num">{int(totals[a])}</td>' for a in matrix.index)
    body.append(f'<tr class="total"><td>Total</td>{total_cells}</tr>')
    return (f"<table><thead><tr><th>Topic</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            "<p class=\"lead\">Papers per topic (share of the author's papers).</p>")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    return str(value)


def truthy(value) -> bool:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return False
    if isinstance(value, str):
        return value.strip().lower() in {"true", "1", "yes"}
    return bool(value)


def _author_html(section: AuthorSection, colors: dict[str, str], window: str) -> str:
    total = int(section.table.loc[section.table["Topic"] == "Total", "Count"].sum())
    parts = [f'<section id="author-{escape(section.key)}"><h2>{escape(section.name)}</h2>',
             f'<p class="lead">{total} papers in {escape(window)}.</p>',
             '<div class="row"><div>', seminar_table(section.table, colors), "</div>",
             img(section.bars, f"Topics of {section.name}, {window}"), "</div>"]
    if section.by_year is not None:
        parts.append(img(section.by_year, f"Topics by year, {section.name}"))
    if section.cloud is not None:
        parts.append(img(section.cloud, section.cloud_note or f"Word cloud of {section.name}'s titles"))
    elif section.cloud_note:
        parts.append(f'<p class="note">{escape(section.cloud_note)}</p>')
    parts.append(papers_table(section.papers))
    parts.append("</section>")
    return "\n".join(p for p in parts if p)


def _methods_html(methods: Methods) -> str:
    rows = "".join(
        f"<tr><td>{escape(r.name)}</td><td>{escape(r.sources)}</td><td>{escape(r.fetched)}</td>"
        f'<td class="num">{r.read}</td><td class="num">{r.merged}</td><td class="num">{r.read - r.merged}</td>'
        f'<td class="num">{r.in_window}</td></tr>'
        for r in methods.rows
    )
    versions = ", ".join(f"{escape(name)} {escape(v)}" for name, v in methods.versions.items())
    notes = "".join(f"<li>{escape(n)}</li>" for n in methods.notes)
    return f"""<section id="methods"><h2>Methods</h2>
<p>Year window: <strong>{escape(methods.window)}</strong>. Each author's records were read from the sources below,
versions of one work (same DOI, arXiv id, or near-equal title) were merged into one, keeping the peer-reviewed
version, and the records in the window were tagged with one topic each by weighted title (and abstract) terms.</p>
<table><thead><tr><th>Author</th><th>Source(s)</th><th>Fetched</th><th class="num">Records read</th>
<th class="num">Merged away</th><th class="num">After merging</th><th class="num">In window</th></tr></thead>
<tbody>{rows}</tbody></table>
<ul>
<li>Taxonomy: <code>{escape(methods.taxonomy_path)}</code></li>
<li>Manual labels applied: {methods.manual_labels} (from <code>{escape(methods.labels_path)}</code>)</li>
<li>Word clouds: {escape(methods.cloud_method)}</li>
<li>Package versions: {versions}</li>
{notes}
</ul></section>"""


def render(page: Page) -> str:
    """The whole report as one HTML document."""
    names = {a.key: a.name for a in page.authors}
    nav = ['<a href="#overview">Overview</a>']
    nav += [f'<a href="#author-{escape(a.key)}">{escape(a.name)}</a>' for a in page.authors]
    nav.append('<a href="#methods">Methods</a>')
    overview = ['<section id="overview"><h2>Overview</h2>']
    if page.overview_note:
        overview.append(f'<p class="note">{escape(page.overview_note)}</p>')
    overview.append('<div class="row">')
    if len(page.authors) > 1:
        overview.append(img(page.heatmap, "Papers per topic and author"))
    overview.append(f"<div>{_overview_table(page)}</div></div>")
    if len(page.authors) > 1:
        overview.append(img(page.shares, "Share of each author's papers per topic"))
    overview.append("</section>")
    body = "\n".join(overview + [_author_html(a, page.colors, page.window) for a in page.authors]
                     + [_methods_html(page.methods)])
    lead = f"Topics of {', '.join(a.name for a in page.authors) or 'no authors'}, {page.window}."
    return _template().substitute(
        title=escape(page.title), lead=escape(lead), nav="".join(nav), body=body,
        version=escape(page.version), generated=escape(page.generated),
    )


def _overview_table(page: Page) -> str:
    if not page.authors:
        return "<p>No authors selected.</p>"
    return overview_table(page.matrix, {a.key: a.name for a in page.authors})


def versions(packages: Sequence[str] = ("authorstats", "pandas", "matplotlib", "wordcloud", "scholarly")
             ) -> dict[str, str]:
    """Installed versions of the packages that shaped the report ("not installed" when missing)."""
    from importlib import metadata

    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found
