"""The seminar deck as a PowerPoint file: report data and drawn pictures in, the bytes of a .pptx out.

Every table is a native, editable table; every number on a slide is text a presenter can change; each slide's
speaker notes say where its numbers come from and list the papers behind each table row. Slides are 16:9 (or
the template's size), no text is under 14 pt and no shape leaves the slide.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authorstats.errors import BadInputError

if TYPE_CHECKING:
    import pandas as pd

    from authorstats.analysis.report import AuthorData, ReportData

WIDTH_IN, HEIGHT_IN = 13.333, 7.5  # 16:9
MARGIN_IN = 0.4
TITLE_HEIGHT_IN = 1.0
MIN_PT = 14  # nothing on a slide is smaller: a room reads it
TITLE_PT, BODY_PT, TABLE_PT = 28, 16, 14
TABLE_ROWS = 16  # rows of a topic table on one slide, Total included; the rest are summed in one row
ROW_IN = 0.32  # a table row's height: 14 pt text and thin cell margins
PER_AUTHOR_SLIDES_LIMIT = 40  # authors with slides of their own; more: the overview's 40 (docs/slides.md)
TITLE_LAYOUT, CONTENT_LAYOUT = "Title Slide", "Title Only"  # the layouts a template must have

# A picture part (render.pictures' PictureJob.part) -> what a slide calls it.
PART_TITLES = {
    "bars": "topics",
    "by_year": "topics by year",
    "cloud": "words of the titles",
    "reference": "beside the reference table",
}


@dataclass(frozen=True)
class DeckFacts:
    """What the deck states beyond the report data: when it was made, by which version, and how well the
    classifier did on titles it was not tuned on (None when that check was not run)."""

    generated: str
    version: str
    taxonomy: str  # "bundled taxonomy" or the file's name
    held_out: tuple[int, int] | None = None  # (right, of) on the held-out labels
    held_out_note: str = ""  # which labels, e.g. "80 titles of 2023+ papers, labelled by TOPICS.md"


def build_deck(
    data: ReportData,
    pictures: Mapping[tuple[str, str], bytes],
    facts: DeckFacts,
    template: bytes | None = None,
) -> bytes:
    """The deck of ``data`` as .pptx bytes. ``pictures``: PNG bytes by (author key or "", part), as the report
    draws them; ``template``: a .pptx whose theme, masters and layouts the deck uses (it must have the layouts
    TITLE_LAYOUT and CONTENT_LAYOUT)."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation(io.BytesIO(template)) if template is not None else Presentation()
    if template is None:
        deck.slide_width, deck.slide_height = Inches(WIDTH_IN), Inches(HEIGHT_IN)
    maker = _Maker(deck)
    _title_slide(maker, data, facts)
    shown = _shown_authors(data)
    for item in data.authors:
        if item.author.key in shown:
            _author_slides(maker, data, item, pictures)
    _overview_slide(maker, data, pictures, len(data.authors) - len(shown))
    _comparison_slides(maker, data, pictures, shown)
    _analyses_slides(maker, data, pictures)
    _methods_slide(maker, data, facts)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def slide_count(deck: bytes) -> int:
    """How many slides a .pptx holds."""
    from pptx import Presentation

    return len(Presentation(io.BytesIO(deck)).slides)


def _shown_authors(data: ReportData) -> set[str]:
    """The authors with slides of their own: all of them, or the overview's (the most papers) past the limit."""
    keys = [a.author.key for a in data.authors]
    if len(keys) <= PER_AUTHOR_SLIDES_LIMIT:
        return set(keys)
    return set(data.overview[:PER_AUTHOR_SLIDES_LIMIT])


class _Maker:
    """Adds slides to a deck: titles, text, tables and pictures placed inside the slide, sizes >= MIN_PT."""

    def __init__(self, deck: Any) -> None:
        self.deck = deck
        names = [layout.name for layout in deck.slide_layouts]
        for wanted in (TITLE_LAYOUT, CONTENT_LAYOUT):
            if wanted not in names:
                raise BadInputError(
                    f"the template has no {wanted!r} layout (it has: {', '.join(names) or 'none'})",
                    f"Add a layout named {wanted!r} to the template's slide master, or leave --template out",
                )
        self.layouts = {layout.name: layout for layout in deck.slide_layouts}
        self.width = int(deck.slide_width)
        self.height = int(deck.slide_height)

    def slide(self, title: str, notes: str, layout: str = CONTENT_LAYOUT) -> Any:
        from pptx.util import Pt

        slide = self.deck.slides.add_slide(self.layouts[layout])
        if slide.shapes.title is not None:
            slide.shapes.title.text = title
            for paragraph in slide.shapes.title.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(TITLE_PT if layout == CONTENT_LAYOUT else 40)
            if layout == CONTENT_LAYOUT:
                self._fit(slide.shapes.title, MARGIN_IN, 0.2, self.width_in - 2 * MARGIN_IN, TITLE_HEIGHT_IN)
            else:
                self._fit(slide.shapes.title, MARGIN_IN, self.height_in * 0.2, self.width_in - 2 * MARGIN_IN, 1.8)
        else:
            self.text(slide, [title], MARGIN_IN, 0.2, self.width_in - 2 * MARGIN_IN, TITLE_HEIGHT_IN, TITLE_PT)
        slide.notes_slide.notes_text_frame.text = notes
        return slide

    @property
    def width_in(self) -> float:
        return self.width / 914400

    @property
    def height_in(self) -> float:
        return self.height / 914400

    def body_top(self) -> float:
        return 0.2 + TITLE_HEIGHT_IN + 0.1

    def _fit(self, shape: Any, left: float, top: float, width: float, height: float) -> None:
        from pptx.util import Inches

        shape.left, shape.top, shape.width, shape.height = Inches(left), Inches(top), Inches(width), Inches(height)

    def text(
        self,
        slide: Any,
        lines: Sequence[str],
        left: float,
        top: float,
        width: float,
        height: float,
        size: int = BODY_PT,
        bold_first: bool = False,
    ) -> Any:
        from pptx.util import Inches, Pt

        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        frame = box.text_frame
        frame.word_wrap = True
        for i, line in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            run.font.size = Pt(max(size, MIN_PT))
            run.font.bold = bold_first and i == 0
        return box

    def table(
        self,
        slide: Any,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        left: float,
        top: float,
        width: float,
        bold_rows: Sequence[int] = (),
    ) -> Any:
        """A native table, header first; ``bold_rows``: indexes into ``rows`` drawn in bold."""
        from pptx.util import Inches, Pt

        row_in = ROW_IN
        height = row_in * (len(rows) + 1)
        shape = slide.shapes.add_table(
            len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width), Inches(height)
        )
        table = shape.table
        for col in range(len(header)):
            table.columns[col].width = Inches(width * (0.72 if col == 0 else 0.28 / max(len(header) - 1, 1)))
        for r, values in enumerate([header, *rows]):
            table.rows[r].height = Inches(row_in)
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(0.03)
                cell.text = value
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(TABLE_PT)
                        run.font.bold = r == 0 or (r - 1) in bold_rows
        return shape

    def picture(self, slide: Any, png: bytes, left: float, top: float, width: float, height: float) -> Any:
        """``png`` scaled to fit the box (its shape kept), centred in it."""
        from PIL import Image
        from pptx.util import Inches

        with Image.open(io.BytesIO(png)) as image:
            w, h = image.size
        scale = min(width / w, height / h)
        shown_w, shown_h = w * scale, h * scale
        return slide.shapes.add_picture(
            io.BytesIO(png),
            Inches(left + (width - shown_w) / 2),
            Inches(top + (height - shown_h) / 2),
            Inches(shown_w),
            Inches(shown_h),
        )


def _title_slide(maker: _Maker, data: ReportData, facts: DeckFacts) -> None:
    names = ", ".join(a.author.name for a in data.authors[:8])
    if len(data.authors) > 8:
        names += f" and {len(data.authors) - 8} more"
    slide = maker.slide(
        f"What they publish about, {data.window}",
        f"Made by authorstats {facts.version} on {facts.generated}. {data.sources_note}.",
        layout=TITLE_LAYOUT,
    )
    lines = [names, data.sources_note, f"Made {facts.generated[:10]} with authorstats {facts.version}"]
    subtitle = next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)
    if subtitle is not None:
        subtitle.element.getparent().remove(subtitle.element)  # replaced by a text box the deck sizes itself
    top = maker.height_in * 0.55
    maker.text(slide, lines, MARGIN_IN + 0.6, top, maker.width_in - 2 * MARGIN_IN - 1.2, maker.height_in - top - 0.3)


def table_rows(table: pd.DataFrame) -> list[tuple[str, int]]:
    """An author's seminar table as (topic, papers) rows: Total first, then the topics by papers, Other last."""
    rows = [(str(t), int(c)) for t, c in zip(table["Topic"], table["Count"])]
    total = [r for r in rows if r[0] == "Total"]
    other = [r for r in rows if r[0] == "Other"]
    return total + [r for r in rows if r[0] not in ("Total", "Other")] + other


def _shown_rows(rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """At most TABLE_ROWS rows: past it, the smallest topics (Other kept last) are summed in one row."""
    if len(rows) <= TABLE_ROWS:
        return rows
    other = [r for r in rows if r[0] == "Other"]
    head = [r for r in rows if r[0] != "Other"]
    keep = TABLE_ROWS - 1 - len(other)
    rest = head[keep:]
    return head[:keep] + [(f"{len(rest)} more topics", sum(c for _, c in rest))] + other


def _papers_notes(item: AuthorData, rows: Sequence[tuple[str, int]]) -> str:
    """The papers behind each row of the author's table: title, year, venue and link."""
    papers = item.papers
    lines = [f"{item.author.name}: {item.source_note}.", "Papers behind each row:"]
    for topic, count in rows:
        if topic == "Total":
            continue
        lines.append(f"{topic} ({count}):")
        mine = papers[papers["topic"] == topic] if "topic" in papers else papers.iloc[0:0]
        for paper in mine.to_dict("records"):
            link = _link(paper)
            venue = str(paper.get("venue") or "").strip()
            where = f", {venue}" if venue and venue != "nan" else ""
            lines.append(f"  - {paper.get('title')} ({paper.get('year')}{where}){' ' + link if link else ''}")
    return "\n".join(lines)


def _link(paper: Mapping[Any, Any]) -> str:
    for field, prefix in (("url", ""), ("doi", "https://doi.org/"), ("arxiv_id", "https://arxiv.org/abs/")):
        value = paper.get(field)
        if isinstance(value, str) and value.strip() and value != "nan":
            return value if value.startswith("http") else prefix + value.strip()
    return ""


def _author_slides(
    maker: _Maker, data: ReportData, item: AuthorData, pictures: Mapping[tuple[str, str], bytes]
) -> None:
    key, name = item.author.key, item.author.name
    rows = table_rows(item.table)
    grouped = f", in the {data.group_by!r} grouping's categories" if data.group_by else ""
    slide = maker.slide(f"{name}: topics, {data.window}{grouped}", _papers_notes(item, rows))
    top = maker.body_top()
    shown = _shown_rows(rows)
    table_w = 4.6
    maker.table(
        slide,
        ["Topic", "Papers"],
        [(t, str(c)) for t, c in shown],
        MARGIN_IN,
        top,
        table_w,
        bold_rows=[0] if shown and shown[0][0] == "Total" else [],
    )
    left = MARGIN_IN + table_w + 0.3
    box_h = maker.height_in - top - 0.9
    if (key, "bars") in pictures:
        maker.picture(slide, pictures[key, "bars"], left, top, maker.width_in - left - MARGIN_IN, box_h)
    maker.text(
        slide, [f"Data: {item.source_note}"], left, maker.height_in - 0.8, maker.width_in - left - MARGIN_IN, 0.5
    )

    parts = [p for p in ("by_year", "cloud") if (key, p) in pictures]
    if not parts:
        return
    notes = f"{name}: {item.source_note}. " + (item.cloud_caption or "")
    slide = maker.slide(f"{name}: " + " and ".join(PART_TITLES[p] for p in parts), notes)
    width = (maker.width_in - 2 * MARGIN_IN - 0.3 * (len(parts) - 1)) / len(parts)
    for i, part in enumerate(parts):
        maker.picture(
            slide, pictures[key, part], MARGIN_IN + i * (width + 0.3), top, width, maker.height_in - top - 0.4
        )


def _overview_slide(maker: _Maker, data: ReportData, pictures: Mapping[tuple[str, str], bytes], hidden: int) -> None:
    part = "heatmap" if ("", "heatmap") in pictures else "shares"
    if ("", part) not in pictures:
        return
    compared = len(data.overview)
    notes = f"{data.sources_note}. Paper counts per author and topic, {compared} authors."
    if hidden:
        notes += (
            f" {hidden} more authors have no slides of their own (a deck shows the {PER_AUTHOR_SLIDES_LIMIT} with "
            "the most papers); their tables are in reports/ and index.html."
        )
    slide = maker.slide(f"All authors: papers per topic, {data.window}", notes)
    top = maker.body_top()
    maker.picture(
        slide, pictures["", part], MARGIN_IN, top, maker.width_in - 2 * MARGIN_IN, maker.height_in - top - 0.9
    )
    line = f"Data: {data.sources_note.removeprefix('Data: ')}"
    if hidden:
        line += f"; {hidden} more authors in reports/index.html"
    maker.text(slide, [line], MARGIN_IN, maker.height_in - 0.8, maker.width_in - 2 * MARGIN_IN, 0.5)


def _comparison_slides(
    maker: _Maker, data: ReportData, pictures: Mapping[tuple[str, str], bytes], shown: set[str]
) -> None:
    comparison = data.comparison
    if comparison is None:
        return
    counted = f"in the taxonomy's {comparison.grouping!r} grouping" if comparison.grouping else "in the report's topics"
    for item in comparison.authors:
        if item.key not in shown or (item.key, "reference") not in pictures:
            continue
        agreement = f"agreement {item.agreement_text}"
        theirs = item.reference_total if item.reference_total is not None else "?"
        line = (
            f"{item.name}: {comparison.name} counted {theirs} works, authorstats {item.ours_total}; compared "
            f"{counted}; {agreement} (1 - total variation distance of the two shares)."
        )
        notes = line + " Rows: " + "; ".join(f"{t.topic}: reference {t.reference}, ours {t.ours}" for t in item.topics)
        slide = maker.slide(f"{item.name}: {PART_TITLES['reference']}", notes)
        top = maker.body_top()
        maker.picture(
            slide,
            pictures[item.key, "reference"],
            MARGIN_IN,
            top,
            maker.width_in - 2 * MARGIN_IN,
            maker.height_in - top - 1.3,
        )
        maker.text(slide, [line], MARGIN_IN, maker.height_in - 1.2, maker.width_in - 2 * MARGIN_IN, 1.0)


ANALYSES = (
    ("trends", "Topic trends"),
    ("network", "Co-authors"),
    ("impact", "Citations per topic"),
)


def _analyses_slides(maker: _Maker, data: ReportData, pictures: Mapping[tuple[str, str], bytes]) -> None:
    """The analyses beyond topic counts that have something to show: one slide each, none when empty."""
    top = maker.body_top()
    for part, title in ANALYSES:
        if ("", part) not in pictures:
            continue
        slide = maker.slide(f"{title}, {data.window}", f"{data.sources_note}. See reports/index.html for the tables.")
        maker.picture(
            slide, pictures["", part], MARGIN_IN, top, maker.width_in - 2 * MARGIN_IN, maker.height_in - top - 0.3
        )
    venues = data.venues_by_author()
    rows = [
        (f"{a.author.name}: {venue}", str(papers))
        for a in data.authors
        for venue, papers, _topics in venues.get(a.author.key, [])[:3]
    ]
    if rows:
        shown = rows[: TABLE_ROWS - 1]
        notes = "Top venues per author (reports/venues.csv has every venue and its topics)."
        if len(rows) > len(shown):
            notes += f" {len(rows) - len(shown)} more rows are in reports/venues.csv."
        slide = maker.slide(f"Where they publish, {data.window}", notes)
        maker.table(slide, ["Author: venue", "Papers"], shown, MARGIN_IN, top, maker.width_in - 2 * MARGIN_IN)


def _methods_slide(maker: _Maker, data: ReportData, facts: DeckFacts) -> None:
    lines = [f"{a.author.name}: {a.source_note}" for a in data.authors[:6]]
    if len(data.authors) > 6:
        lines.append(f"... and {len(data.authors) - 6} more authors (reports/index.html, methods section)")
    lines.append(
        f"Taxonomy: {facts.taxonomy}" + (f", counted in its {data.group_by!r} grouping" if data.group_by else "")
    )
    if facts.held_out is not None:
        right, of = facts.held_out
        lines.append(
            f"Classifier: {right} of {of} held-out titles tagged as labelled ({right / of:.0%}); {facts.held_out_note}"
        )
    else:
        lines.append("Classifier: not checked against held-out labels for this taxonomy")
    lines.append(f"Made {facts.generated[:10]} with authorstats {facts.version}")
    notes = "\n".join([*lines, *data.notes])
    slide = maker.slide("How these numbers were made", notes)
    top = maker.body_top()
    maker.text(slide, lines, MARGIN_IN, top, maker.width_in - 2 * MARGIN_IN, maker.height_in - top - 0.3)
