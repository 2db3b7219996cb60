"""Every command's --help reads well at 80 columns; -V, shell completion and `topics`."""

from __future__ import annotations

import re

import click
import pytest
import typer
from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.config.taxonomy import parse_taxonomy
from authorstats.render.topics import readable_term
from authorstats.shell.config_files import load_taxonomy

runner = CliRunner()
WIDTH = 80
# Typer's own metavars, which say a Python type rather than what to type: <bool>, <list[str]>, <path>, ...
TYPE_METAVAR = re.compile(r"<(?:bool|str|int|float|path|file|dir|uuid|datetime|list\[[^>]*\]|\w+ range)>")


def command_paths(command: click.Command, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            paths.extend(command_paths(sub, prefix + (name,)))
    return paths


COMMANDS = command_paths(typer.main.get_command(app))


def render_help(*path: str) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH)}, prog_name="authorstats")
    assert result.exit_code == 0, result.output
    return result.stdout


def help_defects(text: str) -> list[str]:
    """What makes a help page hard to read at 80 columns, one line per problem found."""
    found = []
    lines = text.splitlines()
    for line in lines:
        if len(line) > WIDTH:
            found.append(f"wider than {WIDTH}: {line!r}")
        if TYPE_METAVAR.search(line):
            found.append(f"a type where a value name belongs: {line!r}")
        if "…" in line:
            found.append(f"cut off: {line!r}")
        if re.search(r"default: \d+\.0\b", line):
            found.append(f"a whole number shown as a float: {line!r}")
        if line.startswith("Usage:") and re.search(r"[{}]", line):
            found.append(f"braces in the usage line: {line!r}")
        if "│" in line:
            found.append(f"boxed table: {line!r}")
    # Option descriptions start early enough to keep at least 40 columns for the text.
    for line in lines:
        if re.match(r"^ {2}\S", line) and "  " in line.strip():
            start = (
                len(line)
                - len(line.lstrip())
                + line.strip().index("  ")
                + len(re.match(r"\s*", line.strip()[line.strip().index("  ") :]).group())
            )
            if start > WIDTH - 40:
                found.append(f"description squeezed into {WIDTH - start} columns: {line!r}")
    # Prose paragraphs are filled: a line never ends where the next line's first word would have fitted.
    heading = next((i for i, text in enumerate(lines) if text.endswith(":") and not text.startswith(" ")), len(lines))
    prose = lines[:heading]
    for above, below in zip(prose, prose[1:]):
        if above.strip() and below.strip() and not above.startswith("Usage:"):
            word = below.split()[0]
            if len(above) + 1 + len(word) <= WIDTH - 2:
                found.append(f"line broken early before {word!r}: {above!r}")
    return found


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "authorstats")
def test_every_help_page_reads_well_at_80_columns(path):
    text = render_help(*path)
    assert help_defects(text) == []


def test_the_defect_check_finds_the_defects_of_the_boxed_layout(monkeypatch):
    """The same commands in Typer's boxed (rich) layout, as the help was before: the check must see its faults."""
    monkeypatch.setattr(app, "rich_markup_mode", "rich")
    text = render_help("report")
    defects = "\n".join(help_defects(text))
    assert "boxed table" in defects and "<bool>" in defects
    assert help_defects("  -w, --workspace FOLDER" + " " * 30 + "Folder holding\n") != []  # 26 columns left
    assert help_defects("Usage: authorstats import [OPTIONS] {file}\n") != []
    assert help_defects("  --max-age DAYS  Reuse fetched data.  [default: 7.0]\n") != []
    assert help_defects("  Fill the correct_topic column. Labels in data/labels.csv\n  are applied by every report.\n")


def test_flags_take_no_value_and_arguments_are_named_as_in_the_usage_line():
    report = render_help("report")
    assert re.search(r"^  --distinctive {2,}Word clouds", report, re.M)
    assert re.search(r"^  -a, --author KEY ", report, re.M)
    classify = render_help("classify")
    assert "Usage: authorstats classify [OPTIONS] FILE" in classify
    assert re.search(r"^  FILE {2,}CSV with a title column", classify, re.M)
    assert "[default: 7]" in render_help("fetch")
    review = render_help("review")
    assert "Labels in data/labels.csv are applied" in " ".join(review.split())
    assert "WORKSPACE/data/review.csv" in review


def test_short_v_prints_the_version():
    from authorstats.version import __version__

    for flag in ("-V", "--version"):
        result = runner.invoke(app, [flag])
        assert result.exit_code == 0 and result.stdout == f"authorstats {__version__}\n"


def test_shell_completion_is_offered_and_prints_a_script():
    assert "--install-completion" in render_help()
    result = runner.invoke(app, ["--show-completion", "bash"], prog_name="authorstats")
    assert result.exit_code == 0
    assert "complete" in result.stdout and "_AUTHORSTATS_COMPLETE" in result.stdout


def test_topics_lists_every_bundled_topic_with_its_description_and_terms():
    result = runner.invoke(app, ["topics"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    taxonomy = load_taxonomy()
    assert result.stdout.startswith(f"{len(taxonomy.topics)} topics (bundled taxonomy):\n")
    names = [line for line in result.stdout.splitlines() if line and not line.startswith(" ")][1:]
    assert names == list(taxonomy.names)
    text = " ".join(result.stdout.split())
    for topic in taxonomy.topics:
        assert " ".join(topic.description.split()) in text
        strongest = max(topic.terms, key=lambda t: t.weight, default=None)
        if strongest is not None:
            assert readable_term(strongest.pattern) in text
    assert max(len(line) for line in result.stdout.splitlines()) <= 80


def test_topics_reads_another_taxonomy_and_names_only_its_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[topic]]\nname = "Vision"\ndescription = "Pictures and video."\n[topic.terms]\n'
        "'images?' = 2\n'video\\w*' = 3\n'pixel' = 1\n",
        encoding="utf-8",
    )
    parse_taxonomy(path.read_text(encoding="utf-8"), path)  # a valid taxonomy
    result = runner.invoke(app, ["topics", "--taxonomy", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "2 topics (taxonomy mine.toml):"
    assert "Vision\n  Pictures and video.\n  terms: video*, image(s), pixel\n" in result.stdout
    assert str(tmp_path) not in result.stdout


def test_topics_with_a_missing_taxonomy_is_one_line_and_exit_2(tmp_path):
    result = runner.invoke(app, ["topics", "--taxonomy", str(tmp_path / "none.toml")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "does not exist" in result.stderr


@pytest.mark.parametrize(
    "pattern, shown",
    [
        ("generat\\w*", "generat*"),
        ("gflownets?", "gflownet(s)"),
        ("self-supervis\\w*", "self-supervis*"),
        ("moco(v\\d)?", "moco(v\\d)?"),
        ("negative (samples?|pairs?)", "negative (sample(s)|pair(s))"),
    ],
)
def test_terms_are_shown_without_regex_notation_where_they_have_a_plain_reading(pattern, shown):
    assert readable_term(pattern) == shown
