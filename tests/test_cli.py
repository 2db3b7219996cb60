"""The command layer as a user meets it: help for every command, a light start-up, errors as one line."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from authorstats.cli import app

runner = CliRunner()


def all_commands(group=None, prefix=()):
    import typer.main

    group = group or typer.main.get_command(app)
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from all_commands(cmd, prefix + (name,))
        else:
            yield prefix + (name,), cmd


def test_every_command_has_help_text():
    commands = list(all_commands())
    assert {"report"} <= {" ".join(path) for path, _ in commands}
    for path, cmd in commands:
        assert (cmd.help or "").strip(), f"{' '.join(path)} has no help text"
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, result.output
        assert "Usage" in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.startswith("authorstats ")


def test_start_up_imports_no_heavy_modules():
    code = (
        "import sys; from authorstats.cli import app; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'scholarly', 'wordcloud', 'httpx') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


@pytest.mark.parametrize("years", ["2023-2021", "abc", "1800-1801", "2999-3000"])
def test_bad_year_windows_are_one_line_exit_2(workspace, years):
    result = runner.invoke(app, ["report", "--workspace", str(workspace), "--years", years])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("Error: --years")
    assert len(result.output.strip().splitlines()) == 1
    assert not (workspace / "reports").exists()


def test_a_hint_that_asks_a_question_keeps_its_question_mark(workspace):
    result = runner.invoke(app, ["report", "--workspace", str(workspace), "--years", "2023-2021"])
    assert result.output.strip() == "Error: --years 2023-2021 starts after it ends. Did you mean --years 2021-2023?"
