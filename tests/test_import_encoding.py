"""Issue 25, encodings through the command line: a list saved in Windows-1252 (Excel on Windows) is imported with a
warning naming the encoding; bytes that are no text are one line and exit 2."""

from __future__ import annotations

from pathlib import Path

from conftest import files_under
from imported import import_, records, write

FIXTURES = Path(__file__).parent / "fixtures" / "imports"


# --- encodings: a list saved in Windows-1252 is read, with a warning naming the encoding ----------------------


def test_a_publish_or_perish_csv_saved_by_excel_in_windows_1252_is_imported_with_a_warning(workspace, tmp_path):
    text = (FIXTURES / "pop_lecun.csv").read_text(encoding="utf-8").replace("Y LeCun", "Y LeCun, S Hauberg, Z Müller")
    path = write(tmp_path / "pop.csv", text.replace("\n", "\r\n"), encoding="cp1252")

    result = import_(workspace, str(path), "--author", "lecun", "--source", "pop")

    assert result.exit_code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning: pop.csv is not UTF-8")]
    assert warning == [
        "warning: pop.csv is not UTF-8 text: read as Windows-1252 (cp1252), the encoding it looks most like; "
        "if accented names look wrong, save it as UTF-8 and import it again"
    ]
    saved = records(workspace, source="pop")
    assert len(saved) == 5 and sum("Z Müller" in r.authors for r in saved) == 4


def test_a_file_that_is_no_text_in_any_encoding_is_one_line_and_exit_2(workspace, tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(bytes(range(256)) * 64)
    before = files_under(workspace)

    result = import_(workspace, str(path))

    assert result.exit_code == 2 and "Traceback" not in result.output
    assert (
        result.stderr.strip()
        == f"Error: file to import {path} is not UTF-8 text, nor text in another encoding. Export or save it as UTF-8."
    )
    assert files_under(workspace) == before
