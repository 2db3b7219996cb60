"""The page's structure for people who navigate by headings, links or a screen reader (issue 17, item 5)."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.render import pictures


class Outline(HTMLParser):
    """Headings with their ids, link targets, ids and image alt texts of a page, in order."""

    def __init__(self, page: str):
        super().__init__()
        self.headings: list[tuple[str, str, str]] = []
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.alts: list[str] = []
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.append(attrs["href"][1:])
        if tag == "img":
            self.alts.append(attrs.get("alt") or "")
        if tag in ("h1", "h2", "h3"):
            self._open, self._text = (tag, attrs.get("id", "")), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.headings.append((tag, self._open[1], "".join(self._text)))
            self._open = None


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    result = CliRunner().invoke(
        app, ["report", "-w", str(root), "-a", "lecun", "-a", "hinton", "--cloud-size", "400x200", "--dpi", "50"]
    )
    assert result.exit_code == 0, result.output
    return root, (root / "reports" / "index.html").read_text(encoding="utf-8")


def test_each_author_has_h3_headings_for_charts_cloud_and_papers(report):
    _, page = report
    outline = Outline(page)
    for key, name in (("lecun", "Yann LeCun"), ("hinton", "Geoffrey Hinton")):
        start = outline.headings.index(("h2", "", name))
        following = outline.headings[start + 1 : start + 5]
        assert [(tag, ident) for tag, ident, _ in following] == [
            ("h3", f"author-{key}-topics"),
            ("h3", f"author-{key}-years"),
            ("h3", f"author-{key}-cloud"),
            ("h3", f"author-{key}-papers"),
        ]
        assert all(name in text for _, _, text in following)


def test_the_contents_link_every_section_and_every_section_links_back_to_the_top(report):
    _, page = report
    outline = Outline(page)
    contents = page[page.index('<nav class="contents"') : page.index("</nav>")]
    targets = re.findall(r'href="#([^"]+)"', contents)
    assert targets[0] == "overview" and targets[-1] == "methods"
    assert {
        "author-lecun-topics",
        "author-lecun-years",
        "author-lecun-cloud",
        "author-lecun-papers",
        "author-hinton-papers",
    } <= set(targets)
    assert set(outline.links) <= outline.ids  # no link leads nowhere
    assert "top" in outline.ids and outline.links.count("top") == 2 + 2  # overview, two authors, methods


def test_the_contents_list_every_h2_section_by_its_heading(report):
    """Every section with an h2 (the analyses and the seminar comparison too) is in the contents, linked by its
    heading's own words, with no stray space inside a link."""
    _, page = report
    contents = page[page.index('<nav class="contents"') : page.index("</nav>")]
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]*)</a>', contents))
    sections = re.findall(r'<section id="([^"]+)"><h2>([^<]*)</h2>', page)
    assert {"trends", "collaborators", "venues", "reference", "methods"} <= {ident for ident, _ in sections}
    for ident, heading in sections:
        assert links.get(ident) == heading, (ident, heading)
    assert all(text == text.strip() and "  " not in text for text in links.values())


def test_alt_texts_say_what_each_chart_shows(report):
    root, page = report
    outline = Outline(page)
    with open(root / "reports" / "lecun_topics.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Topic"] != "Total"]
    top, count = max(((r["Topic"], int(r["Count"])) for r in rows), key=lambda item: item[1])
    bars = next(alt for alt in outline.alts if alt.startswith("Bar chart of Yann LeCun"))
    assert f"{top} {count}" in bars  # the biggest topic with its count, from the table
    cloud = next(alt for alt in outline.alts if alt.startswith("Word cloud of Yann LeCun"))
    assert len(cloud.split("the ten biggest words: ")[1].split(", ")) == 10
    assert all(re.search(r"\d", alt) for alt in outline.alts if not alt.startswith("Word cloud"))


def test_cloud_alt_names_the_ten_heaviest_words_heaviest_first():
    weights = {f"w{i:02d}": float(i) for i in range(15)}
    assert pictures.cloud_alt("Ann", weights) == (
        "Word cloud of Ann; the ten biggest words: w14, w13, w12, w11, w10, w09, w08, w07, w06, w05"
    )


def test_the_paper_list_shows_each_papers_confidence(report):
    root, page = report
    with open(root / "data" / "processed" / "publications.csv", encoding="utf-8") as handle:
        records = [r for r in csv.DictReader(handle) if r["author"] == "hinton"]
    section = page[page.index('id="author-hinton"') : page.index('id="methods"')]
    assert '<th class="num">Confidence</th>' in section
    shown = re.findall(r'</td><td class="num">(\d\.\d\d)</td><td>', section)
    assert sorted(shown) == sorted(f"{float(r['confidence']):.2f}" for r in records)
