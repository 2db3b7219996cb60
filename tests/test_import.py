"""CSV import: good rows land in data/raw/<source>/, bad rows are reported by line and skipped."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import BadInputError
from authorstats.models import Author
from authorstats.shell import importer, store
from authorstats.shell.config_files import load_roster
from authorstats.sources import csv_import

runner = CliRunner()
HEADER = "author,title,year,venue,abstract,doi,citations\n"


def write_csv(folder: Path, text: str, name: str = "list.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def records(workspace: Path, source: str, key: str):
    return list(store.read_jsonl(store.Workspace(workspace).raw_file(source, key)))


def test_good_rows_are_kept_and_bad_rows_reported_with_line_numbers(workspace, tmp_path):
    csv_file = write_csv(
        tmp_path,
        HEADER
        + (
            'lecun,"VICReg: Variance-Invariance-Covariance Regularization",2022,ICLR,,https://doi.org/10.1234/ABC,"1,204"\n'
            "Yoshua Bengio,A Paper by Name,2021,,,,\n"
            "nobody,Unknown Author Paper,2021,,,,\n"
            "\n"
            "lecun,,2021,,,,\n"
            'lecun,"Multi-line\ntitle",20x1,,,,\n'
            "lecun,Bad Citations,2021,,,,many\n"
            "hinton,Bad DOI,2021,,,not-a-doi,\n"
            "hinton,Good Hinton Paper,2021,NeurIPS,An abstract.,,7\n"
        ),
    )
    result = importer.import_file(csv_file, store.Workspace(workspace), load_roster())
    assert [(b.line, b.problem.split(" (")[0]) for b in result.bad_rows] == [
        (4, "unknown author 'nobody'"),
        (6, "no title"),
        (7, "year '20x1' is not a year"),
        (9, "citations 'many' is not a whole number"),
        (10, "doi 'not-a-doi' is not a DOI"),
    ]
    assert "bengio" in str(result.bad_rows[0])  # the fix names the roster keys
    (vicreg,) = records(workspace, "import", "lecun")
    assert vicreg.doi == "10.1234/abc" and vicreg.citations == 1204 and vicreg.venue == "ICLR"
    assert vicreg.source == "import" and vicreg.extra["imported_from"] == "list.csv"
    assert [r.title for r in records(workspace, "import", "bengio")] == ["A Paper by Name"]
    (hinton,) = records(workspace, "import", "hinton")
    assert hinton.abstract == "An abstract." and hinton.citations == 7


def test_existing_records_are_kept_and_reimporting_a_file_replaces_its_own(workspace, tmp_path):
    ws = store.Workspace(workspace)
    first = write_csv(tmp_path, HEADER + "lecun,From First File,2021,,,,\n", "first.csv")
    second = write_csv(tmp_path, HEADER + "lecun,From Second File,2022,,,,\n", "second.csv")
    importer.import_file(first, ws, load_roster())
    importer.import_file(second, ws, load_roster())
    again = importer.import_file(
        write_csv(tmp_path, HEADER + "lecun,From Second File (fixed),2022,,,,\n", "second.csv"), ws, load_roster()
    )
    assert [r.title for r in records(workspace, "import", "lecun")] == ["From First File", "From Second File (fixed)"]
    assert again.replaced == 1 and again.kept == {"lecun": 1}


def test_export_column_names_and_semicolons_are_understood(workspace, tmp_path):
    csv_file = write_csv(
        tmp_path,
        "\ufeffAuthor;Title;Publication Year;Publication Title;Cites\n"
        "LeCun;A Semicolon Export;2021;Journal of Tests;3\n",
    )
    importer.import_file(csv_file, store.Workspace(workspace), load_roster(), source="zotero")
    (record,) = records(workspace, "zotero", "lecun")
    assert (record.title, record.year, record.venue, record.citations, record.source) == (
        "A Semicolon Export",
        2021,
        "Journal of Tests",
        3,
        "zotero",
    )


def test_missing_required_column_is_one_clear_error(workspace, tmp_path):
    csv_file = write_csv(tmp_path, "name,title\nlecun,x\n")
    with pytest.raises(BadInputError, match="no author, year column"):
        importer.import_file(csv_file, store.Workspace(workspace), load_roster())


@pytest.mark.parametrize("name", ["scholar", "openalex", "dblp", "snapshot", "../up", "Has Space", ""])
def test_unsafe_or_reserved_source_names_are_refused(name):
    with pytest.raises(BadInputError):
        csv_import.check_source_name(name)


def test_parsing_takes_text_and_gives_records_and_bad_rows_without_files():
    authors = [Author(key="ada", name="Ada Lovelace")]
    text = "author\ttitle\tyear\tdoi\nAda Lovelace\tNotes\t1999\tdoi:10.1000/XYZ\nada\tLater\t2032\t\n"

    records, bad = csv_import.parse_csv(
        text,
        authors,
        "notes",
        where="<memory>",
        origin="notes.tsv",
        fetched_at="2030-01-01T00:00:00+00:00",
        this_year=2030,
    )

    assert [(r.author, r.title, r.year, r.doi, r.source, r.fetched_at, r.extra) for r in records] == [
        ("ada", "Notes", 1999, "10.1000/xyz", "notes", "2030-01-01T00:00:00+00:00", {"imported_from": "notes.tsv"})
    ]
    assert [str(b) for b in bad] == ["line 3: year 2032 is outside 1900-2031"]


def test_cli_import_reports_bad_rows_and_keeps_good_ones(workspace, tmp_path):
    csv_file = write_csv(tmp_path, HEADER + "lecun,Good Row,2021,,,,\nlecun,Bad Row,year,,,,\n")
    result = runner.invoke(app, ["import", str(csv_file), "--workspace", str(workspace), "--source", "pop"])
    assert result.exit_code == 0, result.output
    assert "lecun: 1 publications from list.csv" in result.stdout
    assert "line 3: year 'year' is not a year" in result.stderr
    assert (workspace / "data" / "raw" / "pop" / "lecun.jsonl").exists()


def test_cli_import_with_no_usable_rows_exits_2_and_writes_nothing(workspace, tmp_path):
    csv_file = write_csv(tmp_path, HEADER + "nobody,Row,2021,,,,\n")
    result = runner.invoke(app, ["import", str(csv_file), "--workspace", str(workspace)])
    assert result.exit_code == 2
    assert "Error: no usable rows" in result.stderr and "Traceback" not in result.output
    assert not (workspace / "data" / "raw").exists()


def test_cli_import_of_a_missing_file_exits_2(workspace, tmp_path):
    result = runner.invoke(app, ["import", str(tmp_path / "nope.csv"), "--workspace", str(workspace)])
    assert result.exit_code == 2 and "does not exist" in result.stderr


def test_a_paper_imported_three_ways_counts_once_and_its_merges_are_listed(workspace, tmp_path):
    from authorstats.analysis.report import select_records
    from authorstats.models import YearWindow
    from authorstats.shell.records import read_records

    arxiv = "VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning"
    csv_file = write_csv(
        tmp_path,
        HEADER
        + (
            f"lecun,{arxiv},2021,arXiv preprint arXiv:2105.04906,,,310\n"
            "lecun,Vicreg - variance invariance covariance regularization for self supervised learning,2022,"
            "International Conference on Learning Representations,,,\n"
            f"lecun,{arxiv},2021,arXiv preprint arXiv:2105.04906,,,310\n"
            "lecun,VICRegL: Self-Supervised Learning of Local Visual Features,2022,NeurIPS,,,\n"
        ),
    )
    ws = store.Workspace(workspace)
    importer.import_file(csv_file, ws, load_roster())
    lecun = [a for a in load_roster() if a.key == "lecun"]

    gathered = read_records(ws, lecun, snapshot_too=False)  # the import alone (report --no-snapshot)
    selection = select_records(gathered.records, lecun, YearWindow(2021, 2022), gathered.sources)
    records, provenance, merges = selection.records, selection.provenance, selection.merges

    assert sorted(r.venue for r in records) == ["International Conference on Learning Representations", "NeurIPS"]
    assert provenance["lecun"].records_merged == 2 and provenance["lecun"].sources == ("import",)
    assert [m.dropped_venue for m in merges] == ["arXiv preprint arXiv:2105.04906"] * 2
    assert all(m.kept_year == 2022 and m.reason for m in merges)


BIB = """
@inproceedings{path,
  title = {A Path Towards Autonomous Machine Intelligence},
  author = {LeCun, Yann},
  year = {2022},
}
@article{energy,
  title = {Learning Invariant Representations of Shapes with Energy Landscapes},
  author = {LeCun, Yann and Doe, Jane},
  year = {2022},
  journal = {Journal of Things}
}
@inproceedings{vicreg,
  title = {VICReg: Variance-Invariance-Covariance Regularization for Self-Supervised Learning},
  author = {Bardes, Adrien and Ponce, Jean and LeCun, Yann},
  year = {2022},
  booktitle = {ICLR 2022}
}
"""


def _total(workspace: Path, key: str) -> int:
    rows = list(csv.DictReader((workspace / "reports" / f"{key}_topics.csv").open(encoding="utf-8")))
    return int(rows[0]["Count"])


def test_importing_a_few_papers_adds_them_to_the_bundled_works_and_says_so(workspace, tmp_path):
    bib = tmp_path / "mine.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert runner.invoke(app, ["import", str(bib), "-w", str(workspace), "--author", "lecun"]).exit_code == 0
    result = runner.invoke(app, ["report", "-w", str(workspace), "--tables-only"])
    assert result.exit_code == 0, result.output
    # two of the three are works the snapshot has (merged as versions of them), one is new: 33 + 1
    assert _total(workspace, "lecun") == 34 and _total(workspace, "hinton") == 15
    assert "lecun: records from import were added to the bundled snapshot's" in result.stderr
    assert "Warning" not in result.stderr

    alone = runner.invoke(app, ["report", "-w", str(workspace), "--tables-only", "--no-snapshot", "-a", "lecun"])
    assert alone.exit_code == 0, alone.output
    assert _total(workspace, "lecun") == 3
    assert "Warning: lecun has 3 works in this report, the last one counted 34" in alone.stderr
