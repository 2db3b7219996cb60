"""Issue 25, case 5, through the command line: a BibTeX export that every parser reads back whole (a brace of the
text never counts as one), importing it keeps every entry and field, and names are split into their parts."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from bibtexparser.bparser import BibTexParser
from bibtexparser.customization import splitname
from imported import import_, records, runner, skipped, write

from authorstats.cli import app
from authorstats.models import Publication
from authorstats.shell import store

# --- (5) BibTeX export: every parser reads every entry back whole ------------------------------------------

ROUND_TRIP = [
    Publication(
        author="lecun",
        title="Learning on the cube {0,1",
        year=2021,
        source="import",
        venue="NeurIPS 2021",
        authors=("Yann LeCun", "Martin Luther King Jr."),
        doi="10.1000/cube",
        extra={"url": "https://example.org/cube?a=1&b=2"},
    ),
    Publication(
        author="lecun",
        title="Closing } before opening { and 100% \\ back_slash ~ ^ $ #",
        year=2022,
        source="import",
        authors=("Maaten, L. van der", "Yann LeCun"),
        extra={"arxiv_id": "2201.00001"},
    ),
    Publication(
        author="lecun",
        title="An ordinary title",
        year=2022,
        source="import",
        venue="Journal of Machine Learning Research",
        authors=("Yann LeCun", "Søren Hauberg"),
    ),
]


# Each work's authors as (given, family with its particles, suffix).
PEOPLE = {
    ROUND_TRIP[0].title: [("Yann", "LeCun", ""), ("Martin Luther", "King", "Jr.")],
    ROUND_TRIP[1].title: [("L.", "van der Maaten", ""), ("Yann", "LeCun", "")],
    ROUND_TRIP[2].title: [("Yann", "LeCun", ""), ("Søren", "Hauberg", "")],
}


def _parts(name: str) -> tuple[str, str, str]:
    """A name as BibTeX reads it (bibtexparser's splitname)."""
    split = splitname(name)
    return " ".join(split["first"]), " ".join(split["von"] + split["last"]), " ".join(split["jr"])


@pytest.fixture
def exported(workspace: Path, tmp_path: Path) -> Path:
    store.write_jsonl(store.Workspace(workspace).raw_file("import", "lecun"), ROUND_TRIP)
    result = runner.invoke(app, ["export", "-w", str(workspace), "-a", "lecun", "--format", "bibtex", "--no-snapshot"])
    assert result.exit_code == 0, result.output
    return write(tmp_path / "export.bib", result.stdout)


def _braces_balance_as_bibtex_counts_them(entry: str) -> bool:
    depth = 0
    for char in entry:  # BibTeX counts \{ and \} as braces too
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_a_bibtex_export_with_unbalanced_braces_in_titles_is_read_back_whole_by_bibtexparser(exported):
    text = exported.read_text(encoding="utf-8")
    entries = [chunk for chunk in text.split("\n\n") if chunk.strip()]
    assert len(entries) == 3 and all(_braces_balance_as_bibtex_counts_them(e) for e in entries)
    parsed = bibtexparser.loads(text, BibTexParser(common_strings=True)).entries
    assert len(parsed) == 3
    assert all({"title", "author", "year"} <= set(e) for e in parsed)


def test_a_bibtex_export_imports_back_with_every_entry_and_field(exported, tmp_path):
    other = tmp_path / "other"
    other.mkdir()

    result = import_(other, str(exported), "--author", "lecun")

    assert result.exit_code == 0, result.output
    assert not skipped(result.stderr)
    back = {r.title: r for r in records(other)}
    assert sorted(back) == sorted(r.title for r in ROUND_TRIP)
    for original in ROUND_TRIP:
        again = back[original.title]
        assert again.year == original.year and again.doi == original.doi
        assert again.extra.get("url", "") == original.extra.get("url", "")
        assert again.extra.get("arxiv_id", "") == original.extra.get("arxiv_id", "")
        assert [_parts(n) for n in again.authors] == PEOPLE[original.title]
    assert back["An ordinary title"].venue == "JMLR" and back["Learning on the cube {0,1"].venue == "NeurIPS"


# --- names: the parts of a name in every export ------------------------------------------------------------


def test_exports_split_names_with_suffixes_and_particles(exported, workspace):
    parsed = bibtexparser.loads(exported.read_text(encoding="utf-8"), BibTexParser(common_strings=True)).entries
    authors = [name for e in parsed for name in e["author"].split(" and ")]
    assert "King, Jr., Martin Luther" in authors and "van der Maaten, L." in authors
    assert splitname("King, Jr., Martin Luther") == {
        "first": ["Martin", "Luther"],
        "von": [],
        "last": ["King"],
        "jr": ["Jr."],
    }
    assert splitname("van der Maaten, L.") == {"first": ["L."], "von": ["van", "der"], "last": ["Maaten"], "jr": []}

    csl = runner.invoke(app, ["export", "-w", str(workspace), "-a", "lecun", "--format", "csljson", "--no-snapshot"])
    people = [p for item in json.loads(csl.stdout) for p in item.get("author", [])]
    assert {"family": "King", "given": "Martin Luther", "suffix": "Jr."} in people
    assert {"family": "van der Maaten", "given": "L."} in people

    ris = runner.invoke(app, ["export", "-w", str(workspace), "-a", "lecun", "--format", "ris", "--no-snapshot"])
    assert "AU  - King, Martin Luther, Jr.\n" in ris.stdout and "AU  - van der Maaten, L.\n" in ris.stdout
