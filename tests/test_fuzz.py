"""Hypothesis fuzzing of titles, years and CSV contents: nothing escapes but the documented errors.

Covers the title normaliser (merge.normalise_title), the classifier, YearWindow.parse, `import` and
`classify` (the last two through the command, which must end with exit 0 or 2 and never an internal error).
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from authorstats.analysis.merge import normalise_title
from authorstats.classification import engine as classify
from authorstats.cli import app
from authorstats.errors import BadInputError
from authorstats.models import EARLIEST_YEAR, YearWindow
from authorstats.shell import importer, store
from authorstats.shell.config_files import load_roster, load_taxonomy

runner = CliRunner()
TAXONOMY = load_taxonomy()
AUTHORS = load_roster()
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Titles as they come: any text, plus the pieces real titles are made of (LaTeX, accents, dashes, colons).
title_parts = st.sampled_from(
    [
        "Deep",
        "learning",
        ":",
        " - ",
        "—",
        "$\\beta$-VAE",
        "\\'{e}",
        "Réseaux",
        "İ",
        "GPT-3",
        "&",
        "\x00",
        "\n",
        "  ",
        "ﬁ",
        "🙂",
        "a" * 300,
        "(",
        "[",
        "\\",
        "{}",
    ]
)
titles = st.one_of(st.text(), st.lists(title_parts, max_size=12).map("".join))


@FUZZ
@given(titles)
def test_normalise_title_gives_single_spaced_text_without_punctuation(title):
    result = normalise_title(title)

    assert isinstance(result, str)
    assert result == " ".join(result.split())
    assert not any(ch in result for ch in ",.;:!?()[]{}$\\\"'")


@FUZZ
@given(titles, st.one_of(st.just(""), titles))
def test_classify_always_answers_a_topic_of_the_taxonomy(title, abstract):
    result = classify.classify(title, abstract, taxonomy=TAXONOMY)

    assert result.topic in TAXONOMY.names
    assert result.score >= 0 and 0.0 <= result.confidence <= 1.0


@FUZZ
@given(
    st.one_of(
        st.text(max_size=20),
        st.tuples(st.integers(-5, 10_000), st.integers(-5, 10_000)).map(lambda p: f"{p[0]}-{p[1]}"),
        st.integers(0, 99_999).map(str),
    )
)
def test_year_window_parses_or_says_why_not(text):
    try:
        window = YearWindow.parse(text)
    except BadInputError as exc:
        assert str(exc).startswith("--years") and exc.hint
    else:
        assert EARLIEST_YEAR <= window.start <= window.end


cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["lecun", "Yann LeCun", "hinton", "2021", "1899", "abc", "", '"', "10.1145/x", "1,234"]),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=8), max_size=6)
headers = st.one_of(
    st.just(["author", "title", "year"]),
    st.just(["author", "title", "year", "doi", "citations"]),
    st.lists(st.sampled_from(["author", "title", "year", "Publication Year", "x", ""]), max_size=5),
)


def csv_bytes(header: list[str], body: list[list[str]], delimiter: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8")


csv_files = st.one_of(
    st.builds(csv_bytes, headers, rows, st.sampled_from([",", ";", "\t"])),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8")),
)


@FUZZ
@given(csv_files)
def test_import_keeps_good_rows_or_raises_bad_input(content):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "ws").mkdir()
        path = root / "list.csv"
        path.write_bytes(content)
        ws = store.Workspace(root / "ws")
        try:
            result = importer.import_file(path, ws, AUTHORS, "fuzz")
        except BadInputError:
            assert not ws.raw.exists()
            return
        for key, count in result.added.items():
            records = list(store.read_jsonl(ws.raw_file("fuzz", key)))
            assert len(records) == count and all(r.title.strip() and r.year for r in records)


@pytest.mark.slow
@FUZZ
@given(csv_files)
@example(b"author,title,year\r\n,,,,,,\r\n,,,,,0\r\n")  # found by Hypothesis: extra cells became the index
def test_classify_command_ends_with_a_result_or_one_error_line(content):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "titles.csv"
        path.write_bytes(content)

        result = runner.invoke(app, ["classify", str(path)])

    assert result.exit_code in (0, 2), result.output
    assert "Internal error" not in result.output and "Traceback" not in result.output
    if result.exit_code == 2:
        assert [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
