"""Pictures drawn by worker processes: the same report as drawn in turn; overview charts capped at the top authors."""

from __future__ import annotations

import multiprocessing
import re
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from authorstats.analysis import report as analysis
from authorstats.analysis import tables
from authorstats.cli import app
from authorstats.render import clouds, jobs
from authorstats.shell import report
from authorstats.shell.painter import Painter

runner = CliRunner()


def build(root, workers, clouds=True):
    """The bundled report through the pipeline `report` runs, drawn small by ``workers`` processes."""
    root.mkdir()
    request = report.ReportRequest(years="2021-2022", clouds=clouds, reference="none")
    options = report.SaveOptions(workers=workers, cloud_width=300, cloud_height=150, chart_dpi=50)
    return report.run_report(root, request, options)


@pytest.mark.slow
def test_workers_draw_the_same_files_as_one_process(tmp_path):
    alone = build(tmp_path / "alone", workers=1)
    shared = build(tmp_path / "shared", workers=2)

    names = sorted(p.name for p in (tmp_path / "alone" / "reports").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "shared" / "reports").iterdir())
    # per author: bars, by year, cloud, table; 2 overview; the co-author network, the topic trends and the
    # specialisation chart (LeCun's Self-Supervised; reference none: no comparison)
    assert sum(n.endswith(".png") for n in names) == 3 * 4 + 2 + 3
    for name in names:
        one, two = ((tmp_path / ws / "reports" / name).read_bytes() for ws in ("alone", "shared"))
        if name == "index.html":  # written at a different second, naming its own workspace
            one, two = (
                re.sub(rb"on \d{4}-\d\d-\d\d[^<]*", b"", page).replace(str(tmp_path / ws).encode(), b"WS")
                for page, ws in ((one, "alone"), (two, "shared"))
            )
        assert one == two, name
    # per author: the topics CSV and four pictures (bars, by year, cloud, table)
    assert [len(a.files) for a in alone.authors] == [len(a.files) for a in shared.authors] == [5, 5, 5]


def _no_font(*args, **kwargs):
    raise RuntimeError("no font")


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked only on Linux")
def test_a_failing_picture_fails_the_report_and_stops_the_workers(tmp_path, monkeypatch):
    monkeypatch.setattr(clouds, "make_cloud", _no_font)  # the forked workers have this module too
    with pytest.raises(RuntimeError, match="no font"):
        build(tmp_path / "ws", workers=2)
    assert not [p for p in (tmp_path / "ws").rglob("*") if p.is_file()]  # nothing written, no temporary file left
    assert not multiprocessing.active_children()


def _stuck(ax, marker):  # a chart that never finishes drawing
    open(marker, "w").close()
    time.sleep(60)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked only on Linux")
def running(pid: int | None) -> bool:
    """Whether process ``pid`` still runs (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def test_leaving_the_painter_on_ctrl_c_ends_its_busy_workers(tmp_path):
    marker = tmp_path / "drawing"
    stuck = [jobs.Chart(_stuck, (str(marker),), (1, 1), 10)] * 3
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with Painter(workers=2, clouds=False) as painter:
            workers = painter.workers_alive()
            assert len(workers) == 2
            drawn = painter.draw(stuck)
            while not marker.exists():
                time.sleep(0.05)
            raise KeyboardInterrupt
    assert drawn is not None
    # the stuck workers were ended, not waited for. Asked of the system, not of multiprocessing's bookkeeping: an
    # earlier test's asyncio child watcher (waitpid(-1)) may reap a worker first, which then looks "started"
    # to multiprocessing for ever.
    assert not [worker.pid for worker in workers if running(worker.pid)]
    assert time.monotonic() - started < 60


def test_overview_authors_are_the_ones_with_most_papers_in_roster_order():
    frame = pd.DataFrame({"author": ["a"] * 1 + ["b"] * 3 + ["c"] * 2 + ["d"] * 2, "year": 2021, "topic": "RL"})
    matrix = tables.author_topic_matrix(frame, ["a", "b", "c", "d"], ["RL", "Other"])
    assert analysis.overview_authors(matrix, 4) == ["a", "b", "c", "d"]
    assert analysis.overview_authors(matrix, 2) == ["b", "c"]  # c and d tie: the first in the roster
    assert analysis.overview_authors(matrix, 3) == ["b", "c", "d"]


@pytest.mark.slow
def test_beyond_the_cap_the_overview_shows_the_top_authors_and_the_page_links_the_rest(workspace, monkeypatch):
    monkeypatch.setattr(analysis, "OVERVIEW_AUTHORS", 2)  # the bundled 3 authors stand in for 1,000
    result = runner.invoke(app, ["report", "-w", str(workspace), "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output

    reports = workspace / "reports"
    page = (reports / "index.html").read_text(encoding="utf-8")
    note = "(top 2 of 3 authors; all in topic_counts.csv)"
    assert note in page
    # Bengio (72 papers) and LeCun (33) are drawn and embedded; Hinton (15) is counted and linked
    assert set(pd.read_csv(reports / "topic_counts.csv")["author"]) == {"bengio", "lecun", "hinton"}
    start = page.index('id="author-hinton"')
    hinton = page[start : page.index("</section>", start)]
    assert '<a href="hinton_topics.png">' in hinton and '<a href="hinton_by_year.png">' in hinton
    assert "<img" not in hinton
    assert (reports / "hinton_topics.png").is_file() and (reports / "hinton_by_year.png").is_file()
    lecun = page[page.index('id="author-lecun"') : page.index('id="author-hinton"')]
    assert lecun.count('<img src="data:image/png;base64,') == 2
    assert "<tr><td>Geoffrey Hinton</td>" in page[page.index('id="methods"') :]  # every author in the methods


def test_an_empty_window_draws_no_empty_charts(tmp_path):
    """--years 1990 on the 2021-22 snapshot: the tables say Total 0; no chart with nothing to draw is written."""
    result = runner.invoke(app, ["report", "-w", str(tmp_path), "--years", "1990", "--no-clouds", "--dpi", "50"])
    assert result.exit_code == 0, result.output
    reports = tmp_path / "reports"
    assert (reports / "lecun_topics.csv").read_text(encoding="utf-8").splitlines()[1] == "Total,0"
    assert not list(reports.glob("*.png"))
    page = (reports / "index.html").read_text(encoding="utf-8")
    assert "0 papers in 1990." in page and "covers only 2021-2022" in page
