"""Golden files: the report of the bundled snapshot, byte for byte as kept in tests/golden/ (README there).

After an intended change to the output, rewrite them and review the difference before committing:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authorstats.cli import app

GOLDEN = Path(__file__).parent / "golden"

# Golden file -> where `authorstats report` writes it in its workspace.
FILES = {
    "summary.md": "reports/summary.md",
    "publications.csv": "data/processed/publications.csv",
    "topic_counts.csv": "reports/topic_counts.csv",
}

# Lines of difference shown when a file changed (the whole file is in the workspace the test names).
SHOWN = 40


@pytest.fixture(scope="module")
def bundled_report(tmp_path_factory) -> Path:
    """A report of the bundled snapshot in an empty workspace, with the window given rather than defaulted.

    None of the golden files depends on the pictures, so the test draws them small and without clouds.
    """
    root = tmp_path_factory.mktemp("golden")
    result = CliRunner().invoke(
        app, ["report", "--workspace", str(root), "--years", "2021-2022", "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    return root


def _difference(expected: bytes, actual: bytes, name: str) -> str:
    lines = list(difflib.unified_diff(expected.decode("utf-8", "replace").splitlines(keepends=True),
                                      actual.decode("utf-8", "replace").splitlines(keepends=True),
                                      f"tests/golden/{name}", "this run"))
    shown = "".join(lines[:SHOWN]) or "(the same text: the bytes differ in encoding or line endings)\n"
    more = f"... {len(lines) - SHOWN} more lines of difference\n" if len(lines) > SHOWN else ""
    return shown + more


@pytest.mark.parametrize("name", sorted(FILES))
def test_report_of_the_bundled_snapshot_matches_its_golden_file(name, bundled_report, request):
    actual = (bundled_report / FILES[name]).read_bytes()
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_bytes(actual)
        pytest.skip(f"rewrote tests/golden/{name}; review it with git diff tests/golden/")
    expected = golden.read_bytes()
    if actual != expected:
        pytest.fail(f"{FILES[name]} differs from tests/golden/{name}:\n{_difference(expected, actual, name)}"
                    "If the change is intended: .venv/bin/python -m pytest tests/test_golden.py --update-golden",
                    pytrace=False)
