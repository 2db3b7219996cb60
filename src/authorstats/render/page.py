"""Build the HTML report's Page from computed report data, drawn pictures and the facts only the shell knows (time,
versions, file names); pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from authorstats.identifiers import normalise_doi
from authorstats.render import html
from authorstats.render.jobs import Picture, PictureJob, lossless_webp
from authorstats.render.pictures import overview_note, shown_width

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.report import ReportData

TITLE = "authorstats report"
BUNDLED_STOPWORDS = "the bundled list"

# A picture of the page: (author key, part), the key "" for the overview charts (heatmap, shares).
PictureKey = tuple[str, str]
WEB_SCHEMES = ("http", "https")  # the only links the page makes


def paper_link(url: object = "", doi: object = "", arxiv_id: object = "") -> str:
    """Where a paper's title links to: the page its source gave (``url``), else ``https://doi.org/<doi>``, else
    ``https://arxiv.org/abs/<arXiv id>``; "" when none is known.

    Only an http(s) link with a host is made: a ``javascript:``, ``data:`` or relative link, or one holding
    spaces or control characters, is passed over (the template escapes whatever it prints).
    """
    doi_text, arxiv_text = _text(doi), _text(arxiv_id)
    for link in (
        _text(url),
        "https://doi.org/" + quote(normalise_doi(doi_text), safe="/:;()") if doi_text else "",
        "https://arxiv.org/abs/" + quote(arxiv_text, safe="/") if arxiv_text else "",
    ):
        if link and is_web_link(link):
            return link
    return ""


def is_web_link(link: str) -> bool:
    """True for an absolute http(s) URL with a host and no whitespace or control character."""
    if any(ch.isspace() or not ch.isprintable() for ch in link):
        return False
    try:
        parts = urlsplit(link)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _paper_list(papers: pd.DataFrame) -> pd.DataFrame:
    """An author's papers as the page lists them: PAPER_COLUMNS and the ``link`` of each title."""
    from authorstats.analysis.report import PAPER_COLUMNS

    shown = papers.reindex(columns=PAPER_COLUMNS)
    columns = [papers[name] if name in papers else [""] * len(papers) for name in ("url", "doi", "arxiv_id")]
    shown["link"] = [paper_link(*values) for values in zip(*columns)]
    if "taxonomy_topic" in papers:  # grouped (report --group-by): the category, and the topic it came from
        shown["topic"] = [
            category if topic == category else f"{category} ({topic})"
            for category, topic in zip(papers["topic"], papers["taxonomy_topic"])
        ]
    return shown


AUTHOR_FOLDER = "authors"  # a large report's per-author pages: reports/authors/<key>.html
AUTHOR_PAGES_OVER = 40  # more authors than this: one page each, and index.html keeps the overview


def has_author_pages(data: ReportData) -> bool:
    return len(data.authors) > AUTHOR_PAGES_OVER


def shown_picture(data: ReportData, picture: PictureJob, drawn: bytes) -> Picture:
    """How the page shows one drawn picture: embedded, or (an author beyond the overview's cap) linked to its file.

    A linked picture keeps none of its bytes, so a report of thousands of authors does not hold them all. A large
    report's overview pictures, drawn for up to 40 authors and a network of hundreds, are embedded as lossless
    WebP (the same pixels as their PNG files in under half the bytes), which keeps its index.html under 5 MB.
    """
    width = shown_width(picture.job, drawn)
    if picture.key and picture.key not in data.overview:
        link = f"../{picture.name}" if has_author_pages(data) else picture.name  # from reports/authors/
        return Picture(b"", picture.fmt, picture.alt, width, link=link)
    if not picture.key and picture.fmt == "png" and has_author_pages(data):
        smaller = lossless_webp(drawn)
        if smaller is not None:
            return Picture(smaller, "webp", picture.alt, width)
    return Picture(drawn, picture.fmt, picture.alt, width)


def report_page(
    data: ReportData,
    pictures: Mapping[PictureKey, Picture],
    *,
    generated: str,
    versions: Mapping[str, str],
    labels_path: str,
    stopwords: str = BUNDLED_STOPWORDS,
    labels_found: bool = True,
) -> html.Page:
    """The page of ``data``: every author's section, the overview and the methods.

    ``pictures``: the drawn pictures by (author key, part) (``shown_picture`` makes them); a picture left
    out is left out of the page. ``generated``: when the report was written (the footer). ``versions``:
    package -> installed version, authorstats among them. ``labels_path``: the labels file as the methods
    section names it (data/labels.csv, never an absolute path: the page is mailed), ``labels_found`` whether
    it existed. ``stopwords``: where the clouds' stop words came from (a file name, or BUNDLED_STOPWORDS).
    """
    from authorstats.render import analyses_page, charts, comparison

    pages = has_author_pages(data)
    sections = [author_section(data, item.author.key, pictures, papers=not pages) for item in data.authors]
    shown_count, total = len(data.overview), len(data.authors)
    if pages:
        note = (
            f"The heatmap, the share chart and the table show the {shown_count} authors with the most papers "
            f"{overview_note(shown_count, total)}. Every author has a page of their own, listed below; "
            f"charts are embedded in the pages of these {shown_count} authors, the other pages link to "
            "their chart files."
        )
    else:
        note = (
            ""
            if shown_count == total
            else (
                f"The heatmap and the share chart show the {shown_count} authors with the most papers "
                f"{overview_note(shown_count, total)}. Charts are embedded for these {shown_count} authors; "
                "the other authors' charts are the files linked from their sections, next to this page."
            )
        )
    return html.Page(
        title=TITLE,
        window=str(data.window),
        generated=generated,
        version=versions["authorstats"],
        authors=sections,
        colors=charts.topic_colors(data.taxonomy.names),
        matrix=data.matrix.loc[data.overview] if pages else data.matrix,
        heatmap=pictures.get(("", "heatmap")),
        shares=pictures.get(("", "shares")),
        methods=_methods(data, versions, labels_path, stopwords, labels_found),
        overview_note=note,
        author_folder=AUTHOR_FOLDER if pages else "",
        analyses=analyses_page.analyses_view(data, pictures, only=data.overview if pages else None),
        warnings=[w for w in (data.snapshot_gap, data.merge_cap) if w],
        comparison=comparison.page_view(data.comparison, pictures),
    )


def author_section(
    data: ReportData, key: str, pictures: Mapping[PictureKey, Picture], papers: bool = True
) -> html.AuthorSection:
    """One author's section: topic table, pictures and (unless ``papers`` is False) the paper list."""
    item = data.author(key)
    part = {name: pictures.get((key, name)) for name in ("bars", "by_year", "cloud")}
    listed = _paper_list(item.papers) if papers else _paper_list(item.papers.iloc[:0])
    return html.AuthorSection(
        key,
        item.author.name,
        item.table,
        listed,
        cloud_note=item.cloud_caption if data.options.clouds else "",
        source_note=item.source_note,
        checking=item.checking,
        **part,
    )


def author_page(
    data: ReportData, key: str, pictures: Mapping[PictureKey, Picture], *, generated: str, version: str
) -> html.AuthorPage:
    """The page of one author of a large report (reports/authors/<key>.html), linking back to index.html."""
    from authorstats.render import charts

    return html.AuthorPage(
        f"{TITLE}: {data.author(key).author.name}",
        str(data.window),
        generated,
        version,
        author_section(data, key, pictures),
        charts.topic_colors(data.taxonomy.names),
        home="../index.html",
    )


def taxonomy_name(path: object) -> str:
    """How the methods section names a taxonomy: "bundled taxonomy" for the package's own, else the file's name
    (never a local folder: the page is meant to be mailed)."""
    from pathlib import PurePath

    parts = PurePath(str(path)).parts
    return "bundled taxonomy" if parts[-3:] == ("authorstats", "data", "taxonomy.toml") else PurePath(str(path)).name


def labels_sentence(path: str, found: bool, labels: int, records: int) -> str:
    """What the manual labels did: "2 labels in data/labels.csv matched 4 records", or why there were none."""
    if not found:
        return f"none (no {path})"
    if not labels:
        return f"none of the labels in {path} matched a record in the window"
    return f"{labels} label{'s' if labels != 1 else ''} in {path} matched {records} record{'s' if records != 1 else ''}"


def _methods(
    data: ReportData, versions: Mapping[str, str], labels_path: str, stopwords: str, labels_found: bool = True
) -> html.Methods:
    rows = [
        html.MethodsRow(
            a.author.name,
            a.provenance.label,
            a.fetched,
            a.provenance.records_read,
            a.provenance.records_merged,
            a.provenance.records_in_window,
        )
        for a in data.authors
    ]
    if not data.options.clouds:
        cloud_method = "not drawn (--no-clouds)"
    else:
        cloud_method = (
            f"from {data.options.cloud_from}, "
            + (
                "distinctive words (smoothed log-odds z-scores against the other authors)"
                if data.options.distinctive
                else "word counts"
            )
            + f", stop words from {stopwords}"
        )
    return html.Methods(
        str(data.window),
        taxonomy_name(data.taxonomy.path),
        labels_path,
        data.manual_labels,
        rows,
        dict(versions),
        cloud_method,
        list(data.notes),
        labels_sentence(labels_path, labels_found, data.labels_matched, data.manual_labels),
    )
