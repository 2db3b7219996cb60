"""Beyond topic counts (issue 14): co-authors, name merges, venues and citations per topic."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx
import pandas as pd
import pytest
import respx
from scholar_pages import HINTON, fixture
from typer.testing import CliRunner

import authorstats
from authorstats.analysis import collaborators as collab
from authorstats.analysis.impact import ALL_TOPICS, h_index
from authorstats.analysis.impact import COLUMNS as IMPACT_COLUMNS
from authorstats.analysis.network import MAX_NODES, network
from authorstats.analysis.report import compute_report
from authorstats.analysis.venues import NO_VENUE, venue_name
from authorstats.cli import app
from authorstats.config.venues import parse_venues
from authorstats.errors import BadInputError
from authorstats.models import Author, YearWindow
from authorstats.names import NameMatcher
from authorstats.shell import config_files
from authorstats.shell.report import report_options
from authorstats.sources import openalex, scholar

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures"
ROSTER = config_files.load_roster()


@pytest.fixture(scope="module")
def snapshot_report(shared_report) -> Path:
    """The workspace of the bundled snapshot's report (conftest.py; read only)."""
    return shared_report[0]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Geoffrey E. Hinton", "Geoffrey Hinton"),
        ("Yann Lecun", "Yann LeCun"),
        ("yann lecun", "Yann LeCun"),
        ("Bernhard Scholkopf", "Bernhard Schölkopf"),
        ("LeCun, Yann", "Yann LeCun"),
        ("Michael C. Mozer", "Michael Mozer"),
    ],
)
def test_spellings_of_one_name_share_a_key(a, b):
    assert collab.name_key(a) == collab.name_key(b)


@pytest.mark.parametrize(
    "a, b", [("Y. Bengio", "S. Bengio"), ("Yoshua Bengio", "Emmanuel Bengio"), ("Ting Chen", "Yubei Chen")]
)
def test_different_people_keep_apart(a, b):
    assert collab.name_key(a) != collab.name_key(b)


@pytest.mark.parametrize(
    "name, same",
    [
        ("Y. Bengio", True),
        ("Bengio, Yoshua", True),
        ("Yoshua  BENGIO", True),
        ("Bengio Y", True),
        ("Emmanuel Bengio", False),
        ("S. Bengio", False),
        ("Bengio", False),
    ],
)
def test_who_counts_as_the_roster_author_themselves(name, same):
    assert is_same_person(name, ROSTER[0]) is same


def is_same_person(name: str, author: Author) -> bool:
    """Whether the report leaves ``name`` out of ``author``'s co-authors: the name matcher imports use too."""
    return NameMatcher.of([author]).is_author(author.key, name)


# --- collaborators on the bundled snapshot -------------------------------------------------------------


def test_collaborators_csv_of_the_snapshot_lists_shared_coauthors_and_never_the_author(snapshot_report):
    rows = read_csv(snapshot_report / "reports" / "collaborators.csv")
    assert list(rows[0]) == collab.COLUMNS
    roster = {a.key: a for a in ROSTER}
    by_author: dict[str, set[str]] = {}
    for row in rows:
        assert not is_same_person(row["coauthor"], roster[row["author_key"]]), row
        by_author.setdefault(row["author_key"], set()).add(row["coauthor"])
    # The snapshot's author lists (tests read the same file): co-authors of both Bengio and LeCun.
    snapshot = authorstats.snapshot_records()

    def coauthors(key: str) -> set[str]:
        return {
            collab.name_key(n)
            for r in snapshot
            if r.author == key
            for n in r.authors
            if not is_same_person(n, roster[key])
        }

    shared = coauthors("bengio") & coauthors("lecun")
    assert shared and {collab.name_key(n) for n in by_author["bengio"] & by_author["lecun"]} == shared
    assert "Yann LeCun" in by_author["bengio"] and "Yoshua Bengio" in by_author["lecun"]
    assert "Yann Lecun" not in by_author["bengio"] and "Geoffrey E. Hinton" not in by_author["bengio"]


def test_each_collaborators_row_counts_the_joint_papers_with_their_topics(snapshot_report):
    papers = read_csv(snapshot_report / "data" / "processed" / "publications.csv")
    rows = read_csv(snapshot_report / "reports" / "collaborators.csv")
    for row in rows[:40] + rows[-40:]:
        joint = [
            p
            for p in papers
            if p["author"] == row["author_key"]
            and collab.name_key(row["coauthor"]) in {collab.name_key(n) for n in p["authors"].split("; ")}
        ]
        assert int(row["papers"]) == len(joint)
        topics = {}
        for p in joint:
            topics[p["topic"]] = topics.get(p["topic"], 0) + 1
        assert row["topics"] == "; ".join(f"{t} ({n})" for t, n in sorted(topics.items(), key=lambda i: (-i[1], i[0])))
        years = [int(p["year"]) for p in joint]
        assert (int(row["first_year"]), int(row["last_year"])) == (min(years), max(years))


def test_name_merges_lists_every_spelling_counted_as_another(snapshot_report):
    merges = read_csv(snapshot_report / "data" / "processed" / "name_merges.csv")
    pairs = {(m["name"], m["merged_into"]) for m in merges}
    assert ("Yann Lecun", "Yann LeCun") in pairs and ("Geoffrey E. Hinton", "Geoffrey Hinton") in pairs
    for m in merges:
        assert collab.name_key(m["name"]) == collab.name_key(m["merged_into"]) and m["name"] != m["merged_into"]
    shown = {r["coauthor"] for r in read_csv(snapshot_report / "reports" / "collaborators.csv")}
    assert not shown & {m["name"] for m in merges}


def test_records_without_author_lists_count_for_no_one():
    frame = pd.DataFrame(
        {
            "author": ["hinton", "hinton"],
            "year": [2021, 2022],
            "topic": ["Vision", "Vision"],
            "authors": ["Geoffrey Hinton; Ting Chen", ""],
        }
    )
    result = collab.collaborators(frame, ROSTER)
    assert result.table[["coauthor", "papers"]].values.tolist() == [["Ting Chen", 1]]
    assert result.without_authors == {"hinton": 1}


def test_the_network_shows_the_roster_and_at_most_sixty_people(snapshot_report):
    data = compute_report(
        authorstats.snapshot_records(),
        roster=ROSTER,
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=report_options(clouds=False),
    )
    assert data.collaboration is not None
    net = network(data.collaboration, ROSTER)
    ids = [n.id for n in net.nodes]
    assert len(ids) == MAX_NODES == len(set(ids))
    assert {"bengio", "lecun", "hinton"} <= set(ids)
    shared = {n.label for n in net.nodes if n.kind == "shared"}
    t = data.collaboration.table
    both = set(t[t.author_key == "bengio"].coauthor) & set(t[t.author_key == "lecun"].coauthor) - {"Geoffrey Hinton"}
    assert both <= shared
    assert ("bengio", "lecun", 1) in net.edges  # roster authors who wrote together are linked, not duplicated
    outsiders = {collab.name_key(c) for c in t.coauthor if not any(is_same_person(c, a) for a in ROSTER)}
    assert net.hidden_people == len(outsiders) - (len(ids) - 3) > 0
    png = (snapshot_report / "reports" / "coauthor_network.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


# --- venues ----------------------------------------------------------------------------------------


ALIASES = config_files.load_venues()


@pytest.mark.parametrize(
    "text, name",
    [
        ("NeurIPS 2022 [Poster]", "NeurIPS"),
        ("Advances in Neural Information Processing Systems 35", "NeurIPS"),
        ("NeurIPS 2022 (Datasets & Benchmarks track)", "NeurIPS"),
        ("arXiv:2111.09266", "arXiv"),
        ("arXiv preprint arXiv:2212.13345 2 (3), 5, 2022", "arXiv"),  # Scholar's list row (tests/fixtures/scholar)
        ("arXiv (Cornell University)", "arXiv"),  # OpenAlex's source name (tests/fixtures/openalex)
        ("2022 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)", "CVPR"),
        ("Proceedings of the Thirty-Eighth Conference on Uncertainty in Artificial Intelligence (PMLR 180)", "UAI"),
        ("ICML 2022 Workshop on Pre-training (poster); arXiv:2207.10081", "ICML Workshop"),
        ("arXiv:2205.11101 (23 May 2022); NeurIPS 2022 Workshop on Federated Learning (oral)", "arXiv"),
        ("Neural Computation 35 (3), 413-452, 2021", "Neural Computation"),
        ("", NO_VENUE),
        ("   ", NO_VENUE),
    ],
)
def test_venue_strings_are_named_by_the_aliases(text, name):
    assert venue_name(text, ALIASES) == name


def test_venues_csv_of_the_snapshot_has_one_spelling_per_venue(snapshot_report):
    rows = read_csv(snapshot_report / "reports" / "venues.csv")
    venues = {r["venue"] for r in rows}
    assert {"NeurIPS", "ICLR", "ICML", "arXiv"} <= venues
    assert not any(v.lower() in {"nips", "neurips 2022", "arxiv preprint"} or "[" in v for v in venues)
    folded = {}
    for v in venues:
        folded.setdefault(v.casefold(), set()).add(v)
    assert all(len(s) == 1 for s in folded.values())
    papers = read_csv(snapshot_report / "data" / "processed" / "publications.csv")
    for key in ("bengio", "lecun", "hinton"):
        assert sum(int(r["papers"]) for r in rows if r["author_key"] == key) == sum(p["author"] == key for p in papers)


def test_your_own_venue_aliases_rename_venues(tmp_path):
    mine = parse_venues(
        '[[venue]]\nname = "Neural Computation (MIT Press)"\naliases = ["Neural Comput"]\n', "mine.toml"
    )
    assert venue_name("Neural Comput. 35(3)", mine) == "Neural Computation (MIT Press)"
    assert venue_name("NeurIPS 2022 [Poster]", mine) == "NeurIPS"  # not an alias here: cleaned only


@pytest.mark.parametrize(
    "text, fix",
    [
        ("[[venue]]\naliases = ['x']\n", "name"),
        ("[[venue]]\nname = 'A'\naliases = 'A'\n", "list of strings"),
        ("[[venue]]\nname = 'A'\n[[venue]]\nname = 'B'\naliases = ['a']\n", "both"),
        ("[[venue]]\nname = 'A'\ncolour = 'red'\n", "table of name and aliases"),
        ("venue = [", "not valid TOML"),
    ],
)
def test_bad_venue_aliases_are_refused_with_the_fix(text, fix):
    with pytest.raises(BadInputError, match=fix):
        parse_venues(text, "venues.toml")


@pytest.mark.slow
def test_report_takes_your_venue_aliases_file(tmp_path):
    aliases = tmp_path / "venues.toml"
    aliases.write_text(
        '[[venue]]\nname = "Conference on Neural Information Processing"\naliases = ["NeurIPS"]\n', encoding="utf-8"
    )
    ws = tmp_path / "ws"
    ws.mkdir()
    result = runner.invoke(
        app, ["report", "-w", str(ws), "--no-clouds", "--dpi", "50", "-a", "hinton", "--venues", str(aliases)]
    )
    assert result.exit_code == 0, result.output
    venues = {r["venue"] for r in read_csv(ws / "reports" / "venues.csv")}
    assert "Conference on Neural Information Processing" in venues and "NeurIPS" not in venues
    aliases.write_text("[[venue]]\n", encoding="utf-8")
    result = runner.invoke(app, ["report", "-w", str(ws), "--no-clouds", "-a", "hinton", "--venues", str(aliases)])
    assert result.exit_code == 2 and "Traceback" not in result.output and "no name" in result.output


# --- citations -------------------------------------------------------------------------------------


def test_h_index_by_hand():
    assert h_index([]) == 0
    assert h_index([0, 0]) == 0
    assert h_index([650, 0, 420]) == 2
    assert h_index([10, 8, 5, 4, 3]) == 4
    assert h_index([3, 3, 3]) == 3


def test_the_snapshot_has_no_counts_and_says_so_never_zero(snapshot_report):
    text = (snapshot_report / "reports" / "impact.csv").read_text(encoding="utf-8")
    assert text.strip() == ",".join(IMPACT_COLUMNS)
    summary = (snapshot_report / "reports" / "summary.md").read_text(encoding="utf-8")
    page = (snapshot_report / "reports" / "index.html").read_text(encoding="utf-8")
    for out in (summary, page):
        assert out.count("no citation counts in this data") == 3
        assert "Google Scholar" in out and "OpenAlex" in out
    assert not (snapshot_report / "reports" / "impact.png").exists()


@pytest.fixture
def cited_records():
    """Records with citation counts: Hinton's Scholar list page and LeCun's OpenAlex works (tests/fixtures)."""
    scholar_polite = scholar.polite_sleep
    scholar.polite_sleep = lambda seconds: None
    try:
        with respx.mock() as mock:
            mock.get(url__startswith="https://scholar.google.com/citations").return_value = httpx.Response(
                200, html=fixture("profile.html")
            )
            hinton = list(
                scholar.ScholarSource(httpx.Client()).fetch(
                    Author("hinton", "Geoffrey Hinton", scholar_id=HINTON), YearWindow(2021, 2022)
                )
            )
    finally:
        scholar.polite_sleep = scholar_polite
    lecun = []
    for page in ("works_page1.json", "works_page2.json"):
        for work in json.loads((FIXTURES / "openalex" / page).read_text(encoding="utf-8"))["results"]:
            record = openalex.parse_work(work, "lecun", "2026-11-30T10:00:00+00:00")
            if record is not None:
                lecun.append(record)
    return hinton + lecun


def test_impact_of_scholar_and_openalex_fixtures_matches_hand_computed_values(cited_records, tmp_path):
    data = compute_report(
        cited_records,
        roster=ROSTER,
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=report_options(clouds=False),
    )
    assert data.impact is not None
    table = data.impact.table
    total = {r.author_key: r for r in table[table.topic == ALL_TOPICS].itertuples()}
    # Scholar: 650 (forward-forward), 0, 420 -> 1070, median 420, h-index 2
    hinton = total["hinton"]
    assert (
        hinton.papers,
        hinton.papers_with_citations,
        hinton.citations,
        hinton.median_citations,
        hinton.h_index,
        hinton.most_cited_citations,
    ) == (3, 3, 1070, 420.0, 2, 650)
    assert hinton.most_cited.startswith("The forward\u2013forward algorithm")
    # OpenAlex: 412 (VICReg), 650 (A Path Towards...), 120 (MSN) -> 1182, median 412, h-index 3
    lecun = total["lecun"]
    assert (lecun.papers, lecun.citations, lecun.median_citations, lecun.h_index) == (3, 1182, 412.0, 3)
    assert lecun.most_cited == "A Path Towards Autonomous Machine Intelligence" and lecun.fetched == "2026-11-30"
    assert data.impact.without_counts == {"bengio": ()}
    # each topic's row: the same sums over that topic's papers
    papers = data.publications
    for row in table[table.topic != ALL_TOPICS].itertuples():
        mine = papers[(papers.author == row.author_key) & (papers.topic == row.topic)]
        counts = sorted((int(c) for c in mine.citations), reverse=True)
        assert (row.papers, row.citations, row.h_index) == (len(mine), sum(counts), h_index(counts))
        assert row.median_citations == pd.Series(counts).median()


def test_an_author_with_some_counts_missing_gets_no_invented_zeros(cited_records):
    import dataclasses

    records = [dataclasses.replace(r, citations=None) if r.title.startswith("Masked") else r for r in cited_records]
    data = compute_report(
        records,
        roster=ROSTER[1:2],
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=report_options(clouds=False),
    )
    assert data.impact is not None
    row = data.impact.table.iloc[0]
    assert (row.papers, row.papers_with_citations, row.citations) == (3, 2, 1062)
    assert row.h_index == 2 and row.median_citations == 531.0  # of 650 and 412
    masked = data.impact.table[
        data.impact.table.topic
        == data.publications.set_index("title").loc["Masked Siamese Networks for Label-Efficient Learning", "topic"]
    ]
    if int(masked.papers.iloc[0]) == 1:  # the only paper of its topic: its row has no count at all
        assert masked[["citations", "median_citations", "h_index", "most_cited"]].isna().all(axis=None)


@pytest.mark.slow
def test_the_report_shows_citations_when_known(cited_records, tmp_path):
    from authorstats.shell import report as reporting
    from authorstats.shell import store

    ws = store.Workspace(tmp_path)
    data = compute_report(
        cited_records,
        roster=ROSTER[1:3],
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=report_options(clouds=False),
    )
    reporting.save_report(ws, data, reporting.SaveOptions(chart_dpi=50, workers=1))
    rows = read_csv(tmp_path / "reports" / "impact.csv")
    assert [r["topic"] for r in rows if r["author_key"] == "lecun"][0] == ALL_TOPICS
    assert {r["author_key"] for r in rows} == {"lecun", "hinton"}
    page = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "no citation counts in this data" not in page and "1,182" in page and "1,070" in page
    assert "&lt;negative&gt;" in page and "<negative>" not in page  # the most-cited title, escaped
    assert (tmp_path / "reports" / "impact.png").read_bytes()[:4] == b"\x89PNG"
    summary = (tmp_path / "reports" / "summary.md").read_text(encoding="utf-8")
    assert "| **All topics**" in summary or "| All topics |" in summary
    # Scholar's list rows have no author lists: the co-author section says so
    assert "3 of 3 papers have no author list" in page
