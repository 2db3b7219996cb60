"""Helpers of the import tests: write an exported list, import it through the command line, read what landed."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from authorstats.cli import app
from authorstats.models import Publication
from authorstats.shell import store

runner = CliRunner()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def import_(workspace: Path, *args: str):
    return runner.invoke(app, ["import", *args, "--workspace", str(workspace)])


def records(workspace: Path, key: str = "lecun", source: str = "import") -> list[Publication]:
    path = store.Workspace(workspace).raw_file(source, key)
    return list(store.read_jsonl(path)) if path.exists() else []


def skipped(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("skipped")]
