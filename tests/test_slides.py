"""`authorstats slides`: the seminar deck, read back with python-pptx as a slide tool would open it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Inches, Pt
from typer.testing import CliRunner

from authorstats.analysis.report import ReportOptions, compute_report
from authorstats.cli import app
from authorstats.config.taxonomy import parse_taxonomy
from authorstats.models import Author, Publication
from authorstats.render import slides

runner = CliRunner()


@pytest.fixture(scope="module")
def deck(tmp_path_factory) -> Path:
    """The deck of the bundled snapshot, written by the command in an empty folder."""
    root = tmp_path_factory.mktemp("slides")
    result = runner.invoke(app, ["slides", "--workspace", str(root)])
    assert result.exit_code == 0, result.output
    assert "Wrote 14 slides" in result.output
    return root / "reports" / "authorstats.pptx"


def titles(presentation) -> list[str]:
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in presentation.slides]


def slide_titled(presentation, title: str):
    return next(s for s in presentation.slides if s.shapes.title is not None and s.shapes.title.text == title)


def table_rows(slide) -> list[list[str]]:
    (shape,) = [s for s in slide.shapes if s.has_table]
    return [[cell.text for cell in row.cells] for row in shape.table.rows]


def test_the_deck_has_a_title_slide_an_editable_table_per_author_and_a_methods_slide(deck):
    presentation = Presentation(str(deck))
    assert (presentation.slide_width, presentation.slide_height) == (Inches(13.333), Inches(7.5))
    names = titles(presentation)
    assert names[0] == "What they publish about, 2021-2022"
    assert names[-1] == "How these numbers were made"
    for name in ("Yoshua Bengio", "Yann LeCun", "Geoffrey Hinton"):
        assert f"{name}: topics, 2021-2022" in names
    rows = table_rows(slide_titled(presentation, "Yann LeCun: topics, 2021-2022"))
    assert rows[0] == ["Topic", "Papers"]
    assert rows[1] == ["Total", "33"]  # Total first, in bold
    assert ["Self-Supervised", "14"] in rows  # "Masked Siamese ConvNets" is Self-Supervised since masking counts
    assert rows[-1][0] == "Other"  # Other last, after the topics
    (table,) = [s for s in slide_titled(presentation, "Yann LeCun: topics, 2021-2022").shapes if s.has_table]
    assert table.table.cell(1, 0).text_frame.paragraphs[0].runs[0].font.bold
    methods = "\n".join(s.text_frame.text for s in presentation.slides[-1].shapes if s.has_text_frame)
    assert "Yann LeCun: bundled snapshot: 33 verified works" in methods
    assert "held-out titles" in methods and "bundled taxonomy" in methods


def test_the_speaker_notes_list_the_papers_behind_each_row(deck):
    presentation = Presentation(str(deck))
    slide = slide_titled(presentation, "Yann LeCun: topics, 2021-2022")
    notes = slide.notes_slide.notes_text_frame.text.splitlines()
    rows = {topic: int(count) for topic, count in table_rows(slide)[2:]}
    assert notes[0].startswith("Yann LeCun: bundled snapshot")
    for topic, count in rows.items():
        start = notes.index(f"{topic} ({count}):")
        papers = []
        for line in notes[start + 1 :]:
            if not line.startswith("  - "):
                break
            papers.append(line)
        assert len(papers) == count, topic
    assert any("https://" in line for line in notes)  # links where the snapshot has them
    comparison = slide_titled(presentation, "Yann LeCun: beside the reference table")
    assert "'seminar' grouping" in comparison.notes_slide.notes_text_frame.text


def test_every_shape_lies_inside_the_slide_and_no_text_is_under_14_pt(deck):
    presentation = Presentation(str(deck))
    width, height = presentation.slide_width, presentation.slide_height
    for number, slide in enumerate(presentation.slides, 1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width and shape.top + shape.height <= height, (number, shape.name)
            frames = [shape.text_frame] if shape.has_text_frame else []
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        assert run.font.size is not None and run.font.size >= Pt(14), (number, run.text)


def test_a_template_keeps_its_theme_and_size(tmp_path):
    template = Presentation()  # 4:3, the default theme with a master background of its own
    template.slide_master.background.fill.solid()
    template.slide_master.background.fill.fore_color.rgb = RGBColor(0x12, 0x34, 0x56)
    template.save(str(tmp_path / "theme.pptx"))
    result = runner.invoke(
        app, ["slides", "-w", str(tmp_path), "--template", str(tmp_path / "theme.pptx"), "--author", "hinton"]
    )
    assert result.exit_code == 0, result.output
    made = Presentation(str(tmp_path / "reports" / "authorstats.pptx"))
    assert (made.slide_width, made.slide_height) == (template.slide_width, template.slide_height)
    assert made.slide_master.background.fill.fore_color.rgb == RGBColor(0x12, 0x34, 0x56)
    assert "Geoffrey Hinton: topics, 2021-2022" in titles(made)


def test_a_template_without_a_title_layout_is_one_line_exit_2(tmp_path):
    template = Presentation()
    template.slide_layouts.remove(template.slide_layouts.get_by_name("Title Slide"))
    template.save(str(tmp_path / "bare.pptx"))
    result = runner.invoke(app, ["slides", "-w", str(tmp_path), "--template", str(tmp_path / "bare.pptx")])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "no 'Title Slide' layout (it has: Title and Content," in lines[0], lines
    assert not (tmp_path / "reports" / "authorstats.pptx").exists()


def test_a_large_roster_gets_slides_for_the_40_with_the_most_papers():
    taxonomy = parse_taxonomy(
        (Path(slides.__file__).parent.parent / "data" / "taxonomy.toml").read_text(encoding="utf-8"), "taxonomy"
    )
    roster = [Author(key=f"a{i:02}", name=f"Author {i:02}") for i in range(45)]
    records = [
        Publication(author=a.key, title=f"Self-supervised learning of views number {j}", year=2022, source="test")
        for i, a in enumerate(roster)
        for j in range(1 + i % 5)
    ]
    data = compute_report(records, roster=roster, taxonomy=taxonomy, years="2022", options=ReportOptions(clouds=False))
    facts = slides.DeckFacts(generated="2026-01-01T00:00:00+00:00", version="test", taxonomy="bundled taxonomy")
    presentation = Presentation(io.BytesIO(slides.build_deck(data, {}, facts)))
    shown = [t for t in titles(presentation) if t.endswith(": topics, 2022")]
    assert len(shown) == slides.PER_AUTHOR_SLIDES_LIMIT == 40
    assert set(shown) == {f"{data.author(k).author.name}: topics, 2022" for k in data.overview[:40]}


def test_pdf_without_libreoffice_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on this PATH
    result = runner.invoke(app, ["slides", "-w", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2, result.output
    assert "needs LibreOffice" in result.output and "apt-get install libreoffice-impress" in result.output
    assert not (tmp_path / "reports").exists() or not list((tmp_path / "reports").iterdir())


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (.ci/run installs it)")
def test_the_deck_converts_to_pdf_and_png_pages_with_libreoffice(tmp_path, deck):
    result = runner.invoke(app, ["slides", "-w", str(tmp_path), "--format", "pdf", "--author", "lecun"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "reports" / "authorstats.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == int(result.output.split("Wrote ")[1].split()[0])
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))
