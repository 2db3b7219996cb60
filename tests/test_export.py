"""`authorstats export` (issue 14): the window's works as BibTeX, RIS, CSL JSON and CSV, read back with real
parsers (bibtexparser 1.x, rispy, json, csv), hostile titles included."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import bibtexparser
import pytest
import rispy
from bibtexparser.bparser import BibTexParser
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.models import Publication
from authorstats.render.spreadsheet import restore
from authorstats.shell import store

runner = CliRunner()

# Titles that break naive writers: LaTeX specials, braces (balanced and not), quotes, a formula, non-ASCII.
HOSTILE = [
    "Braces {in} a }title{ with 100% & \"quotes\" and 'single' ones",
    "Costs $5 #1 a_b ~x^2 back\\slash \\emph{not a command}",
    "Über λ-Kalkül «représentations» 表現学習 — “curly” quotes",
    '=HYPERLINK("http://evil.example")',
    "Same Title Twice",
    "Same title twice",
]


def latex_unescape(text: str) -> str:
    """Undo the escapes BibTeX needs (the table of render.export's docstring), as a LaTeX reader would."""
    for command, char in [
        (r"\textbackslash{}", "\\"),
        (r"\textasciitilde{}", "~"),
        (r"\textasciicircum{}", "^"),
        (r"\textbraceleft{}", "{"),
        (r"\textbraceright{}", "}"),
    ]:
        text = text.replace(command, char)
    return re.sub(r"\\([{}%&$#_])", r"\1", text)


@pytest.fixture
def hostile_workspace(workspace: Path) -> Path:
    records = [
        Publication(
            author="lecun",
            title=HOSTILE[0],
            year=2021,
            source="import",
            venue="NeurIPS 2021 [Poster]",
            authors=("Yann LeCun", "Zoë O'Neil-Brace", "Rémi Le Priol"),
            doi="10.1000/abc{1}%",
            citations=3,
            extra={"url": "https://example.org/paper?a=1&b=2"},
        ),
        Publication(
            author="lecun",
            title=HOSTILE[1],
            year=2022,
            source="import",
            venue="arXiv:2201.00001",
            extra={"arxiv_id": "2201.00001"},
        ),
        Publication(
            author="lecun",
            title=HOSTILE[2],
            year=2022,
            source="import",
            venue="Journal of Machine Learning Research 23",
            authors=("Yann LeCun", "Jean-Pierre Dupont"),
        ),
        Publication(author="lecun", title=HOSTILE[3], year=2022, source="import", authors=("Yann LeCun",)),
        Publication(author="lecun", title=HOSTILE[4], year=2021, source="import", authors=("Yann LeCun",)),
        Publication(author="lecun", title="Another " + HOSTILE[5], year=2021, source="import", authors=("Yann LeCun",)),
        Publication(
            author="hinton", title=HOSTILE[4], year=2021, source="import", authors=("Yann LeCun", "Geoffrey Hinton")
        ),
    ]
    for key in ("lecun", "hinton"):
        store.write_jsonl(store.Workspace(workspace).raw_file("import", key), [r for r in records if r.author == key])
    return workspace


def export(
    workspace: Path, fmt: str, *args: str, authors: tuple[str, ...] = ("lecun", "hinton"), snapshot: bool = False
) -> str:
    """The export of the workspace's records (``snapshot``: with the bundled works its authors also get)."""
    chosen = [option for key in authors for option in ("-a", key)]
    bundled = [] if snapshot else ["--no-snapshot"]
    result = runner.invoke(app, ["export", "-w", str(workspace), *chosen, "--format", fmt, *bundled, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_bibtex_parses_back_with_unique_keys_and_every_title_intact(hostile_workspace):
    text = export(hostile_workspace, "bibtex")
    entries = bibtexparser.loads(text, BibTexParser(common_strings=True)).entries
    titles = sorted(latex_unescape(e["title"])[1:-1] for e in entries)  # the inner braces keep the case
    assert titles == sorted([*HOSTILE[:5], "Another " + HOSTILE[5]])  # the joint paper of two authors once
    keys = [e["ID"] for e in entries]
    assert len(keys) == len(set(keys)) == 6 and all(re.fullmatch(r"[a-z0-9]+", k) for k in keys)
    first = next(e for e in entries if e["title"].startswith("{Braces"))
    assert first["ENTRYTYPE"] == "inproceedings" and first["booktitle"] == "NeurIPS" and first["year"] == "2021"
    assert first["author"] == "LeCun, Yann and O'Neil-Brace, Zoë and Le Priol, Rémi"
    assert latex_unescape(first["doi"]) == "10.1000/abc{1}%" and first["keywords"]
    assert latex_unescape(first["url"]) == "https://example.org/paper?a=1&b=2"
    preprint = next(e for e in entries if "emph" in e["title"])
    assert (
        preprint["ENTRYTYPE"] == "misc" and preprint["eprint"] == "2201.00001" and preprint["archiveprefix"] == "arXiv"
    )
    assert preprint["author"] == "LeCun, Yann"  # no author list: the roster author whose list holds it
    journal = next(e for e in entries if e["title"].startswith("{Über"))
    assert journal["ENTRYTYPE"] == "article" and journal["journal"] == "JMLR"


def test_ris_parses_back_with_rispy(hostile_workspace):
    text = export(hostile_workspace, "ris")
    assert text.startswith("TY  - ") and text.endswith("ER  - \n")
    entries = rispy.loads(text)
    assert sorted(e["title"] for e in entries) == sorted([*HOSTILE[:5], "Another " + HOSTILE[5]])
    first = next(e for e in entries if e["title"] == HOSTILE[0])
    assert first["type_of_reference"] == "CPAPER" and first["year"] == "2021"
    assert first["authors"] == ["LeCun, Yann", "O'Neil-Brace, Zoë", "Le Priol, Rémi"]
    assert first["doi"] == "10.1000/abc{1}%" and first["urls"] == ["https://example.org/paper?a=1&b=2"]
    assert first["secondary_title"] == "NeurIPS" and len(first["keywords"]) == 1
    for line in text.splitlines():  # every line a tag, two spaces, a hyphen and a space (or blank between entries)
        assert not line or re.match(r"^[A-Z][A-Z0-9]  - ", line + " "), line


def test_csl_json_parses_back(hostile_workspace):
    items = json.loads(export(hostile_workspace, "csljson"))
    assert sorted(i["title"] for i in items) == sorted([*HOSTILE[:5], "Another " + HOSTILE[5]])
    first = next(i for i in items if i["title"] == HOSTILE[0])
    assert first["type"] == "paper-conference" and first["issued"] == {"date-parts": [[2021]]}
    assert first["author"][2] == {"family": "Le Priol", "given": "Rémi"} and first["DOI"] == "10.1000/abc{1}%"
    assert len({i["id"] for i in items}) == len(items)


def test_csv_reads_back_spreadsheet_safe(hostile_workspace, tmp_path):
    out = tmp_path / "works.csv"
    result = runner.invoke(
        app, ["export", "-w", str(hostile_workspace), "-a", "lecun", "-f", "csv", "--no-snapshot", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 6 works as csv" in result.output  # lecun's six; the joint one with hinton counted once
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    formula = next(r for r in rows if "HYPERLINK" in r["title"])
    assert formula["title"].startswith("'=") and restore(formula["title"]) == HOSTILE[3]
    assert {r["venue_name"] for r in rows} >= {"NeurIPS", "arXiv", "JMLR"}


def test_the_snapshot_exports_one_entry_per_work(shared_report):
    workspace = shared_report[0]  # `report --no-clouds` of the bundled snapshot (conftest.py)
    papers = list(csv.DictReader(open(workspace / "data" / "processed" / "publications.csv", encoding="utf-8")))
    items = json.loads(export(workspace, "csljson", authors=(), snapshot=True))
    assert len(items) == len({(p["title"].casefold(), p["year"]) for p in papers}) < len(papers)
    assert sum(i["title"] == "Deep Learning for AI" for i in items) == 1


def test_writing_the_snapshot_says_why_it_counts_fewer_works_than_the_tables(tmp_path):
    result = runner.invoke(app, ["export", "-w", str(tmp_path), "-f", "csv", "-o", str(tmp_path / "works.csv")])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        f"Wrote 118 works as csv -> {tmp_path / 'works.csv'} (the authors' tables count 120: 1 work is in several "
        'authors\' lists, written once, e.g. "Deep Learning for AI" (bengio; hinton; lecun))'
    )


def test_a_bad_format_is_exit_2_in_one_line(workspace):
    result = runner.invoke(app, ["export", "-w", str(workspace), "--format", "endnote"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_output_into_a_missing_folder_is_refused(workspace, tmp_path):
    result = runner.invoke(app, ["export", "-w", str(workspace), "-o", str(tmp_path / "nope" / "x.bib")])
    assert result.exit_code != 0 and "Traceback" not in result.output and "nope" in result.output
