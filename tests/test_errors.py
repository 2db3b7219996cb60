"""Bad input, broken workspace data and failing output: one clear line, a documented exit code, data/ unchanged.

Each case of issue 7 (years, authors, taxonomy, input files, workspace data, output) runs through the
command a user would type, against a workspace that already holds fetched data, labels and a report.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import tempfile
from pathlib import Path

import pytest
from conftest import files_under
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.models import Publication
from authorstats.shell import store

runner = CliRunner()
THIS_YEAR = dt.date.today().year
GOOD_CSV = "author,title,year\nlecun,Self-supervised learning of visual features,2021\n"


def cli(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def error_line(result, code: ExitCode) -> str:
    """The one stderr line of a failed command (warnings aside), after checking its exit code."""
    assert result.exit_code == int(code), result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.fixture
def ws(workspace) -> Path:
    """A workspace an earlier session left: fetched and imported data, labels and a report."""
    space = store.Workspace(workspace)
    store.write_jsonl(
        space.raw_file("scholar", "lecun"),
        [
            Publication(author="lecun", title="Energy-based models for vision", year=2021, source="scholar"),
            Publication(author="lecun", title="Joint embedding predictive architectures", year=2022, source="scholar"),
        ],
    )
    store.write_json(space.manifest_file("scholar"), {"source": "scholar", "authors": {}})
    store.write_jsonl(
        space.raw_file("import", "hinton"),
        [Publication(author="hinton", title="Forward-forward training", year=2022, source="import")],
    )
    store.atomic_write_text(space.labels, "title,source_id,topic\nForward-forward training,,Optimization\n")
    store.atomic_write_text(space.reports / "index.html", "<html>the previous report</html>\n")
    store.atomic_write_text(space.reports / "lecun_topics.csv", "Topic,Count\nTotal,2\n")
    return workspace


def data_of(workspace: Path) -> dict[str, bytes]:
    return files_under(workspace / "data")


# --- 1. years ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["fetch", "report"])
@pytest.mark.parametrize(
    "years, says",
    [
        ("2023-2021", "Did you mean --years 2021-2023"),
        ("abc", "Write it as START-END"),
        ("1800-1801", "starts before 1900"),
        (f"{THIS_YEAR + 1}-{THIS_YEAR + 2}", "lies in the future"),
    ],
)
def test_a_bad_year_window_is_one_line_and_changes_nothing(ws, command, years, says):
    before = files_under(ws)

    line = error_line(cli(command, "-w", ws, "--years", years), ExitCode.BAD_INPUT)

    assert line.startswith("Error: --years") and says in line
    assert files_under(ws) == before


# --- 2. authors and rosters -----------------------------------------------------------------------

ROSTERS = {
    "a malformed Google Scholar id": (
        '[[author]]\nkey = "ada"\nname = "Ada"\nscholar = "not-an-id"\n',
        "'not-an-id' is not a Google Scholar id",
        "12-character user= value",
    ),
    "an empty roster": ("", "lists no authors", "Add one [[author]] table"),
    "a roster that is not TOML": ('[[author]\nkey = "ada"\n', "is not valid TOML", "Fix the syntax at that line"),
    "duplicate keys": (
        '[[author]]\nkey = "ada"\nname = "Ada"\n[[author]]\nkey = "ada"\nname = "Ada B"\n',
        "lists the key 'ada' twice",
        "Give every author a different key",
    ),
    "a roster file that does not exist": (None, "does not exist", "Check the path"),
}


@pytest.mark.parametrize("command", ["fetch", "report", "import"])
@pytest.mark.parametrize("case", sorted(ROSTERS))
def test_a_bad_roster_is_one_line_naming_the_file(ws, tmp_path, command, case):
    text, problem, fix = ROSTERS[case]
    roster = tmp_path / "team.toml"
    if text is not None:
        roster.write_text(text, encoding="utf-8")
    csv = tmp_path / "list.csv"
    csv.write_text(GOOD_CSV, encoding="utf-8")
    args = ["import", csv] if command == "import" else [command]
    before = data_of(ws)

    line = error_line(cli(*args, "-w", ws, "--roster", roster), ExitCode.BAD_INPUT)

    assert str(roster) in line and problem in line and fix in line
    assert data_of(ws) == before


@pytest.mark.parametrize("command", ["fetch", "report"])
def test_an_unknown_author_key_lists_the_known_ones(ws, command):
    before = files_under(ws)

    line = error_line(cli(command, "-w", ws, "--author", "turing"), ExitCode.BAD_INPUT)

    assert "unknown author 'turing'" in line and "bengio, hinton, lecun" in line and "--roster" in line
    assert files_under(ws) == before


# --- 3. taxonomy --------------------------------------------------------------------------------

TAXONOMIES = {
    "not TOML": ("[[topic]\nname = 'x'\n", "is not valid TOML", "Fix the syntax"),
    "a topic without terms": (
        '[[topic]]\nname = "Vision"\n',
        "topic 'Vision' has no terms",
        "Add a [topic.terms] table",
    ),
    "duplicate topic names": (
        '[[topic]]\nname = "Vision"\n[topic.terms]\n"image" = 1\n'
        '[[topic]]\nname = "vision"\n[topic.terms]\n"pixel" = 1\n',
        "lists the topic 'vision' twice",
        "different name",
    ),
    "an invalid pattern": (
        '[[topic]]\nname = "Vision"\n[topic.terms]\n"imag(e" = 1\n',
        "term 'imag(e' is not a valid pattern",
        "Fix the regular expression",
    ),
    "a file that does not exist": (None, "does not exist", "Check the path"),
}


@pytest.mark.parametrize("command", ["report", "classify", "evaluate", "review"])
@pytest.mark.parametrize("case", sorted(TAXONOMIES))
def test_a_bad_taxonomy_is_one_line_naming_the_file(ws, tmp_path, command, case):
    text, problem, fix = TAXONOMIES[case]
    taxonomy = tmp_path / "topics.toml"
    if text is not None:
        taxonomy.write_text(text, encoding="utf-8")
    titles = tmp_path / "titles.csv"
    titles.write_text("title,topic\nMasked autoencoders,Self-Supervised\n", encoding="utf-8")
    args = {
        "report": ["report", "-w", ws],
        "classify": ["classify", titles],
        "evaluate": ["evaluate", titles],
        "review": ["review", "-w", ws],
    }[command]
    before = files_under(ws)

    line = error_line(cli(*args, "--taxonomy", taxonomy), ExitCode.BAD_INPUT)

    assert str(taxonomy) in line and problem in line and fix in line
    assert files_under(ws) == before


# --- 4. input files of classify, evaluate and import -------------------------------------------

LONG_TITLE = ("Self-supervised learning of visual representations " * 2000)[:100_000]
INPUTS = {
    # case: (file bytes or None for missing / "folder", what every command says)
    "a missing file": (None, "does not exist"),
    "an empty file": (b"", "is empty"),
    "no title column": (b"author,name,year,topic\nlecun,x,2021,Other\n", "no title column"),
    "a file that is not UTF-8": (
        "author,title,year,topic\nlecun,R\xe9seaux de neurones,2021,Other\n".encode("latin-1"),
        "is not UTF-8",
    ),
    "a folder instead of a file": ("folder", "is a folder"),
}


def _input_args(command: str, path: Path, ws: Path) -> list:
    return {"classify": ["classify", path], "evaluate": ["evaluate", path], "import": ["import", path, "-w", ws]}[
        command
    ]


@pytest.mark.parametrize("command", ["classify", "evaluate", "import"])
@pytest.mark.parametrize("case", sorted(INPUTS))
def test_an_unusable_input_file_is_one_line_naming_it(ws, tmp_path, command, case):
    content, problem = INPUTS[case]
    if command == "import" and case == "a file that is not UTF-8":
        content = bytes(range(256)) * 64  # import reads Latin-1 and Windows-1252 lists (with a warning), not these
    path = tmp_path / "input.csv"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    before = files_under(ws)

    line = error_line(cli(*_input_args(command, path, ws)), ExitCode.BAD_INPUT)

    assert str(path) in line and problem in line
    assert files_under(ws) == before


def test_classify_takes_a_100000_character_title(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text(f"title\n{LONG_TITLE}\nMasked autoencoders are scalable vision learners\n", encoding="utf-8")

    result = cli("classify", path, "-o", tmp_path / "tagged.csv")

    assert result.exit_code == 0, result.output
    tagged = (tmp_path / "tagged.csv").read_text(encoding="utf-8").splitlines()
    assert len(tagged) == 3 and tagged[1].startswith(LONG_TITLE) and ",Self-Supervised," in tagged[1]


def test_evaluate_takes_a_100000_character_title(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text(f"title,topic\n{LONG_TITLE},Self-Supervised\n", encoding="utf-8")

    result = cli("evaluate", path)

    assert result.exit_code == 0, result.output
    assert "strict accuracy:  1.000 (1/1)" in result.stdout


def test_import_skips_a_100000_character_title_as_a_broken_row(ws, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(f"author,title,year\nlecun,{LONG_TITLE},2021\n", encoding="utf-8")
    before = data_of(ws)

    result = cli("import", path, "-w", ws)

    assert "no usable rows" in error_line(result, ExitCode.BAD_INPUT)
    assert "skipped list.csv line 2: the title is 100,000 characters long" in result.stderr
    assert data_of(ws) == before


def test_import_of_a_header_without_rows_says_so(ws, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("author,title,year\n", encoding="utf-8")
    before = data_of(ws)

    line = error_line(cli("import", path, "-w", ws), ExitCode.BAD_INPUT)

    assert "has a header but no rows" in line
    assert data_of(ws) == before


@pytest.mark.parametrize(
    "command, says",
    [
        ("classify", "has no titles"),
        ("evaluate", "has no labelled titles"),
        ("import", "no usable rows"),
    ],
)
def test_only_empty_titles_is_one_line(ws, tmp_path, command, says):
    path = tmp_path / "input.csv"
    path.write_text("author,title,year,topic\nlecun,,2021,Other\nlecun,   ,2022,Other\n", encoding="utf-8")
    before = files_under(ws)

    line = error_line(cli(*_input_args(command, path, ws)), ExitCode.BAD_INPUT)

    assert says in line
    assert files_under(ws) == before


def test_classify_keeps_untitled_rows_as_other_and_names_them(tmp_path):
    path = tmp_path / "titles.csv"
    path.write_text("title,note\nMasked autoencoders,a\n,b\nVision transformers,c\n  ,d\n", encoding="utf-8")

    result = cli("classify", path)

    assert result.exit_code == 0, result.output
    assert "2 row(s) without a title (data row 2, 4) are tagged Other" in result.stderr
    assert len(result.stdout.splitlines()) == 5  # header + every row, in order


def test_import_keeps_titled_rows_and_names_the_untitled_lines(ws, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("author,title,year\nlecun,,2021\nlecun,Convolutional nets,2021\n", encoding="utf-8")

    result = cli("import", path, "-w", ws)

    assert result.exit_code == 0, result.output
    assert "skipped list.csv line 2: no title" in result.stderr
    assert [r.title for r in store.read_jsonl(store.Workspace(ws).raw_file("import", "lecun"))] == [
        "Convolutional nets"
    ]


# --- 5. workspace data --------------------------------------------------------------------------


@pytest.mark.slow
def test_a_corrupt_raw_line_is_skipped_with_a_warning_naming_file_and_line(ws):
    raw = store.Workspace(ws).raw_file("scholar", "lecun")
    with open(raw, "a", encoding="utf-8") as handle:
        handle.write('{"author": "lecun", "title": "cut off in the mid\n')
        handle.write('{"author": "lecun", "title": "Huge year", "source": "scholar", "year": 1e999}\n')
        handle.write("[1, 2, 3]\n")
    before = files_under(store.Workspace(ws).raw)

    result = cli("report", "-w", ws, "--author", "lecun", "--no-clouds", "--dpi", "50")

    assert result.exit_code == 0, result.output
    for number in (3, 4, 5):
        assert f"warning: skipped {raw} line {number}: not a valid record" in result.stderr
    assert "2 papers from scholar" in result.stdout  # the two good lines still count
    assert files_under(store.Workspace(ws).raw) == before


@pytest.mark.slow
def test_a_missing_data_raw_falls_back_to_the_bundled_snapshot(workspace):
    result = cli("report", "-w", workspace, "--author", "lecun", "--no-clouds", "--dpi", "50")

    assert result.exit_code == 0, result.output
    assert "Note: no fetched data for lecun in " in result.stderr
    assert "; used the bundled snapshot" in result.stderr
    assert "papers from snapshot" in result.stdout
    assert not store.Workspace(workspace).raw.exists()  # report never writes raw data


# --- 6. output ------------------------------------------------------------------------------------


def _no_temp_files(root: Path) -> bool:
    return not [p for p in root.rglob("*.tmp")]


def fail_writes_under(monkeypatch, folder: Path, code: int) -> None:
    """Make creating a file under ``folder`` fail as a read-only folder does (root ignores chmod)."""
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).resolve().is_relative_to(folder.resolve()):
            raise PermissionError(code, os.strerror(code))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_a_read_only_reports_folder_is_exit_5_and_the_old_report_stays(ws, monkeypatch):
    fail_writes_under(monkeypatch, ws / "reports", errno.EACCES)
    before = files_under(ws)

    line = error_line(cli("report", "-w", ws, "--no-clouds", "--dpi", "50"), ExitCode.OUTPUT)

    assert "reports" in line and "permission denied" in line and "writable location" in line
    assert files_under(ws) == before  # not even data/processed: the report is written whole or not at all


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_really_read_only_reports_folder(ws):
    (ws / "reports").chmod(0o555)
    try:
        before = files_under(ws)
        line = error_line(cli("report", "-w", ws, "--no-clouds", "--dpi", "50"), ExitCode.OUTPUT)
        assert "permission denied" in line
        assert files_under(ws) == before
    finally:
        (ws / "reports").chmod(0o755)


def test_a_workspace_that_does_not_exist_is_not_created(tmp_path):
    missing = tmp_path / "typo" / "ws"

    for args in (["report"], ["fetch", "--source", "scholar"]):
        line = error_line(cli(*args, "-w", missing), ExitCode.OUTPUT)
        assert f"workspace {missing} does not exist" in line and "mkdir" in line
    assert not (tmp_path / "typo").exists()


def test_an_output_file_in_a_folder_that_does_not_exist_is_exit_5(ws, tmp_path):
    titles = tmp_path / "titles.csv"
    titles.write_text("title\nVision transformers\n", encoding="utf-8")
    target = tmp_path / "no" / "such" / "tagged.csv"

    line = error_line(cli("classify", titles, "--output", target), ExitCode.OUTPUT)

    assert f"the folder {target.parent} does not exist" in line and "--output" in line
    assert not (tmp_path / "no").exists()


def test_an_output_path_that_is_a_folder_is_exit_5(tmp_path):
    titles = tmp_path / "titles.csv"
    titles.write_text("title\nVision transformers\n", encoding="utf-8")

    line = error_line(cli("classify", titles, "--output", tmp_path), ExitCode.OUTPUT)

    assert "it is a folder" in line and "Name a file" in line


def disk_full_on(monkeypatch, step: str) -> None:
    """Simulate a full disk: the data write (fsync) or the final rename raises ENOSPC."""

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, step, full)


@pytest.mark.slow
@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_full_disk_during_report_leaves_the_previous_report_whole(ws, monkeypatch, step):
    before = files_under(ws)
    disk_full_on(monkeypatch, step)

    line = error_line(cli("report", "-w", ws, "--no-clouds", "--dpi", "50"), ExitCode.OUTPUT)

    assert "the disk is full" in line and "Free some space" in line
    assert files_under(ws) == before and _no_temp_files(ws)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_full_disk_during_import_leaves_the_raw_data_whole(ws, tmp_path, monkeypatch, step):
    path = tmp_path / "list.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    before = files_under(ws)
    disk_full_on(monkeypatch, step)

    line = error_line(cli("import", path, "-w", ws), ExitCode.OUTPUT)

    assert "the disk is full" in line
    assert files_under(ws) == before and _no_temp_files(ws)


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_a_full_disk_during_classify_leaves_no_half_written_output(tmp_path, monkeypatch, step):
    titles = tmp_path / "titles.csv"
    titles.write_text("title\nVision transformers\n", encoding="utf-8")
    target = tmp_path / "tagged.csv"
    target.write_text("the previous result\n", encoding="utf-8")
    disk_full_on(monkeypatch, step)

    line = error_line(cli("classify", titles, "-o", target), ExitCode.OUTPUT)

    assert "the disk is full" in line
    assert target.read_text(encoding="utf-8") == "the previous result\n" and _no_temp_files(tmp_path)


def test_debug_shows_the_traceback(ws):
    result = runner.invoke(app, ["--debug", "report", "-w", str(ws), "--years", "abc"])

    assert result.exit_code == 2
    assert "Traceback" in result.stderr and "BadInputError" in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: --years 'abc'")


def test_docs_list_every_exit_code():
    doc = (Path(__file__).parent.parent / "docs" / "errors.md").read_text(encoding="utf-8")

    for code in ExitCode:
        assert f"| {int(code)} | {code.name} |" in doc


def test_a_file_already_holding_the_bytes_is_left_as_it_is_and_one_holding_others_is_replaced(tmp_path):
    """A re-run's unchanged tables are not written, synced and renamed again; a changed one is replaced whole."""
    space = store.Workspace(tmp_path)
    path = space.reports / "topic_counts.csv"
    store.atomic_write_text(path, "Topic,Count\nTotal,2\n")
    before = path.stat()
    with store.all_or_nothing(space):
        store.atomic_write_text(path, "Topic,Count\nTotal,2\n")
        store.atomic_write_bytes(path, b"Topic,Count\nTotal,2\n")
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".authorstats.tmp")]
    store.atomic_write_text(path, "Topic,Count\nTotal,3\n")
    assert path.read_text(encoding="utf-8") == "Topic,Count\nTotal,3\n" and path.stat().st_ino != before.st_ino
