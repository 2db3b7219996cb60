"""Reports of large rosters: per-author pages (over 40 authors) that link and escape like the main page,
--tables-only, and --author-charts. The titles are real: the bundled snapshot's 120 works
(src/authorstats/data/publications_2021_2022.csv, see SNAPSHOT.md), dealt out to a generated roster."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from authorstats.analysis.report import compute_report
from authorstats.cli import app
from authorstats.models import Author
from authorstats.render import html, page, pictures
from authorstats.shell import config_files
from authorstats.shell.report import report_options
from authorstats.sources import snapshot

pytestmark = pytest.mark.slow  # reports and computed reports of 41 authors

HOSTILE_NAME = '<script>alert(1)</script> & "Q"'
HOSTILE_TITLE = '"><img src=x onerror=alert(2)> Learning'
N_AUTHORS = 41  # one more than the overview holds: the report gets per-author pages
CSP = (
    '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; img-src data:; '
    "style-src 'unsafe-inline'\">"
)


def roster_authors(n: int = N_AUTHORS) -> list[Author]:
    return [
        Author(key=f"a{i:02d}", name=HOSTILE_NAME if i == 7 else f"Author {i:02d}", scholar_id=f"S{i:011d}")
        for i in range(1, n + 1)
    ]


def dealt_records(authors: list[Author]) -> dict[str, list[dict]]:
    """The snapshot's real titles dealt out in turn (a07 also gets a hostile one), as raw import records."""
    rows: dict[str, list[dict]] = {a.key: [] for a in authors}
    for number, record in enumerate(snapshot.read_snapshot()):
        key = authors[number % len(authors)].key
        rows[key].append(
            {"author": key, "source": "import", "title": record.title, "year": record.year, "venue": record.venue}
        )
    rows["a07"].append({"author": "a07", "source": "import", "title": HOSTILE_TITLE, "year": 2022, "venue": "X"})
    return rows


def write_roster(path, authors: list[Author]) -> None:
    lines = []
    for a in authors:
        lines += [
            "[[author]]",
            f"key = {json.dumps(a.key)}",
            f"name = {json.dumps(a.name)}",
            f"scholar = {json.dumps(a.scholar_id)}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_workspace(root, authors: list[Author]) -> None:
    folder = root / "data" / "raw" / "import"
    folder.mkdir(parents=True)
    for key, rows in dealt_records(authors).items():
        (folder / f"{key}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """A report of 41 authors with no per-author pictures (the overview charts are still drawn)."""
    root = tmp_path_factory.mktemp("large")
    authors = roster_authors()
    write_workspace(root, authors)
    write_roster(root / "roster.toml", authors)
    result = CliRunner().invoke(
        app,
        [
            "report",
            "-w",
            str(root),
            "--roster",
            str(root / "roster.toml"),
            "--no-clouds",
            "--dpi",
            "50",
            "--author-charts",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    return root


class Parsed(HTMLParser):
    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def links(text: str) -> list[str]:
    return [attrs.get("href") for tag, attrs in Parsed(text).tags if tag == "a"]


def test_index_links_every_author_page_and_holds_only_the_overview(large):
    index = (large / "reports" / "index.html").read_text(encoding="utf-8")
    assert [h for h in links(index) if h.startswith("authors/")] == [f"authors/a{i:02d}.html" for i in range(1, 42)]
    assert 'class="papers"' not in index and '<section id="author-' not in index  # no paper lists here
    overview_heads = re.search(r"<table><thead><tr><th>Topic</th>(.*?)</tr></thead>", index).group(1)
    assert overview_heads.count("<th") == 40  # the overview table holds the overview's 40 authors
    assert "Every author has a page of their own" in index


def test_author_pages_have_the_main_pages_head_and_link_back(large):
    index = (large / "reports" / "index.html").read_text(encoding="utf-8")
    assert CSP in index
    for i in (1, 7, 41):
        own = (large / "reports" / "authors" / f"a{i:02d}.html").read_text(encoding="utf-8")
        assert CSP in own and own.count("<meta http-equiv") == 1
        assert "../index.html" in links(own)
        assert 'class="papers"' in own  # the paper list lives here
        assert own.split("<style>")[1].split("</style>")[0] == index.split("<style>")[1].split("</style>")[0]


def test_author_pages_escape_like_the_main_page(large):
    index = (large / "reports" / "index.html").read_text(encoding="utf-8")
    own = (large / "reports" / "authors" / "a07.html").read_text(encoding="utf-8")
    for text in (index, own):
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Q&quot;" in text
        assert "<script" not in text.lower()
        assert all(tag != "script" and "onerror" not in attrs for tag, attrs in Parsed(text).tags)
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt; Learning" in own


def test_no_pictures_of_authors_with_author_charts_none(large):
    names = sorted(p.name for p in (large / "reports").glob("*.png"))
    # the overview's charts (the records have no author lists: no co-author network)
    assert names == ["topic_heatmap.png", "topic_shares.png", "topic_trends.png"]


def computed(n: int):
    authors = roster_authors(n)
    from authorstats.models import Publication

    records = [
        Publication(author=r["author"], title=r["title"], year=r["year"], source="import", venue=r["venue"])
        for rows in dealt_records(authors).values()
        for r in rows
    ]
    return compute_report(
        records,
        roster=authors,
        taxonomy=config_files.load_taxonomy(None),
        years="2021-2022",
        options=report_options(clouds=False),
    )


@pytest.fixture(scope="module")
def data41():
    return computed(N_AUTHORS)


@pytest.mark.parametrize("which, drawn", [("all", 41), ("top40", 40), ("none", 0)])
def test_author_charts_chooses_whose_pictures_are_drawn(data41, which, drawn):
    jobs = pictures.report_pictures(data41, dpi=50, author_charts=which)
    keys = {job.key for job in jobs if job.key}
    assert len(keys) == drawn
    if which == "top40":
        assert keys == set(data41.overview)
    assert {job.part for job in jobs if not job.key} == {"heatmap", "shares", "trends"}  # the overview, always


def test_author_charts_refuses_other_values(data41):
    with pytest.raises(ValueError):
        pictures.charted_authors(data41, "some")


def test_pictures_beyond_the_overview_link_from_the_author_page_to_the_file_beside_index(data41):
    outside = next(a.author.key for a in data41.authors if a.author.key not in data41.overview)
    job = next(j for j in pictures.report_pictures(data41, dpi=50) if j.key == outside and j.part == "bars")
    shown = page.shown_picture(data41, job, b"")
    assert shown.link == f"../{outside}_topics.png" and shown.data == b""
    own = html.render_author(page.author_page(data41, outside, {(outside, "bars"): shown}, generated="g", version="v"))
    assert f'<a href="../{outside}_topics.png">' in own


def test_forty_authors_keep_one_page():
    data = computed(40)
    built = page.report_page(data, {}, generated="g", versions={"authorstats": "v"}, labels_path="l")
    assert not page.has_author_pages(data) and built.author_folder == ""
    assert 'class="papers"' in html.render(built)


def test_tables_only_writes_the_tables_and_no_picture_or_page(workspace):
    result = CliRunner().invoke(app, ["report", "-w", str(workspace), "--tables-only"])
    assert result.exit_code == 0, result.output
    reports = workspace / "reports"
    assert sorted(p.name for p in reports.iterdir()) == [
        "bengio_topics.csv",
        "collaborators.csv",
        "hinton_topics.csv",
        "impact.csv",
        "impact_by_year.csv",
        "impact_normalised.csv",
        "lecun_topics.csv",
        "reference_comparison.csv",
        "specialisation.csv",
        "summary.md",
        "topic_counts.csv",
        "venues.csv",
    ]  # the seminar comparison is a table too
    assert (workspace / "data" / "processed" / "publications.csv").is_file()
    assert "Report:" not in result.output


def test_index_embeds_the_overview_pictures_as_lossless_webp_with_the_pixels_of_their_png_files(large):
    """A large report's index.html embeds its overview charts in under half the bytes of their PNG files (a report
    of 1,000 authors kept under 5 MB), pixel for pixel the charts saved beside it."""
    import base64
    import io

    import numpy as np
    from PIL import Image

    text = (large / "reports" / "index.html").read_text(encoding="utf-8")
    embedded = {
        alt: base64.b64decode(data)
        for data, alt in re.findall(r'<img src="data:image/webp;base64,([^"]+)" alt="([^"]*)"', text)
    }
    assert len(embedded) >= 3 and "data:image/png" not in text  # the heatmap, the shares chart, the trends...
    files = {p.name: p.read_bytes() for p in (large / "reports").glob("*.png")}
    for data in embedded.values():
        shown = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
        same = [
            name
            for name, png in files.items()
            if Image.open(io.BytesIO(png)).size == shown.shape[1::-1]
            and (np.asarray(Image.open(io.BytesIO(png)).convert("RGB")) == shown).all()
        ]
        assert len(same) == 1 and len(data) < len(files[same[0]])
