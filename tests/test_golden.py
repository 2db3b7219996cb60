"""Golden files: the report of the bundled snapshot, byte for byte as kept in tests/golden/ (README there).

After an intended change to the output, rewrite them and review the difference before committing:

    .venv/bin/python -m pytest tests/test_golden.py --update-golden
    git diff tests/golden/
"""

from __future__ import annotations

import difflib
from importlib import resources
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

# index.html is built in this process, not read from the workspace: the page of the same report without its
# pictures (the template leaves absent pictures out), written at a fixed time with fixed package versions.
PAGE = "index.html"
GENERATED = "2023-01-01T00:00:00+00:00"
VERSIONS = {
    "authorstats": "0.1.0",
    "pandas": "2.0",
    "matplotlib": "3.8",
    "wordcloud": "1.9",
    "scholarly": "not installed",
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
        app, ["report", "--workspace", str(root), "--years", "2021-2022", "--no-clouds", "--dpi", "50"]
    )
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="module")
def bundled_page() -> bytes:
    """index.html of the bundled snapshot's report (2021-2022, no clouds), through the pipeline `report` runs:
    compute_report, the page builder and the template, with no pictures, a fixed time and fixed versions, and the
    side-by-side with the seminar's tables that `report` adds by default for the bundled roster and 2021-2022.

    The taxonomy and the venue aliases are the bundled ones, named by a path that does not depend on where the package
    is installed.
    """
    import authorstats
    from authorstats.analysis.report import ReportOptions, compute_report
    from authorstats.config.taxonomy import parse_taxonomy
    from authorstats.config.venues import parse_venues
    from authorstats.render import html, page

    text = (resources.files("authorstats") / "data" / "taxonomy.toml").read_text(encoding="utf-8")
    venues = (resources.files("authorstats") / "data" / "venues.toml").read_text(encoding="utf-8")
    data = compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=parse_taxonomy(text, "authorstats/data/taxonomy.toml"),
        years="2021-2022",
        options=ReportOptions(clouds=False, venues=parse_venues(venues, "authorstats/data/venues.toml")),
        reference=authorstats.load_reference(),
    )
    built = page.report_page(
        data, {}, generated=GENERATED, versions=VERSIONS, labels_path="data/labels.csv", labels_found=False
    )
    return html.render(built).encode("utf-8")


def _difference(expected: bytes, actual: bytes, name: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(keepends=True),
            actual.decode("utf-8", "replace").splitlines(keepends=True),
            f"tests/golden/{name}",
            "this run",
        )
    )
    shown = "".join(lines[:SHOWN]) or "(the same text: the bytes differ in encoding or line endings)\n"
    more = f"... {len(lines) - SHOWN} more lines of difference\n" if len(lines) > SHOWN else ""
    return shown + more


def _compare(name: str, actual: bytes, where: str, request: pytest.FixtureRequest) -> None:
    golden = GOLDEN / name
    if request.config.getoption("--update-golden"):
        golden.write_bytes(actual)
        pytest.skip(f"rewrote tests/golden/{name}; review it with git diff tests/golden/")
    expected = golden.read_bytes()
    if actual != expected:
        pytest.fail(
            f"{where} differs from tests/golden/{name}:\n{_difference(expected, actual, name)}"
            "If the change is intended: .venv/bin/python -m pytest tests/test_golden.py --update-golden",
            pytrace=False,
        )


@pytest.mark.parametrize("name", sorted(FILES))
def test_report_of_the_bundled_snapshot_matches_its_golden_file(name, bundled_report, request):
    _compare(name, (bundled_report / FILES[name]).read_bytes(), FILES[name], request)


def test_page_of_the_bundled_snapshot_matches_its_golden_file(bundled_page, request):
    _compare(PAGE, bundled_page, "index.html (built without pictures)", request)
