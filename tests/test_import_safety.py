"""Issue 12, cases 3, 4 and 11, through the command line: an import never replaces another file's records,
never stores a row whose cells were shifted, and never stores a number that later crashes `report`."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import files_under
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.shell import store

runner = CliRunner()
ZOTERO = "Exported Items.csv"  # Zotero's default name for every export


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def import_(workspace: Path, *args: str):
    return runner.invoke(app, ["import", *args, "--workspace", str(workspace)])


def titles(workspace: Path, source: str = "import", key: str = "lecun") -> list[str]:
    return [r.title for r in store.read_jsonl(store.Workspace(workspace).raw_file(source, key))]


# Case 3: a file is identified by where it is (or by --name), not by its base name.


def test_two_exports_with_the_same_name_in_different_folders_keep_each_others_records(workspace, tmp_path):
    first = write(tmp_path / "a" / ZOTERO, "author,title,year\nlecun,Paper A1,2021\nlecun,Paper A2,2021\n")
    second = write(tmp_path / "b" / ZOTERO, "author,title,year\nlecun,Paper B1,2022\n")

    assert import_(workspace, str(first)).exit_code == 0
    result = import_(workspace, str(second))

    assert result.exit_code == 0, result.output
    assert "Replaced" not in result.stdout and "kept 2 earlier" in result.stdout
    assert titles(workspace) == ["Paper A1", "Paper A2", "Paper B1"]


def test_importing_the_same_file_again_replaces_what_it_gave_before(workspace, tmp_path, monkeypatch):
    export = write(tmp_path / "a" / ZOTERO, "author,title,year\nlecun,Paper A1,2021\nlecun,Paper A2,2021\n")
    assert import_(workspace, str(export)).exit_code == 0
    write(export, "author,title,year\nlecun,Paper A1 (fixed),2021\n")
    monkeypatch.chdir(tmp_path / "a")  # the same file, named by a relative path this time

    result = import_(workspace, ZOTERO)

    assert result.exit_code == 0, result.output
    assert f"Replaced 2 records of an earlier import of {ZOTERO}." in result.stdout
    assert titles(workspace) == ["Paper A1 (fixed)"]


def test_a_list_named_with_name_is_replaced_wherever_its_file_is_saved(workspace, tmp_path):
    first = write(tmp_path / "old" / ZOTERO, "author,title,year\nlecun,Paper A1,2021\n")
    moved = write(tmp_path / "new" / "zotero-2.csv", "author,title,year\nlecun,Paper A1,2021\nlecun,Paper A2,2021\n")
    other = write(tmp_path / "c" / ZOTERO, "author,title,year\nlecun,Paper C1,2021\n")

    assert import_(workspace, str(first), "--name", "my zotero").exit_code == 0
    assert import_(workspace, str(other)).exit_code == 0
    result = import_(workspace, str(moved), "--name", "my zotero")

    assert result.exit_code == 0, result.output
    assert "Replaced 1 records of an earlier import of my zotero." in result.stdout
    assert titles(workspace) == ["Paper C1", "Paper A1", "Paper A2"]


def test_records_imported_before_paths_were_kept_are_replaced_only_by_identical_rows(workspace, tmp_path):
    # What an earlier version wrote: the base name only, which cannot tell a/ from b/.
    raw = store.Workspace(workspace).raw_file("import", "lecun")
    legacy = [
        {
            "author": "lecun",
            "title": title,
            "year": 2021,
            "source": "import",
            "venue": "",
            "citations": None,
            "abstract": "",
            "doi": "",
            "fetched_at": "2025-01-01T00:00:00+00:00",
            "extra": {"imported_from": ZOTERO},
        }
        for title in ("Paper A1", "Paper A2")
    ]
    write(raw, "".join(json.dumps(r) + "\n" for r in legacy))
    other = write(tmp_path / "b" / ZOTERO, "author,title,year\nlecun,Paper B1,2021\n")
    same = write(tmp_path / "a" / ZOTERO, "author,title,year\nlecun,Paper A1,2021\nlecun,Paper A2,2021\n")

    result = import_(workspace, str(other))
    assert result.exit_code == 0 and "Replaced" not in result.stdout
    assert titles(workspace) == ["Paper A1", "Paper A2", "Paper B1"]

    result = import_(workspace, str(same))
    assert result.exit_code == 0 and "Replaced 2 records" in result.stdout
    assert titles(workspace) == ["Paper B1", "Paper A1", "Paper A2"]


# Case 4: a row with more cells than the header is a bad row, not a shifted record.


def test_a_row_with_more_fields_than_the_header_is_a_bad_row_with_its_line(workspace, tmp_path):
    csv_file = write(
        tmp_path / "list.csv",
        (
            "author,year,title,venue\n"
            "lecun,2021,Deep learning, a survey,NeurIPS\n"
            'lecun,2021,"Deep learning, quoted",NeurIPS\n'
            "lecun,2021,Trailing comma,ICML,\n"  # an empty extra cell loses nothing
            "lecun,2022,No venue cell\n"  # fewer cells: the missing ones are empty, as classify reads them
            "lecun,2022\n"  # ... which leaves this one without a title
        ),
    )
    before = csv_file.read_bytes()

    result = import_(workspace, str(csv_file))

    assert result.exit_code == 0, result.output
    assert (
        "skipped list.csv line 2: 5 fields but the header has 4 (a comma inside an unquoted title or venue? "
        "Put that cell in double quotes)"
    ) in result.stderr
    assert "skipped list.csv line 6: no title" in result.stderr
    assert "line 4" not in result.stderr and "line 5" not in result.stderr
    assert titles(workspace) == ["Deep learning, quoted", "Trailing comma", "No venue cell"]
    assert csv_file.read_bytes() == before


def test_a_file_whose_only_rows_have_extra_fields_exits_2_and_leaves_earlier_records(workspace, tmp_path):
    assert import_(workspace, str(write(tmp_path / "good.csv", "author,year,title\nlecun,2021,Kept\n"))).exit_code == 0
    before = files_under(workspace)

    result = import_(workspace, str(write(tmp_path / "good.csv", "author,year,title\nlecun,2021,Kept,again\n")))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: no usable rows in {tmp_path / 'good.csv'} (1 skipped). Fix the rows listed above and import again."
    )
    assert files_under(workspace) == before


# Case 11: numbers that cannot be counted are bad rows at import and skipped lines when reading.


def test_an_absurd_citation_count_or_year_is_a_bad_row(workspace, tmp_path):
    csv_file = write(
        tmp_path / "list.csv",
        (
            "author,title,year,citations\n"
            'lecun,Huge,2021,"99,999,999,999,999,999,999"\n'
            "lecun,Over a billion,2021,1000000001\n"
            "lecun,Superscript,2021,\u00b2\n"
            'lecun,Sane,2021,"1,204"\n'
        ),
    )

    result = import_(workspace, str(csv_file))

    assert result.exit_code == 0, result.output
    assert "skipped list.csv line 2: citations '99,999,999,999,999,999,999' is more than 1,000,000,000" in result.stderr
    assert "skipped list.csv line 3: citations '1000000001' is more than 1,000,000,000" in result.stderr
    assert "skipped list.csv line 4: citations '\u00b2' is not a whole number" in result.stderr
    (record,) = store.read_jsonl(store.Workspace(workspace).raw_file("import", "lecun"))
    assert (record.title, record.citations) == ("Sane", 1204)


def test_report_skips_raw_lines_with_out_of_range_numbers_and_still_reports(workspace, tmp_path):
    roster = write(tmp_path / "authors.toml", '[[author]]\nkey = "lecun"\nname = "Yann LeCun"\nscholar = ""\n')
    good = {
        "author": "lecun",
        "title": "Self-supervised learning of visual features",
        "year": 2021,
        "source": "zotero",
        "citations": 12,
    }
    lines = [
        good,
        {**good, "title": "Float citations", "citations": 1e20},
        {**good, "title": "Huge citations", "citations": 10**20},
        {**good, "title": "Negative citations", "citations": -1},
        {**good, "title": "Huge year", "year": 10**30},
    ]
    raw = write(store.Workspace(workspace).raw_file("zotero", "lecun"), "".join(json.dumps(r) + "\n" for r in lines))
    before = raw.read_bytes()

    result = runner.invoke(
        app,
        [
            "report",
            "-y",
            "2021",
            "--roster",
            str(roster),
            "--workspace",
            str(workspace),
            "--no-clouds",
            "--no-snapshot",
        ],
    )

    assert result.exit_code == 0, result.output
    for line in (2, 3, 4, 5):
        assert f"skipped {raw} line {line}: not a valid record" in result.stderr
    assert "Internal error" not in result.output
    assert "lecun), 2021: 1 papers from zotero" in result.stdout
    assert raw.read_bytes() == before
