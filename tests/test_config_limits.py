"""Issue 12, cases 13-16: taxonomies, rosters, options and workspace paths that used to crash, hang or lose data.

Each case runs through the command a user would type and checks the exit code, the one line that explains
it and that the user's files are as they were.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, files_under
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.errors import ExitCode
from authorstats.models import Publication
from authorstats.shell import store

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def error_line(result, code: ExitCode) -> str:
    """The one stderr line of a failed command, after checking its exit code."""
    assert result.exit_code == int(code), result.output
    assert "Traceback" not in result.output and "Internal error" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def taxonomy(path: Path, name: str, term: str, *, bom: bool = False) -> Path:
    text = f"[[topic]]\nname = \"{name}\"\n[topic.terms]\n'{term}' = 2\n"
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def roster(path: Path, *keys: str, bom: bool = False) -> Path:
    text = "".join(f'[[author]]\nkey = "{key}"\nname = "Person {n}"\n\n' for n, key in enumerate(keys))
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def titles(path: Path, *rows: str) -> Path:
    path.write_text("title\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


# --- 13. a topic named Total ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Total", "TOTAL", "total"])
def test_a_topic_named_total_is_refused_at_taxonomy_load(tmp_path, name):
    tax = taxonomy(tmp_path / "tax.toml", name, "learning")
    before = files_under(tmp_path)

    line = error_line(
        cli("classify", titles(tmp_path / "t.csv", "Deep learning"), "--taxonomy", tax), ExitCode.BAD_INPUT
    )

    assert f"{name!r} is reserved" in line and str(tax) in line and "Rename the topic" in line
    assert files_under(tmp_path) == {**before, "t.csv": (tmp_path / "t.csv").read_bytes()}


# --- 14. exit codes the documentation promises ------------------------------------------------------


@pytest.mark.slow
def test_an_author_named_twice_is_reported_once(workspace):
    result = cli("report", "-w", workspace, "-a", "lecun", "-a", "LeCun", "--no-clouds", "--dpi", "50")

    assert result.exit_code == 0, result.output
    header = next(
        line for line in (workspace / "reports" / "summary.md").read_text().splitlines() if line.startswith("| Topic")
    )
    assert header.count("LeCun") == 1, header
    assert result.stdout.count("(lecun), ") == 1


def _one_row_csv(tmp_path: Path) -> Path:
    path = tmp_path / "list.csv"
    path.write_text("author,title,year\nlecun,Self-supervised learning of visual features,2021\n", encoding="utf-8")
    return path


def _lock_info_write_fails_with_a_full_disk(monkeypatch) -> None:
    """The disk fills up just as the lock's holder file (data/.lock) is written."""
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == ".lock":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)


@pytest.mark.parametrize("command", ["import", "review --apply"])
def test_a_full_disk_while_writing_the_lock_is_exit_5_and_changes_nothing(workspace, tmp_path, monkeypatch, command):
    store.atomic_write_text(workspace / "data" / "labels.csv", "title,source_id,topic\nA title,,Optimization\n")
    review = tmp_path / "review.csv"
    review.write_text("title,source_id,topic,correct_topic\nAnother title,,Other,RL\n", encoding="utf-8")
    before = files_under(workspace)
    _lock_info_write_fails_with_a_full_disk(monkeypatch)

    args = ["import", _one_row_csv(tmp_path)] if command == "import" else ["review", "--apply", review]
    line = error_line(cli(*args, "-w", workspace), ExitCode.OUTPUT)

    assert "the disk is full" in line and "Free some space" in line
    assert files_under(workspace) == before


@pytest.mark.parametrize("name", [".lock", ".oslock"])
def test_a_lock_path_that_is_a_folder_is_exit_5(workspace, tmp_path, name):
    (workspace / "data" / name).mkdir(parents=True)
    before = files_under(workspace)

    line = error_line(cli("import", _one_row_csv(tmp_path), "-w", workspace), ExitCode.OUTPUT)

    assert (
        f"cannot write {Path(workspace, 'data', name)}: it is a folder, not a file" in line and "Move it away" in line
    )
    assert files_under(workspace) == before and (workspace / "data" / name).is_dir()


def test_a_raw_file_that_is_a_folder_is_exit_5_not_the_snapshot(workspace):
    space = store.Workspace(workspace)
    store.write_jsonl(
        space.raw_file("scholar", "hinton"),
        [Publication(author="hinton", title="Forward-forward training", year=2022, source="scholar")],
    )
    space.raw_file("scholar", "lecun").mkdir()
    before = files_under(workspace)

    line = error_line(cli("report", "-w", workspace, "--no-clouds"), ExitCode.OUTPUT)

    assert f"{space.raw_file('scholar', 'lecun')} is a folder, not a file" in line and "Move it away" in line
    assert files_under(workspace) == before


def test_a_roster_key_over_64_characters_is_refused_at_load(workspace, tmp_path):
    path = roster(tmp_path / "authors.toml", "k" * 245)

    line = error_line(cli("report", "-w", workspace, "--roster", path, "--no-clouds"), ExitCode.BAD_INPUT)

    assert "the key is 245 characters long" in line and "at most 64" in line and "k" * 65 not in line
    assert files_under(workspace) == {}


@pytest.mark.parametrize(
    "option, value",
    [
        ("--deadline", "nan"),
        ("--deadline", "1e308"),
        ("--deadline", "inf"),
        ("--max-age", "nan"),
        ("--max-age", "1e308"),
    ],
)
def test_fetch_refuses_a_number_that_is_not_finite_or_too_large(workspace, option, value):
    line = error_line(cli("fetch", "-w", workspace, "-a", "lecun", option, value), ExitCode.BAD_INPUT)

    assert line.startswith(f"Error: {option} ") and "Give a finite number" in line
    assert files_under(workspace) == {}


# --- 15. a term that backtracks catastrophically ------------------------------------------------------


@pytest.mark.parametrize(
    "term, why",
    [
        ("(a+)+b", "a repeat inside a repeat"),
        ("(a|aa)*b", "alternatives inside a repeat"),
        (r"\w*a\w*b", "two open-ended repeats"),
    ],
)
def test_a_term_that_can_backtrack_forever_is_refused_at_load(tmp_path, term, why):
    tax = taxonomy(tmp_path / "tax.toml", "Letters", term)
    path = titles(tmp_path / "t.csv", "a" * 100_000 + "c", "a" * 40 + "c b")  # without the check: hours, or years
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    try:
        done = subprocess.run(
            [sys.executable, "-m", "authorstats", "classify", str(path), "--taxonomy", str(tax)],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"classify still matching {term!r} after 60 s")

    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert f"term {term!r}" in done.stderr and why in done.stderr and "Traceback" not in done.stderr


def test_the_bundled_taxonomy_and_plain_repeats_are_still_accepted(tmp_path):
    tax = taxonomy(tmp_path / "tax.toml", "Self-supervised", r"self-supervis\w* (learning|training)s?")

    result = cli(
        "classify", titles(tmp_path / "t.csv", "Self-supervised learning of visual features"), "--taxonomy", tax
    )

    assert result.exit_code == 0, result.output
    assert "Self-supervised learning of visual features,Self-supervised," in result.stdout
    assert cli("classify", titles(tmp_path / "u.csv", "Vision transformers")).exit_code == 0


# --- 16. lower severity -------------------------------------------------------------------------------


def test_classify_refuses_to_overwrite_the_inputs_own_topic_column(tmp_path):
    labelled = tmp_path / "dev_labels.csv"
    labelled.write_bytes((DATA / "dev_labels.csv").read_bytes())
    out = tmp_path / "x.csv"

    for args in ([], ["-o", out]):
        line = error_line(cli("classify", labelled, *args), ExitCode.BAD_INPUT)
        assert "already has the column(s) topic" in line and "--replace" in line

    assert not out.exists() and labelled.read_bytes() == (DATA / "dev_labels.csv").read_bytes()


def test_classify_replace_writes_each_column_once(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("title,topic,confidence\nVision transformers,gold,high\n", encoding="utf-8")
    out = tmp_path / "x.csv"

    result = cli("classify", path, "-o", out, "--replace")

    assert result.exit_code == 0, result.output
    header, row = out.read_text(encoding="utf-8").splitlines()
    assert header == "title,topic,score,evidence,topics,confidence"
    assert "gold" not in row and "high" not in row


def test_roster_keys_differing_only_in_case_are_refused(workspace, tmp_path):
    path = roster(tmp_path / "authors.toml", "Smith", "smith")

    line = error_line(cli("report", "-w", workspace, "--roster", path, "--no-clouds"), ExitCode.BAD_INPUT)

    assert "'Smith' and 'smith'" in line and "differ only in case" in line
    assert files_under(workspace) == {}


@pytest.mark.slow
def test_a_roster_and_a_taxonomy_saved_with_a_byte_order_mark_are_read(workspace, tmp_path):
    tax = taxonomy(tmp_path / "tax.toml", "Vision", "transformers?", bom=True)
    people = roster(tmp_path / "authors.toml", "lecun", bom=True)

    classified = cli("classify", titles(tmp_path / "t.csv", "Vision transformers"), "--taxonomy", tax)
    reported = cli("report", "-w", workspace, "--roster", people, "--taxonomy", tax, "--no-clouds", "--dpi", "50")

    assert classified.exit_code == 0, classified.output
    assert "Vision transformers,Vision," in classified.stdout
    assert reported.exit_code == 0, reported.output
    assert "| Topic | Person 0 |" in (workspace / "reports" / "summary.md").read_text(encoding="utf-8")
