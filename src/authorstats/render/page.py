"""Build the HTML report's Page from computed report data, drawn pictures and the facts only the shell knows (time, versions, file names); pure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from authorstats.render import html
from authorstats.render.pictures import PictureJob, overview_note, shown_width

if TYPE_CHECKING:
    from authorstats.analysis.report import ReportData

TITLE = "authorstats report"
BUNDLED_STOPWORDS = "the bundled list"

# A picture of the page: (author key, part), the key "" for the overview charts (heatmap, shares).
PictureKey = tuple[str, str]


def shown_picture(data: ReportData, picture: PictureJob, drawn: bytes) -> html.Picture:
    """How the page shows one drawn picture: embedded, or (an author beyond the overview's cap) linked to its file.

    A linked picture keeps none of its bytes, so a report of thousands of authors does not hold them all.
    """
    width = shown_width(picture.job, drawn)
    if picture.key and picture.key not in data.overview:
        return html.Picture(b"", picture.fmt, picture.alt, width, link=picture.name)
    return html.Picture(drawn, picture.fmt, picture.alt, width)


def report_page(data: ReportData, pictures: Mapping[PictureKey, html.Picture], *, generated: str,
                versions: Mapping[str, str], labels_path: str, stopwords: str = BUNDLED_STOPWORDS) -> html.Page:
    """The page of ``data``: every author's section, the overview and the methods.

    ``pictures``: the drawn pictures by (author key, part) (``shown_picture`` makes them); a picture left
    out is left out of the page. ``generated``: when the report was written (the footer). ``versions``:
    package -> installed version, authorstats among them. ``labels_path``: the labels file as the methods
    section names it (with " (none)" when there was none). ``stopwords``: where the clouds' stop words came
    from.
    """
    from authorstats.analysis.report import PAPER_COLUMNS
    from authorstats.render import charts

    sections = []
    for item in data.authors:
        key = item.author.key
        part = {name: pictures.get((key, name)) for name in ("bars", "by_year", "cloud")}
        sections.append(html.AuthorSection(key, item.author.name, item.table, item.papers.reindex(columns=PAPER_COLUMNS),
                                           cloud_note=item.cloud_caption if data.options.clouds else "", **part))
    shown_count, total = len(data.overview), len(data.authors)
    return html.Page(
        title=TITLE, window=str(data.window), generated=generated, version=versions["authorstats"],
        authors=sections, colors=charts.topic_colors(data.taxonomy.names), matrix=data.matrix,
        heatmap=pictures.get(("", "heatmap")), shares=pictures.get(("", "shares")),
        methods=_methods(data, versions, labels_path, stopwords),
        overview_note="" if shown_count == total else (
            f"The heatmap and the share chart show the {shown_count} authors with the most papers "
            f"{overview_note(shown_count, total)}. Charts are embedded for these {shown_count} authors; "
            "the other authors' charts are the files linked from their sections, next to this page."),
    )


def _methods(data: ReportData, versions: Mapping[str, str], labels_path: str, stopwords: str) -> html.Methods:
    rows = [html.MethodsRow(a.author.name, a.provenance.label, a.fetched, a.provenance.records_read,
                            a.provenance.records_merged, a.provenance.records_in_window)
            for a in data.authors]
    if not data.options.clouds:
        cloud_method = "not drawn (--no-clouds)"
    else:
        cloud_method = (f"from {data.options.cloud_from}, "
                        + ("distinctive words (smoothed log-odds z-scores against the other authors)"
                           if data.options.distinctive else "word counts")
                        + f", stop words from {stopwords}")
    return html.Methods(str(data.window), str(data.taxonomy.path), labels_path, data.manual_labels, rows,
                        dict(versions), cloud_method, list(data.notes))
