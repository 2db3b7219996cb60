"""A taxonomy term whose parts combine in too many ways is refused at load (issue 25, case 4).

The guard before this refused a repeat inside a repeat, alternatives inside a repeat and two open-ended repeats,
but not an optional part inside a bounded repeat: '(a?){29}a{29}' loaded, and classifying two titles, one with a
word of 29 letters, took 21 s (45 s here), doubling with each letter. config/taxonomy.py now bounds the ways a
word regex can match one word from one place (at most MAX_WAYS per letter).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.config.taxonomy import parse_taxonomy
from authorstats.errors import BadInputError, ExitCode

ROOT = Path(__file__).resolve().parent.parent
MAX_WAYS = 100  # config.taxonomy.MAX_WAYS, written out so that this file also runs against code without it


def _taxonomy(path: Path, term: str) -> Path:
    path.write_text(f"[[topic]]\nname = \"Letters\"\n[topic.terms]\n'{term}' = 2\n", encoding="utf-8")
    return path


def _titles(path: Path, *rows: str) -> Path:
    path.write_text("title\n" + "".join(f"{row}\n" for row in rows), encoding="utf-8")
    return path


def _terms(term: str):
    return parse_taxonomy(f"[[topic]]\nname = \"T\"\n[topic.terms]\n'{term}' = 2\n", "t.toml")


@pytest.mark.parametrize(
    "term, ways",
    [
        ("(a?){29}a{29}", "536,870,912"),  # the review's term
        ("a?" * 29 + "a" * 29, "536,870,912"),  # the same, written out
        ("(ab?){12}c", "4,096"),
        ("(data|auto|rand)?(x|y|z)?(aug|augment)(s|ing|ation|ations)?(ed|er)?", "160"),
    ],
)
def test_a_term_whose_parts_combine_in_too_many_ways_is_refused_at_load(tmp_path, term, ways):
    tax = _taxonomy(tmp_path / "tax.toml", term)

    result = CliRunner().invoke(
        app, ["classify", str(_titles(tmp_path / "t.csv", "A plain title")), "--taxonomy", str(tax)]
    )

    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "Traceback" not in result.output and "Internal error" not in result.output
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert f"term {term!r}" in line and f"combine in {ways} ways to match one word" in line
    assert f"at most {MAX_WAYS} ways to match" in line and "'gflownets?'" in line


@pytest.mark.slow  # starts a process
def test_the_reviews_term_is_refused_before_any_word_is_matched(tmp_path):
    """The reported case, as reported: two titles, one with a word of 29 letters (45 s of matching on main)."""
    tax = _taxonomy(tmp_path / "tax.toml", "(a?){29}a{29}")
    path = _titles(tmp_path / "t.csv", "a" * 29 + " b", "Self-supervised learning")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    done = subprocess.run(
        [sys.executable, "-m", "authorstats", "classify", str(path), "--taxonomy", str(tax)],
        capture_output=True,
        text=True,
        timeout=300,  # a safety net only: on main this matched for 45 s, then exited 0
        env=env,
    )

    assert done.returncode == ExitCode.BAD_INPUT, done.stderr
    assert done.stderr.count("\n") == 1 and "term '(a?){29}a{29}'" in done.stderr and "536,870,912 ways" in done.stderr


@pytest.mark.parametrize("command", [["topics"], ["report", "--no-clouds", "--tables-only"]])
def test_every_command_that_loads_the_taxonomy_refuses_it(tmp_path, command):
    tax = _taxonomy(tmp_path / "tax.toml", "(a?){29}a{29}")

    result = CliRunner().invoke(
        app, [*command, "--taxonomy", str(tax)] + (["-w", str(tmp_path)] if command[0] == "report" else [])
    )

    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert "536,870,912 ways" in result.stderr and not (tmp_path / "reports").exists()


def test_a_repeated_group_of_several_lengths_is_refused_too():
    for term, why in [
        (r"a{1,100}b{1,100}", "several repeats that can each take any length of the word"),
        (r"(ab?)+", "combine in more than"),
    ]:
        with pytest.raises(BadInputError, match="could make matching hang") as raised:
            _terms(term)
        assert why in str(raised.value), term


@pytest.mark.parametrize(
    "term",
    [
        "gflownets?",
        r"pretrain\w*",
        r"self-supervis\w* (learning|training)s?",
        "(data|auto|rand|trivial)?augment(s|ing|ation|ations)?",  # the bundled taxonomy's most: 25 ways
        "(ab?){3}c",
        "(x?){6}x{6}",  # 64 ways
        r"\w*detr",
        "a{2,40}",
    ],
)
def test_terms_within_the_bound_still_load(term):
    assert _terms(term).topics[0].terms[0].pattern == term


def test_the_bundled_taxonomy_loads():
    from authorstats.shell.config_files import load_taxonomy

    assert len(load_taxonomy(None).topics) == 18
