"""index.html, summary.md, the comparison charts, --format, --cloud-from, --distinctive and --open (no browser)."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from importlib import resources

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.colors import to_hex
from typer.testing import CliRunner

from authorstats.analysis import tables, words
from authorstats.cli import app
from authorstats.render import charts
from authorstats.render import html as html_report
from authorstats.render import markdown as summary
from authorstats.shell.config_files import load_stopwords
from authorstats.text import in_note

runner = CliRunner()
HOSTILE = "<script>alert(1)</script>"
HOSTILE_VENUE = '"><img src=x onerror=alert(2)>'


def run(*args):
    return runner.invoke(app, list(args))


def write_raw(workspace, author, records, source="import"):
    folder = workspace / "data" / "raw" / source
    folder.mkdir(parents=True, exist_ok=True)
    rows = [{"author": author, "source": source, **r} for r in records]
    (folder / f"{author}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


LECUN = [
    {"title": HOSTILE, "year": 2022, "venue": HOSTILE_VENUE, "fetched_at": "2024-05-02T10:00:00+00:00"},
    {
        "title": "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning",
        "year": 2022,
        "abstract": "We introduce VICReg, a self-supervised method with variance and covariance regularization.",
        "fetched_at": "2024-05-01T09:00:00+00:00",
    },
    {
        "title": "Understanding Dimensional Collapse in Contrastive Self-supervised Learning",
        "year": 2021,
        "abstract": "Contrastive self-supervised learning suffers from dimensional collapse of embeddings.",
        "fetched_at": "2024-05-01T09:00:00+00:00",
    },
]
HINTON = [
    {"title": "The Forward-Forward Algorithm", "year": 2022},
    {"title": "How to represent part-whole hierarchies in a neural network", "year": 2021},
]


@pytest.fixture
def fixture_ws(workspace):
    write_raw(workspace, "lecun", LECUN)
    write_raw(workspace, "hinton", HINTON)
    return workspace


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One default report of the fixture (with one manual label), shared by the read-only checks."""
    ws = tmp_path_factory.mktemp("ws")
    write_raw(ws, "lecun", LECUN)
    write_raw(ws, "hinton", HINTON)
    (ws / "data" / "labels.csv").write_text(
        "title,source_id,topic\nThe Forward-Forward Algorithm,,Neuroscience\n", encoding="utf-8"
    )
    report(ws)
    return ws


def report(ws, *extra):
    result = run(
        "report",
        "-w",
        str(ws),
        "-a",
        "lecun",
        "-a",
        "hinton",
        "--cloud-size",
        "300x150",
        "--dpi",
        "50",
        "--no-snapshot",
        *extra,
    )
    assert result.exit_code == 0, result.output
    return result


def test_data_strings_are_escaped_and_nothing_from_data_can_run(built):
    page = (built / "reports" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "<script" not in page.lower()
    assert "onerror=alert" not in page.replace("&lt;img src=x onerror=alert(2)&gt;", "").replace(
        "&lt;img src=x onerror=alert &gt;", ""
    )  # the venues section shows the venue cleaned of its "(2)"
    assert not re.search(r"<[a-z][^>]*onerror", page, re.IGNORECASE)  # no element carries the handler


class Parsed(HTMLParser):
    """The page as the browser's parser sees it: start tags with their attributes, and the text."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def page_of(text: str) -> html_report.Page:
    """A page with ``text`` in every field that comes from data, and every optional part present."""
    png = html_report.Picture(b"\x89PNG", "png", f"alt {text}", 600)
    # a file beside the page (real ones are named after roster keys: letters, digits, _ and -)
    linked = html_report.Picture(b"", "svg", f"linked {text}", None, link=f"charts/{text}.svg")
    topic = f"Topic {text}"
    table = pd.DataFrame({"Topic": ["Total", topic], "Count": [2, 2]})
    papers = pd.DataFrame(
        {
            "title": [text, "Plain"],
            "year": [2021, None],
            "venue": [text, None],
            "topic": [topic, topic],
            "evidence": [text, ""],
            "manual": [True, "no"],
        }
    )
    authors = [
        html_report.AuthorSection(f"k{text}", f"Name {text}", table, papers, png, linked, png, f"cloud {text}"),
        html_report.AuthorSection("b", "B", table, papers.iloc[:0], linked, None, None, f"no cloud {text}"),
    ]
    methods = html_report.Methods(
        f"window {text}",
        f"tax {text}",
        f"labels {text}",
        1,
        [html_report.MethodsRow(f"Name {text}", f"src {text}", f"when {text}", 3, 1, 2)],
        {f"pkg {text}": f"v {text}"},
        f"cloud method {text}",
        [f"note {in_note(text)}"],  # data in a note as the report puts it there
    )
    matrix = pd.DataFrame([[2], [0]], index=[a.key for a in authors], columns=[topic])
    return html_report.Page(
        f"Title {text}",
        f"window {text}",
        f"gen {text}",
        f"v {text}",
        authors,
        {topic: "#4e79a7"},
        methods,
        matrix,
        png,
        linked,
        f"overview {text}",
    )


def test_direct_render_escapes_every_field_from_data():
    page = html_report.render(page_of(HOSTILE + ' "quotes" & ampersands'))
    assert "<script" not in page.lower()
    assert "<title>Title &lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands</title>" in page
    assert '<a href="charts/&lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands.svg">' in page
    assert '<p class="note">no cloud &lt;script&gt;' in page  # a cloud note without a cloud
    assert "<li>note &lt;script&gt;alert(1)&lt;/script&gt; &quot;quotes&quot; &amp; ampersands</li>\n</ul>" in page


MARKUP_CHARS = st.sampled_from(list("<>&\"'=/;# abi"))  # what markup is made of, so tags and entities get drawn


@settings(max_examples=60, deadline=None)
# Lone surrogates (category Cs) never reach the page: compute_report replaces them first (text.clean_control;
# test_a_lone_surrogate_in_a_record_becomes_the_replacement_character below).
@pytest.mark.slow
@given(st.text(st.one_of(MARKUP_CHARS, st.characters(blacklist_categories=("Cs",))), max_size=30))
def test_no_string_from_data_changes_the_page_structure(text):
    """Whatever a title, name or path holds, the parser finds the same elements and reads the string back."""
    parsed, plain = Parsed(html_report.render(page_of(text))), Parsed(html_report.render(page_of("x")))
    assert [tag for tag, _ in parsed.tags] == [tag for tag, _ in plain.tags]
    assert [sorted(attrs) for _, attrs in parsed.tags] == [sorted(attrs) for _, attrs in plain.tags]
    assert f"Title {text}" in parsed.text and f"Name {text}" in parsed.text
    images = [attrs for tag, attrs in parsed.tags if tag == "img"]
    assert images[0]["alt"] == f"alt {text}" and images[0]["src"].startswith("data:image/png;base64,")
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    key = f"#author-k{text}"
    assert [link for link in links if link.startswith("#") and link != "#top"] == [  # the contents
        "#overview",
        key,
        f"{key}-topics",
        f"{key}-years",
        f"{key}-cloud",
        f"{key}-papers",
        "#author-b",
        "#author-b-topics",
        "#author-b-cloud",
        "#methods",
    ]
    assert links.count("#top") == 4  # back to the top from the overview, each author and the methods
    assert [link for link in links if not link.startswith("#")] == [f"charts/{text}.svg"] * 3  # the charts not embedded


def test_the_template_ships_as_package_data_and_marks_nothing_safe():
    folder = resources.files("authorstats") / "data" / "templates"
    templates = [f for f in folder.iterdir() if f.name.endswith(".j2")]
    assert "report.html.j2" in [f.name for f in templates]
    for template in templates:
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", text), template.name
    assert not (resources.files("authorstats") / "data" / "report.html").is_file()  # the old string.Template page


def test_the_page_is_self_contained(built):
    page = (built / "reports" / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img src="([^"]*)"', page)
    # per author: bars, by-year, cloud; then the heatmap and the shares chart; the topic trends (the fixture's
    # records have neither author lists nor citation counts: no network, no citation chart); then per author the
    # chart beside the seminar's table (compared by default: the bundled roster and 2021-2022)
    assert len(sources) == 2 * 3 + 2 + 1 + 2
    assert all(s.startswith("data:image/png;base64,") for s in sources)
    assert not re.search(r'(src|href)="(https?:)?//', page)
    assert "<link" not in page


def test_page_has_each_authors_table_and_the_methods(built):
    page = (built / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'id="author-lecun"' in page and 'id="author-hinton"' in page
    assert '<tr class="total"><td>Total</td><td class="num">3</td></tr>' in page
    methods = page[page.index('id="methods"') :]
    assert "2024-05-01 to 2024-05-02" in methods  # LeCun's fetch dates
    assert "Manual labels: 1 label in data/labels.csv matched 1 record" in methods
    assert "<td>Neuroscience <em>(manual)</em></td>" in page  # the labelled paper in Hinton's list
    assert "Taxonomy: bundled taxonomy" in methods
    for package in ("authorstats", "pandas", "matplotlib", "wordcloud", "scholarly"):
        assert re.search(rf"{package} \d", methods), package
    assert re.search(r"<td>Yann LeCun</td><td>import</td><td>[^<]*</td><td class=\"num\">3</td>", methods)


def test_summary_md_has_the_tables_that_match_the_csv_files(built):
    text = (built / "reports" / "summary.md").read_text(encoding="utf-8")
    for key, name in (("lecun", "Yann LeCun"), ("hinton", "Geoffrey Hinton")):
        table = pd.read_csv(built / "reports" / f"{key}_topics.csv")
        section = text[text.index(f"## {name}\n") :]
        assert f"| **Total** | **{table.iloc[0]['Count']}** |" in section
        for topic, count in table.iloc[1:].itertuples(index=False):
            assert f"| {topic} | {count} |" in section
    assert "| Topic | Yann LeCun | Geoffrey Hinton |" in text
    assert "### Yann LeCun: topics by year" in text


def test_markdown_cells_escape_pipes_so_rows_keep_their_columns():
    assert summary.cell("a|b") == r"a\|b"
    assert summary.cell("two\nlines") == "two lines"
    md = summary.table(["Topic", "Count"], [["Vision | Language", 3]], [False, True])
    rows = md.splitlines()
    assert all(len(re.split(r"(?<!\\)\|", row)) == 4 for row in rows)


@pytest.mark.slow
def test_svg_format_writes_svg_charts_and_embeds_them(fixture_ws):
    report(fixture_ws, "--format", "svg", "--no-clouds")
    reports = fixture_ws / "reports"
    svgs = sorted(p.name for p in reports.glob("*.svg"))
    assert svgs == [
        "hinton_by_year.svg",
        "hinton_reference.svg",
        "hinton_table.svg",
        "hinton_topics.svg",
        "lecun_by_year.svg",
        "lecun_reference.svg",
        "lecun_table.svg",
        "lecun_topics.svg",
        "topic_heatmap.svg",
        "topic_shares.svg",
        "topic_trends.svg",
    ]
    assert not list(reports.glob("*.png"))
    for name in svgs:
        assert ET.parse(reports / name).getroot().tag.endswith("svg")
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/svg+xml;base64,") == 9  # the table pictures are files only


def test_unknown_format_is_a_usage_error(fixture_ws):
    result = run("report", "-w", str(fixture_ws), "--format", "gif")
    assert result.exit_code == 2
    assert "gif" in result.output


@pytest.mark.slow
def test_open_opens_the_written_index_in_the_browser(fixture_ws, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    report(fixture_ws, "--no-clouds", "--open")
    assert opened == [(fixture_ws / "reports" / "index.html").resolve().as_uri()]


@pytest.mark.slow
def test_without_open_no_browser_is_started(fixture_ws, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    report(fixture_ws, "--no-clouds")
    assert opened == []


@pytest.mark.slow
def test_clouds_from_abstracts_fall_back_to_titles_with_a_warning(fixture_ws):
    result = report(fixture_ws, "--cloud-from", "abstracts")
    assert "hinton: no abstracts known; the word cloud uses titles instead" in result.output
    assert "lecun" not in result.output.split("no abstracts known")[0].splitlines()[-1]
    page = (fixture_ws / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Word cloud of Yann LeCun (abstracts of 2 of 3 papers)" in page
    assert "Word cloud of Geoffrey Hinton (titles of 2 papers)" in page


@pytest.mark.slow
def test_distinctive_clouds_are_drawn_and_named(fixture_ws):
    result = report(fixture_ws, "--distinctive")
    assert (fixture_ws / "reports" / "lecun_wordcloud.png").is_file()
    page = (fixture_ws / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Distinctive words of Yann LeCun against the other authors (titles of 3 papers)" in page
    assert "distinctive words (smoothed log-odds" in page
    assert "warning" not in result.output


def test_log_odds_ranks_own_words_over_shared_ones_and_is_antisymmetric():
    mine = {"capsule": 5, "network": 5, "rare": 1}
    others = {"network": 5, "causal": 6}
    z = words.log_odds_z(mine, others)
    assert z["capsule"] > z["rare"] > 0  # more evidence, more distinctive
    assert z["capsule"] > z["network"]
    assert z["causal"] < 0  # used by the others, not by this author
    back = words.log_odds_z(others, mine)
    assert all(z[w] == pytest.approx(-back[w]) for w in z)


def test_distinctive_frequencies_keep_only_over_represented_words():
    stop = load_stopwords()
    weights = words.distinctive_frequencies(
        ["Capsules for vision", "Capsules and routing"], ["Causal vision", "Causal routing models"], stop
    )
    assert list(weights)[0] == "capsules"
    assert "causal" not in weights and "vision" not in weights
    assert all(v > 0 for v in weights.values())


FRAME = pd.DataFrame(
    {"author": ["a", "a", "a", "b"], "year": [2021, 2022, 2022, 2021], "topic": ["RL", "RL", "Physics", "Physics"]}
)
TOPICS = ["RL", "Physics", "Other"]
COLORS = charts.topic_colors(TOPICS)


def test_heatmap_cells_show_the_author_topic_counts():
    matrix = tables.author_topic_matrix(FRAME, ["a", "b"], TOPICS)
    fig, ax = charts.new_figure(4, 3, 50)
    charts.draw_heatmap(ax, matrix, {"a": "Ann", "b": "Bob"}, "t")
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0", "0", "1", "0"]  # authors down, topics across
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Ann", "Bob"]
    assert [t.get_text() for t in ax.get_xticklabels()] == TOPICS
    charts.figure_bytes(fig)


def test_heatmap_grows_one_fixed_row_per_author_and_never_wider():
    def size(n_authors):
        keys = [f"a{i:02d}" for i in range(n_authors)]  # names of one width
        frame = pd.DataFrame({"author": keys, "year": 2021, "topic": "RL"})
        fig, ax = charts.new_figure(4, 3, 50)
        charts.draw_heatmap(ax, tables.author_topic_matrix(frame, keys, TOPICS), None, "t")
        width, height = fig.get_size_inches()
        charts.close(fig)
        return width, height

    (w10, h10), (w40, h40) = size(10), size(40)
    assert w40 == pytest.approx(w10)
    assert h40 - h10 == pytest.approx(30 * charts.HEATMAP_CELL[1])


def test_topics_by_year_stacks_each_years_topics_in_their_colours():
    by_year = tables.topics_by_year(FRAME[FRAME["author"] == "a"], TOPICS)
    fig, ax = charts.new_figure(6, 4, 50)
    charts.draw_topics_by_year(ax, by_year, COLORS, "t")
    segments = {
        (round(p.get_x() + p.get_width() / 2), to_hex(p.get_facecolor()), p.get_height())
        for p in ax.patches
        if p.get_height()
    }
    assert segments == {(0, COLORS["RL"], 1), (1, COLORS["Physics"], 1), (1, COLORS["RL"], 1)}
    assert [t.get_text() for t in ax.texts] == ["1", "2"]  # totals on top
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Physics", "RL"]  # unused Other left out
    charts.figure_bytes(fig)


def test_shares_bars_fill_each_author_to_one_hundred_percent():
    shares = tables.topic_shares(tables.author_topic_matrix(FRAME, ["a", "b"], TOPICS))
    assert shares.loc["a"].tolist() == pytest.approx([2 / 3, 1 / 3, 0])
    fig, ax = charts.new_figure(8, 3, 50)
    charts.draw_shares(ax, shares, COLORS, {"a": "Ann", "b": "Bob"}, "t")
    widths: dict[float, float] = {}
    for patch in ax.patches:
        widths[round(patch.get_y(), 3)] = widths.get(round(patch.get_y(), 3), 0) + patch.get_width()
    assert sorted(widths.values()) == pytest.approx([1.0, 1.0])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Bob", "Ann"]  # first author on top
    charts.figure_bytes(fig)


# Issue 12, case 9: names, topics, titles and venues from data can neither inject HTML or Markdown into
# summary.md nor bring control characters into any output; data/raw keeps the source's text.

EVIL_NAME = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) *Yann* \\u001b[31mLeCun\\u0000"
EVIL_TOPIC = "<b onmouseover=alert(3)>Arch</b> [y](javascript:alert(4)) _x_"
EVIL_CSV = (
    "author,year,title,venue\n"
    "lecun,2021,A transformer\x00 architecture \x1b[31mfor\x07 vision <img src=x onerror=alert(5)>,"
    "ICLR\x1b]0;owned\x07 [z](javascript:alert(6))\n"
    "lecun,2022,Self-supervised learning\x85 of\x0b video\t features,NeurIPS\x9b 2022\n"
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # any control character but \t \n \r


@pytest.fixture(scope="module")
def evil_report(tmp_path_factory):
    """A report (SVG charts) of imported records, a roster and a taxonomy full of HTML, Markdown and control
    characters; gives the workspace and the input files with their bytes before the run."""
    tmp_path = tmp_path_factory.mktemp("evil")
    workspace = tmp_path / "ws"
    workspace.mkdir()
    csv = tmp_path / "evil.csv"
    csv.write_bytes(EVIL_CSV.encode("utf-8"))
    roster = tmp_path / "roster.toml"
    roster.write_text(f'[[author]]\nkey = "lecun"\nname = "{EVIL_NAME}"\nscholar = "WLN3QrAAAAAJ"\n', encoding="utf-8")
    text = resources.files("authorstats.data").joinpath("taxonomy.toml").read_text(encoding="utf-8")
    taxonomy = tmp_path / "taxonomy.toml"
    text = text.split("\n# Groupings:")[0]  # its groupings name the topics as they were
    taxonomy.write_text(text.replace('name = "Architecture"', f'name = "{EVIL_TOPIC}"'), encoding="utf-8")
    inputs = {p: p.read_bytes() for p in (csv, roster, taxonomy)}

    imported = run("import", str(csv), "-w", str(workspace))
    result = run(
        "report",
        "-w",
        str(workspace),
        "--roster",
        str(roster),
        "--taxonomy",
        str(taxonomy),
        "--format",
        "svg",
        "--no-clouds",
        "--dpi",
        "50",
        "--no-snapshot",
    )

    assert imported.exit_code == 0, imported.output
    assert result.exit_code == 0, result.output
    return workspace, inputs


def test_no_output_has_control_characters_and_svg_charts_stay_xml(evil_report):
    workspace, inputs = evil_report
    assert {p: p.read_bytes() for p in inputs} == inputs
    raw = [json.loads(line) for line in (workspace / "data" / "raw" / "import" / "lecun.jsonl").open(encoding="utf-8")]
    assert "\x00" in raw[0]["title"] and "\x1b" in raw[0]["venue"]  # data/raw keeps the source's text
    outputs = [p for folder in ("reports", "data/processed") for p in (workspace / folder).iterdir()]
    assert len(outputs) >= 10
    for path in outputs:
        if path.suffix == ".db":  # SQLite: every text value in it
            with contextlib.closing(sqlite3.connect(path)) as db:
                for (name,) in db.execute("select name from sqlite_master where type = 'table'").fetchall():
                    for row in db.execute(f'select * from "{name}"'):
                        assert not [v for v in row if isinstance(v, str) and CONTROL.search(v)], name
            continue
        assert not CONTROL.search(path.read_text(encoding="utf-8")), path.name
        if path.suffix == ".svg":
            ET.parse(path)  # valid XML
    publications = pd.read_csv(workspace / "data" / "processed" / "publications.csv", keep_default_na=False)
    assert sorted(publications["title"]) == [
        "A transformer architecture [31mfor vision <img src=x onerror=alert(5)>",
        "Self-supervised learning of video features",
    ]


def test_summary_md_escapes_html_and_markdown_from_data(evil_report):
    from markdown_it import MarkdownIt

    workspace, _ = evil_report
    summary_md = (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
    assert r"&lt;img src=x onerror=alert(1)&gt; \[x\](javascript:alert(1)) \*Yann\* \[31mLeCun" in summary_md
    assert r"&lt;b onmouseover=alert(3)&gt;Arch&lt;/b&gt; \[y\](javascript:alert(4)) \_x\_" in summary_md
    shown = MarkdownIt("commonmark", {"html": True}).enable("table").render(summary_md)
    tags = re.findall(r"<(\w+)", shown)
    assert set(tags) <= {"h1", "h2", "h3", "p", "em", "strong", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert "javascript:alert(1)" in shown and "href" not in shown


def test_markdown_cells_escape_what_data_could_inject():
    assert summary.cell("<img src=x>") == "&lt;img src=x&gt;"
    assert summary.cell("[x](javascript:alert(1))") == r"\[x\](javascript:alert(1))"
    assert summary.cell(r"$x^2$ *b* _i_ ~s~ `c` \ |") == r"\$x^2\$ \*b\* \_i\_ \~s\~ \`c\` \\ \|"
    assert summary.cell("AT&amp;T & Co") == "AT&amp;amp;T & Co"  # an entity shows as typed; a lone & is text
    assert summary.cell("a\x00b\x1b[31m\x85c") == r"ab\[31m c"


def test_a_lone_surrogate_in_a_record_becomes_the_replacement_character():
    """A JSON "\\ud800" escape decodes to a lone surrogate, which no UTF-8 file can hold and pandas' Arrow-backed
    strings refuse: the report shows U+FFFD in its place instead of failing."""
    import dataclasses

    import authorstats

    records = authorstats.snapshot_records()
    title = json.loads('"Self-supervised learning \\ud800 of video"')
    assert "\ud800" in title
    records[0] = dataclasses.replace(records[0], title=title)
    data = authorstats.compute_report(
        records, roster=authorstats.load_roster(), taxonomy=authorstats.load_taxonomy(), years="2021-2022"
    )
    titles = data.publications["title"].tolist()
    assert "Self-supervised learning \ufffd of video" in titles
    assert not any("\ud800" in t for t in titles)
    assert int(data.table(records[0].author).iloc[0, 1]) == {"bengio": 72, "lecun": 33, "hinton": 15}[records[0].author]


def test_templates_compiled_by_an_earlier_run_give_the_same_page_and_a_cache_that_cannot_be_written_is_no_error(
    tmp_path, monkeypatch
):
    import jinja2

    from authorstats.shell import page_templates

    page = page_of(HOSTILE)
    plain = html_report.render(page)
    kept = jinja2.FileSystemBytecodeCache(str(tmp_path))
    assert html_report.render(page, kept) == plain  # compiles and keeps the templates
    assert list(tmp_path.iterdir())
    assert html_report.render(page, jinja2.FileSystemBytecodeCache(str(tmp_path))) == plain  # read back

    def refused(*args, **kwargs):
        raise OSError(28, "No space left on device")

    page_templates.compiled_templates.cache_clear()
    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", refused)
    monkeypatch.setattr(jinja2.bccache.tempfile, "gettempdir", lambda: str(tmp_path / "elsewhere"))
    (tmp_path / "elsewhere").mkdir()
    full = page_templates.compiled_templates()
    assert full is not None
    assert html_report.render(page_of("other text"), full) == html_report.render(page_of("other text"))
    page_templates.compiled_templates.cache_clear()


def test_a_template_compiled_by_another_program_with_other_settings_is_not_used(tmp_path, monkeypatch):
    """Jinja's cache checks a template's source, not the settings it was compiled with (escaping, whitespace)."""
    import jinja2

    from authorstats.shell import page_templates

    page = page_of("it's <b>")
    plain = html_report.render(page)
    monkeypatch.setattr(jinja2.bccache.tempfile, "gettempdir", lambda: str(tmp_path))
    other = jinja2.Environment(loader=jinja2.PackageLoader("authorstats", "data/templates"), autoescape=False)
    other.bytecode_cache = jinja2.FileSystemBytecodeCache()
    other.get_template("report.html.j2")  # compiled without the page's escaping, kept in the same folder
    page_templates.compiled_templates.cache_clear()
    try:
        assert html_report.render(page, page_templates.compiled_templates()) == plain
    finally:
        page_templates.compiled_templates.cache_clear()
