"""Drawing only what changed: each picture's fingerprint moves with exactly what it draws, and a re-run reuses the
last report's file of every picture whose fingerprint did not move, byte for byte."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import authorstats
from authorstats.cli import app
from authorstats.render import pictures
from authorstats.render.fingerprint import Unhashable, job_key
from authorstats.render.jobs import Chart, PictureJob
from authorstats.shell import picture_cache, report, store

runner = CliRunner()
RELABELLED = "Compact and Optimal Deep Learning with Recurrent Parameter Generators"  # lecun's alone; Architecture
LABEL = f'title,source_id,topic\n"{RELABELLED}",,Generation\n'
SMALL = report.SaveOptions(chart_dpi=50, cloud_width=400, cloud_height=200, workers=1)
OVERVIEW = {  # pictures of the whole roster: a change to any author may move them
    "topic_heatmap.png",
    "topic_shares.png",
    "topic_trends.png",
    "coauthor_network.png",
    "impact.png",
    "impact_by_year.png",
    "specialisation.png",  # each author against the roster's shares
}


def _keys(root: Path, request: report.ReportRequest = report.ReportRequest(), **options: object) -> dict[str, str]:
    data = report.report_data(store.Workspace(root), report.prepare(request))
    jobs = pictures.report_pictures(data, **options)  # type: ignore[arg-type]
    return {p.name: job_key(p.job, picture_cache.drawing_context()) for p in jobs}


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    assert set(before) == set(after)
    return {name for name in before if before[name] != after[name]}


@pytest.mark.slow
def test_a_recomputed_report_has_the_same_fingerprints(tmp_path):
    """Computing the same report twice gives the same fingerprints: a re-run with nothing changed reuses all."""
    first, second = _keys(tmp_path), _keys(tmp_path)
    assert first == second and len(set(first.values())) == len(first) >= 15


def test_a_label_correction_moves_only_that_authors_pictures_and_the_overview(tmp_path):
    before = _keys(tmp_path)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "labels.csv").write_text(LABEL, encoding="utf-8")
    changed = _changed(before, _keys(tmp_path))
    # the author's topic bars, table picture and topics by year, and the overview charts counting topics
    assert {"lecun_topics.png", "lecun_table.png", "lecun_by_year.png", "topic_heatmap.png"} <= changed
    assert {"topic_shares.png", "topic_trends.png"} <= changed
    assert all(name.startswith("lecun_") or name in OVERVIEW for name in changed), changed
    assert "lecun_wordcloud.png" not in changed  # a cloud weighs the words of titles, not their topics


def test_a_stop_word_moves_only_the_clouds_that_had_the_word(tmp_path):
    bundled = Path(authorstats.__file__).parent / "data" / "stopwords.txt"
    words = tmp_path / "stopwords.txt"
    words.write_text(bundled.read_text(encoding="utf-8") + "\nVICReg\nvicreg\n", encoding="utf-8")
    before = _keys(tmp_path, report.ReportRequest(stopwords=bundled))
    after = _keys(tmp_path, report.ReportRequest(stopwords=words))
    assert _changed(before, after) == {"lecun_wordcloud.png"}  # the only cloud with the word


@pytest.mark.parametrize(
    ("options", "moved"),
    [
        ({"cloud_size": (800, 400)}, lambda name: "wordcloud" in name),  # a cloud's size: only the clouds
        ({"dpi": 100}, lambda name: "wordcloud" not in name),  # the charts' resolution: every chart, no cloud
        ({"heatmap": "counts"}, lambda name: name == "topic_heatmap.png"),  # its own style: the heatmap alone
    ],
)
def test_a_drawing_option_moves_exactly_the_pictures_it_draws(tmp_path, options, moved):
    before, after = _keys(tmp_path), _keys(tmp_path, **options)
    changed = _changed(before, after)
    assert changed and changed == {name for name in before if moved(name)}


def _jobs(root: Path) -> dict[str, PictureJob]:
    data = report.report_data(store.Workspace(root), report.prepare(report.ReportRequest()))
    return {p.name: p for p in pictures.report_pictures(data)}


def test_one_more_joint_paper_in_the_network_moves_its_fingerprint(tmp_path):
    job = _jobs(tmp_path)["coauthor_network.png"].job
    assert isinstance(job, Chart)
    net = job.args[0]
    a, b, papers = net.edges[0]
    more = dataclasses.replace(net, edges=((a, b, papers + 1), *net.edges[1:]))
    assert job_key(dataclasses.replace(job, args=(more, *job.args[1:]))) != job_key(job)
    assert job_key(dataclasses.replace(job, args=(net, *job.args[1:]))) == job_key(job)


def test_a_table_cell_a_colour_or_the_library_versions_move_the_fingerprint(tmp_path):
    job = _jobs(tmp_path)["bengio_table.png"].job
    assert isinstance(job, Chart)
    table = job.args[0].copy()
    table.loc[table.index[1], "Count"] += 1
    assert job_key(dataclasses.replace(job, args=(table, *job.args[1:]))) != job_key(job)
    bars = _jobs(tmp_path)["bengio_topics.png"].job
    assert isinstance(bars, Chart)
    colours = dict(bars.args[1], Other="#000001")
    assert job_key(dataclasses.replace(bars, args=(bars.args[0], colours, *bars.args[2:]))) != job_key(bars)
    assert job_key(job, "matplotlib 3.11.2") != job_key(job, "matplotlib 3.11.3")


def test_a_value_that_cannot_be_written_out_exactly_is_never_reused():
    job = Chart(print, (object(),), (1, 1), 50)
    with pytest.raises(Unhashable):
        job_key(job)
    only = PictureJob("", "x", "x.png", "", job)
    assert picture_cache.plan([only], {"reports/x.png": "0" * 64}, {}).reusable == [False]


def _run(root: Path, **options: object) -> report.ReportResult:
    return report.run_report(root, save=dataclasses.replace(SMALL, **options))  # type: ignore[arg-type]


def _pictures(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "reports").iterdir()) if p.suffix in (".png", ".svg")}


@pytest.mark.slow
def test_a_rerun_reuses_every_unchanged_picture_and_redraws_a_damaged_or_missing_one(workspace, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = _run(workspace)
    assert first.pictures_reused == [] and len(first.pictures_drawn) >= 15
    drawn, page = _pictures(workspace), (workspace / "reports" / "index.html").read_bytes()
    again = _run(workspace)
    assert again.pictures_drawn == [] and sorted(again.pictures_reused) == sorted(drawn)
    assert _pictures(workspace) == drawn and (workspace / "reports" / "index.html").read_bytes() == page

    (workspace / "reports" / "hinton_table.png").write_bytes(drawn["hinton_table.png"][:100])  # cut short
    (workspace / "reports" / "bengio_wordcloud.png").unlink()
    mended = _run(workspace)
    assert sorted(mended.pictures_drawn) == ["bengio_wordcloud.png", "hinton_table.png"]
    assert _pictures(workspace) == drawn and (workspace / "reports" / "index.html").read_bytes() == page


@pytest.mark.slow
def test_after_a_label_correction_the_redrawn_and_reused_pictures_are_a_fresh_reports(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    kept, fresh = tmp_path / "kept", tmp_path / "fresh"
    for root in (kept, fresh):
        (root / "data").mkdir(parents=True)
    _run(kept)
    (kept / "data" / "labels.csv").write_text(LABEL, encoding="utf-8")
    (fresh / "data" / "labels.csv").write_text(LABEL, encoding="utf-8")
    corrected = _run(kept)
    assert {"lecun_topics.png", "lecun_table.png", "topic_heatmap.png"} <= set(corrected.pictures_drawn)
    assert all(n.startswith("lecun_") or n in OVERVIEW for n in corrected.pictures_drawn), corrected.pictures_drawn
    assert "bengio_topics.png" in corrected.pictures_reused
    _run(fresh)
    assert _pictures(kept) == _pictures(fresh)
    assert (kept / "reports" / "index.html").read_bytes() == (fresh / "reports" / "index.html").read_bytes()


@pytest.mark.slow
def test_report_says_how_many_pictures_it_reused_and_redraw_draws_them_all(workspace):
    args = ["report", "--workspace", str(workspace), "--dpi", "50", "--cloud-size", "400x200", "--author", "hinton"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    drawn = int(first.output.split("Pictures: drew ")[1].split(".")[0])
    (workspace / "reports" / "hinton_table.png").unlink()  # a file gone: the report is made again
    again = runner.invoke(app, args)
    assert f"Pictures: drew 1, reused {drawn - 1} unchanged since the last report" in again.output
    forced = runner.invoke(app, [*args, "--redraw"])
    assert f"Pictures: drew {drawn}." in forced.output


def test_matplotlib_settings_move_with_a_users_matplotlibrc_and_with_changes_made_in_this_process(
    tmp_path, monkeypatch
):
    import matplotlib

    monkeypatch.chdir(tmp_path)
    home = {"HOME": str(tmp_path)}  # no matplotlibrc of this machine's user counts
    plain = picture_cache.matplotlib_settings(home)
    (tmp_path / ".config" / "matplotlib").mkdir(parents=True)
    (tmp_path / ".config" / "matplotlib" / "matplotlibrc").write_text("font.size: 14\n", encoding="utf-8")
    assert picture_cache.matplotlib_settings(home) != plain
    (tmp_path / ".config" / "matplotlib" / "matplotlibrc").unlink()
    with matplotlib.rc_context({"font.size": 23}):  # a library caller's own setting
        assert picture_cache.matplotlib_settings(home) != plain
    assert picture_cache.matplotlib_settings(home) == plain


@pytest.mark.slow
def test_a_report_that_reuses_every_picture_does_not_import_matplotlib(tmp_path):
    """A re-run with nothing changed reads its pictures back, so it need not pay for importing matplotlib; and the
    fingerprints it computes without matplotlib match those of the run that drew the pictures with it."""
    script = (
        "import sys; from authorstats.shell import report; "
        f"save = report.SaveOptions(chart_dpi=50, cloud_width=400, cloud_height=200, workers=1); "
        f"result = report.run_report({str(tmp_path)!r}, save=save); "
        "print(len(result.pictures_drawn), len(result.pictures_reused), 'matplotlib' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    again = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=tmp_path)
    drawn = int(first.stdout.split()[0])
    assert drawn >= 15 and first.stdout.split()[1:] == ["0", "True"]
    assert again.stdout.split() == ["0", str(drawn), "False"]
