"""Every output names where its numbers come from (issue 13, item 3), and the seminar-style table picture (item 5)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from typer.testing import CliRunner

from authorstats.analysis.coverage import snapshot_gap, source_note
from authorstats.cli import app
from authorstats.models import YearWindow

runner = CliRunner()
SNAPSHOT_LECUN = "bundled snapshot: 33 verified works, not Google Scholar's full list"


def test_the_source_note_names_source_and_coverage():
    assert source_note(("snapshot",), 33, "not recorded") == SNAPSHOT_LECUN
    assert source_note(("scholar",), 40, "2026-12-02") == "Google Scholar, fetched 2026-12-02"
    assert (
        source_note(("openalex", "dblp"), 4, "2026-11-30 to 2026-12-02")
        == "OpenAlex + dblp, fetched 2026-11-30 to 2026-12-02"
    )
    assert source_note(("my-list",), 4, "not recorded") == "my-list (imported), fetch date not recorded"
    assert source_note((), 0, "not recorded") == "no data found"


def test_the_snapshot_gap_is_only_outside_its_years():
    assert snapshot_gap(YearWindow(2021, 2022), ["lecun"]) == ""
    assert snapshot_gap(YearWindow(2022, 2022), ["lecun"]) == ""
    assert snapshot_gap(YearWindow(2020, 2022), []) == ""  # no author read from the snapshot
    assert "covers only 2021-2022, so 1990 reports no paper of lecun" in snapshot_gap(YearWindow(1990, 1990), ["lecun"])


@pytest.fixture(scope="module")
def lecun_report(tmp_path_factory):
    root = tmp_path_factory.mktemp("ws")
    result = runner.invoke(app, ["report", "-w", str(root), "-a", "lecun", "--cloud-size", "400x200", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    return root, result.output


def test_page_summary_and_terminal_name_the_source(lecun_report):
    root, output = lecun_report
    page = (root / "reports" / "index.html").read_text(encoding="utf-8").replace("&#x27;", "'")
    summary = (root / "reports" / "summary.md").read_text(encoding="utf-8")
    top = page[: page.index('<section id="overview">')]  # the first screen, before any number
    assert f"Data: Yann LeCun: {SNAPSHOT_LECUN}." in top
    assert summary.splitlines()[2] == f"Data: Yann LeCun: {SNAPSHOT_LECUN}."
    assert f"Data: {SNAPSHOT_LECUN}." in summary.split("## Yann LeCun")[1]
    assert f"33 papers from snapshot ({SNAPSHOT_LECUN})" in output


def test_the_pictures_carry_the_source(lecun_report):
    import authorstats
    from authorstats.analysis.report import ReportOptions
    from authorstats.render import pictures

    data = authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster()[1:2],
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=ReportOptions(stopwords=frozenset()),
    )
    jobs = {job.part: job.job for job in pictures.report_pictures(data, cloud_size=(400, 200), dpi=50)}
    for part in ("bars", "by_year", "table"):
        assert jobs[part].args[-1] == SNAPSHOT_LECUN, part  # type: ignore[union-attr]  # the subtitle
    assert jobs["cloud"].caption == f"Yann LeCun, 2021-2022: {SNAPSHOT_LECUN}"  # type: ignore[union-attr]
    assert "Data: bundled snapshot" in jobs["heatmap"].args[2]  # type: ignore[union-attr]
    root, _ = lecun_report
    cloud = Image.open(root / "reports" / "lecun_wordcloud.png")
    assert cloud.size == (400, 200)  # the caption's band is inside the asked size
    band = cloud.convert("L").crop((0, 200 - 12, 400, 200))
    assert min(band.getdata()) < 128  # the caption's dark text is drawn in the band


def test_the_overview_study_and_reference_charts_carry_the_source():
    import authorstats
    from authorstats.analysis.report import ReportOptions
    from authorstats.render.analyses_pictures import analyses_pictures
    from authorstats.render.comparison import comparison_pictures

    data = authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster()[1:3],
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=ReportOptions(clouds=False),
        reference=authorstats.load_reference(),
        group_by="seminar",
    )
    study = {job.part: job.job.args for job in analyses_pictures(data, dpi=50)}  # type: ignore[union-attr]
    # no citation counts in the snapshot: no impact charts; LeCun's Self-Supervised: a specialisation chart
    assert set(study) == {"network", "trends", "specialisation"}
    for part, args in study.items():
        assert args[-1] == "Data: bundled snapshot of verified works, not Google Scholar's full lists", part
    reference = [job.job.args for job in comparison_pictures(data, dpi=50)]  # type: ignore[union-attr]
    assert len(reference) == 2  # LeCun's and Hinton's tables have topics
    subtitle = reference[0][-1]
    assert "seminar: the seminar's tables" in subtitle and f"authorstats: {SNAPSHOT_LECUN}" in subtitle


def test_the_table_picture_is_the_seminar_table(lecun_report):
    root, _ = lecun_report
    picture = root / "reports" / "lecun_table.png"
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = len((root / "reports" / "lecun_topics.csv").read_text(encoding="utf-8").splitlines())  # header + Total + 12
    width, height = Image.open(io.BytesIO(picture.read_bytes())).size
    assert width == 5 * 50 and abs(height - (1.05 + 0.34 * rows) * 50) <= 1  # one row per line of the table


@pytest.mark.slow
def test_a_window_outside_the_snapshot_warns(tmp_path):
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--years", "1990", "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    assert (
        "warning: the bundled snapshot covers only 2021-2022, so 1990 reports no paper of bengio, lecun, hinton"
        in result.output
    )
    assert "covers only 2021-2022" in (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert "covers only 2021-2022" in (tmp_path / "reports" / "summary.md").read_text(encoding="utf-8")
