"""--year-basis: the year a merged work counts in when its versions' years differ."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from authorstats.analysis.report import ReportOptions, compute_report
from authorstats.cli import app
from authorstats.models import Author, Publication

ROSTER = [Author("ann", "Ann Lee")]
# One work in two versions: the arXiv preprint of 2022 and the ICLR paper of 2023 (same arXiv id).
PREPRINT = Publication(
    author="ann",
    title="Sparse Mixtures of Experts for Image Segmentation",
    year=2022,
    source="scholar",
    venue="arXiv preprint arXiv:2209.01234",
    extra={"arxiv_id": "2209.01234"},
)
PAPER = Publication(
    author="ann",
    title="Sparse Mixtures of Experts for Image Segmentation",
    year=2023,
    source="scholar",
    venue="ICLR 2023",
    extra={"arxiv_id": "2209.01234"},
)
OTHER = Publication(
    author="ann", title="Contrastive Learning of Speech", year=2023, source="scholar", venue="ICASSP 2023"
)


def report(years: str, basis: str):
    from authorstats.config.taxonomy import parse_taxonomy
    from authorstats.shell.config_files import default_taxonomy_path

    taxonomy = parse_taxonomy(default_taxonomy_path().read_text(encoding="utf-8"), "taxonomy.toml")
    return compute_report(
        [PREPRINT, PAPER, OTHER],
        roster=ROSTER,
        taxonomy=taxonomy,
        years=years,
        options=ReportOptions(clouds=False, year_basis=basis),
    )


@pytest.mark.parametrize(
    "years, basis, papers",
    [
        ("2022", "first", ["Sparse Mixtures of Experts for Image Segmentation"]),
        ("2023", "first", ["Contrastive Learning of Speech"]),
        ("2022", "published", []),
        ("2023", "published", ["Contrastive Learning of Speech", "Sparse Mixtures of Experts for Image Segmentation"]),
    ],
)
def test_a_merged_work_counts_in_the_year_its_basis_gives(years, basis, papers):
    data = report(years, basis)
    assert sorted(data.publications["title"]) == papers
    assert data.author("ann").provenance.records_merged == 1


def test_duplicates_show_both_years_and_the_year_counted():
    first, published = report("2021-2023", "first"), report("2021-2023", "published")
    for data, counted in ((first, 2022), (published, 2023)):
        row = data.duplicates().iloc[0]
        assert (row["kept_year"], row["dropped_year"], row["counted_year"]) == (2023, 2022, counted)
        assert list(data.publications.loc[data.publications["venue"] == "ICLR 2023", "year"]) == [counted]
    assert any("earliest public version's year (`--year-basis first`)" in n for n in first.notes)
    assert any("`--year-basis published`" in n for n in published.notes)


def test_an_unknown_basis_is_refused(tmp_path):
    result = CliRunner().invoke(app, ["report", "-w", str(tmp_path), "--year-basis", "latest"])
    assert result.exit_code == 2 and "latest" in result.output
