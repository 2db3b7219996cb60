"""Issue 25, untrusted imported files, through the command line: bounded work per input (BibTeX macros, brace
nesting, CSV cell size), entries cut where BibTeX cuts them, and the format detected by the file's structure."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest
from imported import import_, records, skipped, write

GOOD = "@article{good2021,\n  title={An ordinary paper},\n  author={LeCun, Yann},\n  year={2021}\n}\n"


# --- (1) BibTeX macros: expanded within a bound, never as they are defined ---------------------------------


def laughs(count: int = 35) -> str:
    """The 950-byte file of the report: each @string is the one before it twice (s35: 2 x 2^35 characters)."""
    strings = ['@string{s0 = "ha"}'] + [f"@string{{s{i} = s{i - 1} # s{i - 1}}}" for i in range(1, count + 1)]
    return "\n".join(strings) + f"\n@article{{laugh, title = s{count}, author={{LeCun, Yann}}, year={{2021}}}}\n"


def _one_gibibyte() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.slow  # a process of its own, so that a blow-up meets its memory limit instead of the machine's
def test_a_macro_that_doubles_itself_is_refused_in_one_line_and_the_other_entries_are_imported(workspace, tmp_path):
    path = write(tmp_path / "laughs.bib", laughs() + GOOD)

    result = subprocess.run(
        [sys.executable, "-m", "authorstats", "import", str(path), "--workspace", str(workspace)],
        capture_output=True,
        text=True,
        preexec_fn=_one_gibibyte,
        timeout=300,
    )

    assert result.returncode == 0, result.stderr
    assert skipped(result.stderr) == [
        "skipped laughs.bib line 17: @string s16 would expand to 131,072 characters, more than 100,000; "
        "it and the entries that use it were not read",
        "skipped laughs.bib line 37: the title of entry 'laugh' uses @string s35, refused at line 17; "
        "nothing of it was imported",
    ]
    assert "Traceback" not in result.stderr
    assert [r.title for r in records(workspace)] == ["An ordinary paper"]


def test_macros_within_the_bounds_are_expanded_as_bibtex_does(workspace, tmp_path):
    path = write(
        tmp_path / "macros.bib",
        '@string{jmlr = "Journal of Machine Learning Research"}\n@STRING(ml = "Machine " # "Learning")\n'
        "@article{m, title = {Deep } # ml, journal = jmlr, month = jan, author={LeCun, Yann}, year = 2021,\n"
        "  publisher = undefinedmacro}\n",
    )

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    (record,) = records(workspace)
    assert (record.title, record.venue, record.year) == (
        "Deep Machine Learning",
        "Journal of Machine Learning Research",
        2021,
    )


def test_the_macros_of_one_file_expand_to_at_most_ten_million_characters_together(workspace, tmp_path):
    big = "x" * 60_000
    strings = [f'@string{{big = "{big}"}}'] + [f'@string{{m{i} = big # "{i}"}}' for i in range(200)]
    path = write(tmp_path / "many.bib", "\n".join(strings) + "\n" + GOOD)

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    (line,) = skipped(result.stderr)
    assert line.startswith("skipped many.bib line 168: @string m166 would take the file's macro expansions past ")
    assert [r.title for r in records(workspace)] == ["An ordinary paper"]


# --- (9) nesting depth: the deep entry is a bad entry, the others are imported -----------------------------


def test_an_entry_nested_100_braces_deep_is_skipped_with_its_line_and_the_others_are_imported(workspace, tmp_path):
    deep = "@article{deep,\n  title={" + "{" * 100 + "x" + "}" * 100 + "},\n  author={LeCun, Yann},\n  year={2021}\n}\n"
    path = write(tmp_path / "deep.bib", GOOD + deep + GOOD.replace("good2021", "good2022").replace("2021}", "2022}"))

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    assert skipped(result.stderr) == [
        "skipped deep.bib line 6: braces nested 102 deep in @article{deep, more than the 32 read; "
        "nothing of this entry was imported"
    ]
    assert sorted(r.year for r in records(workspace)) == [2021, 2022]


# --- (11) entries cut where BibTeX cuts them; the format by the file's structure ---------------------------


def test_an_at_sign_inside_a_field_does_not_cut_the_entry(workspace, tmp_path):
    tricky = (
        "@article{tricky2021,\n  title={Citing inside a field of \\{0,1\\}},\n"
        "  abstract={We write entries such as @misc{x, title={y}} inline, and even on a line of their own:\n"
        "@book{z, title={w}}\n  and go on.},\n  author={LeCun, Yann},\n  year={2021}\n}\n"
    )
    path = write(tmp_path / "tricky.bib", tricky + GOOD)

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    assert not skipped(result.stderr)
    by_title = {r.title: r for r in records(workspace)}
    assert sorted(by_title) == ["An ordinary paper", "Citing inside a field of {0,1}"]
    assert by_title["Citing inside a field of {0,1}"].abstract.endswith(
        "on a line of their own: @bookz, title=w and go on."
    )


def test_a_csv_whose_quoted_cell_holds_a_ris_line_is_read_as_csv(workspace, tmp_path):
    path = write(
        tmp_path / "notes.csv",
        'author,title,year,abstract\nlecun,"A paper",2021,"Cite it as\nTY  - JOUR\nTI  - A paper\nER  - "\n'
        "lecun,Another paper,2022,\n",
    )

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    assert "(csv)" in result.stdout
    assert [r.title for r in records(workspace)] == ["A paper", "Another paper"]


def test_a_csv_file_of_no_known_layout_is_never_read_as_ris(workspace, tmp_path):
    path = write(tmp_path / "list.csv", 'Name,Paper\nYann LeCun,"Cite as\nTY  - JOUR\nER  - "\n')
    result = import_(workspace, str(path))
    assert result.exit_code == 2
    assert "is in no layout authorstats knows (its columns: 'Name', 'Paper')" in result.stderr


def test_a_csv_whose_quoted_cell_holds_a_bibtex_entry_is_read_as_csv(workspace, tmp_path):
    path = write(
        tmp_path / "export.txt", 'author,title,year,abstract\nlecun,"A paper",2021,"@article{x,\n title={y}}"\n'
    )
    result = import_(workspace, str(path))
    assert result.exit_code == 0, result.output
    assert [r.title for r in records(workspace)] == ["A paper"]


# --- (8) CSV cells: long ones are read, one too long makes only its own row bad ----------------------------


def test_a_cell_over_128_kib_is_read_and_so_are_the_rows_after_it(workspace, tmp_path):
    note = "A long Zotero note. " * 10_000  # 200,000 characters: over the csv module's 131,072
    path = write(
        tmp_path / "long.csv",
        f'author,title,year,abstract\nlecun,First,2021,""\nlecun,Long,2021,"{note}"\nlecun,Third,2022,\nlecun,Fourth,2022,\n',
    )

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    assert "Skipped" not in result.stderr
    assert [r.title for r in records(workspace)] == ["First", "Long", "Third", "Fourth"]
    assert records(workspace)[1].abstract == note.strip()


def test_a_cell_over_one_mebibyte_makes_its_row_bad_and_never_the_rows_after_it(workspace, tmp_path):
    huge = "x" * (2 << 20)
    path = write(tmp_path / "huge.csv", f'author,title,year,abstract\nlecun,Huge,2021,"{huge}"\nlecun,After,2022,\n')

    result = import_(workspace, str(path))

    assert result.exit_code == 0, result.output
    assert skipped(result.stderr) == [
        "skipped huge.csv line 2: a cell of 2,097,152 characters, more than 1,048,576 (a quote that is never "
        "closed?); nothing of this row was imported"
    ]
    assert [r.title for r in records(workspace)] == ["After"]
