"""The public Python API: the example of docs/library.md runs as written; compute_report writes nothing and forks
nothing."""

from __future__ import annotations

import multiprocessing.process
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import authorstats

DOC = Path(__file__).parent.parent / "docs" / "library.md"


def doc_example() -> str:
    """The first Python block of docs/library.md."""
    return re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)


def tree(root: Path) -> list[tuple[str, int]]:
    """Every path under ``root`` with its size (folders -1): compare before/after to see that nothing was written."""
    return sorted((str(p.relative_to(root)), p.stat().st_size if p.is_file() else -1) for p in root.rglob("*"))


def _refuse(*args, **kwargs):
    raise AssertionError("compute_report started a process")


def test_the_documented_example_runs_as_written_and_gives_the_seminar_table():
    namespace: dict = {}
    exec(compile(doc_example(), str(DOC), "exec"), namespace)

    table = namespace["data"].table("lecun")
    assert list(table.columns) == ["Topic", "Count"]
    lecun = sum(r.author == "lecun" and r.year in (2021, 2022) for r in authorstats.snapshot_records())
    assert table.iloc[0].tolist() == ["Total", lecun]
    assert table["Count"].iloc[1:].sum() == lecun
    taxonomy = namespace["taxonomy"]
    assert (
        authorstats.classify("VICReg: Variance-Invariance-Covariance Regularization", taxonomy=taxonomy).topic
        == "Self-Supervised"
    )


def test_the_table_is_the_one_the_report_command_writes(shared_report):
    workspace = shared_report[0]  # `report --no-clouds` of the bundled snapshot (conftest.py)
    data = authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=authorstats.load_taxonomy(),
        years=authorstats.YearWindow(2021, 2022),
    )
    for item in data.authors:
        key = item.author.key
        written = (workspace / "reports" / f"{key}_topics.csv").read_text(encoding="utf-8")
        assert data.table(key).to_csv(index=False) == written
    processed = (workspace / "data" / "processed" / "publications.csv").read_text(encoding="utf-8")
    assert data.processed().to_csv(index=False) == processed
    assert data.used_snapshot and [a.provenance.label for a in data.authors] == ["snapshot"] * 3


def test_compute_report_in_an_empty_read_only_folder_writes_nothing_prints_nothing_and_forks_nothing(
    tmp_path, monkeypatch, capsys
):
    folder = tmp_path / "empty"
    folder.mkdir()
    folder.chmod(0o555)  # as root this does not stop a write: the tree is compared as well
    monkeypatch.chdir(folder)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", _refuse)
    monkeypatch.setattr(os, "fork", _refuse)
    monkeypatch.setattr(subprocess.Popen, "__init__", _refuse)
    taxonomy, roster, records = authorstats.load_taxonomy(), authorstats.load_roster(), authorstats.snapshot_records()
    before = tree(tmp_path)

    data = authorstats.compute_report(
        records,
        roster=roster,
        taxonomy=taxonomy,
        years="2021-2022",
        labels={"vicreg variance invariance covariance regularization for self supervised learning": "Contrastive"},
        options=authorstats.ReportOptions(distinctive=True),
    )

    assert tree(tmp_path) == before
    assert capsys.readouterr() == ("", "")
    folder.chmod(0o755)
    lecun = data.author("lecun")
    assert lecun.cloud_weights and lecun.cloud_caption.startswith("Distinctive words of Yann LeCun")
    assert data.manual_labels == 1
    assert bool(data.publications.loc[data.publications["topic"] == "Contrastive", "manual"].any())


def test_records_of_every_source_are_merged_and_counted_in_their_window():
    Publication = authorstats.Publication
    records = [
        Publication(author="ada", title="Engines: Analytical", year=2021, source="mine", venue="arXiv preprint"),
        Publication(author="ada", title="Engines: analytical", year=2022, source="mine", venue="NeurIPS"),
        Publication(author="ada", title="Notes on a Translation", year=2019, source="mine"),
        Publication(author="bob", title="Not in the roster", year=2021, source="mine"),
    ]
    data = authorstats.compute_report(
        records,
        roster=[authorstats.Author("ada", "Ada Lovelace")],
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=authorstats.ReportOptions(clouds=False),
    )
    ada = data.author("ada")
    assert (ada.provenance.records_read, ada.provenance.records_merged, ada.provenance.records_in_window) == (3, 1, 1)
    assert ada.provenance.sources == ("mine",)
    assert data.table("ada").iloc[0].tolist() == ["Total", 1]
    assert list(data.duplicates()["dropped_venue"]) == ["arXiv preprint"]
    assert ada.cloud_weights == {}
    with pytest.raises(KeyError, match="no author 'bob'"):
        data.table("bob")


def test_every_public_name_resolves_and_importing_the_package_loads_no_heavy_module():
    for name in authorstats.__all__:
        assert getattr(authorstats, name) is not None, name
    from authorstats.classification import engine

    assert authorstats.classify is engine.classify
    code = (
        "import sys, authorstats; authorstats.YearWindow.parse('2021'); authorstats.BadInputError; "
        "print(sorted(m for m in ('pandas', 'matplotlib', 'numpy', 'scholarly') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_package_is_marked_as_typed_and_ships_the_marker():
    assert (Path(authorstats.__file__).parent / "py.typed").is_file()
    pyproject = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["authorstats"]


def test_the_library_page_uses_only_public_names():
    """docs/library.md's code uses ``authorstats.NAME`` with NAME in the public API, never a module inside it."""
    text = DOC.read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, re.S))
    assert "from authorstats." not in code and "import authorstats." not in code
    used = set(re.findall(r"\bauthorstats\.(\w+)", code))
    assert used and used <= set(authorstats.__all__), used - set(authorstats.__all__)
    named = set(re.findall(r"^\| `(\w+)[(`]", text, re.M))  # the API table's first column
    assert named and named <= set(authorstats.__all__), named - set(authorstats.__all__)


def test_the_documented_run_report_example_writes_the_report(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "run_report" in b)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(compile(example, str(DOC), "exec"), namespace)
    result = namespace["result"]
    assert result.index == Path("reports/index.html") or result.index.resolve() == (tmp_path / "reports" / "index.html")
    assert {a.author.key for a in result.authors} == {"lecun", "hinton"}
    assert (tmp_path / "reports" / "lecun_topics.svg").is_file()
