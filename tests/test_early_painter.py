"""A first report starts its painter before the report is computed (its workers warm up meanwhile); a report that
may reuse pictures, one without pictures, one drawn in this process and one given a painter do not. That the early
workers draw the same bytes as one process is test_render's test_workers_draw_the_same_files_as_one_process (a
first report in a fresh workspace). And a picture drawn with the garbage collector paused frees all it leaves."""

from __future__ import annotations

import json

import matplotlib
import pytest

from authorstats.render import pictures
from authorstats.shell import manifest, painter, picture_cache, store


class StandIn:
    """Records how the painter would have been started, instead of forking workers."""

    started: list[tuple[int | None, bool, bool]] = []

    def __init__(self, workers=None, clouds=True, *, early=False):
        StandIn.started.append((workers, clouds, early))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None


@pytest.fixture
def stand_in(monkeypatch):
    StandIn.started = []
    monkeypatch.setattr(painter, "Painter", StandIn)
    return StandIn


def started(ws, given=None, workers=None, redraw=False, tables_only=False, clouds=True):
    with picture_cache.early_painter(
        ws, given, clouds=clouds, workers=workers, redraw=redraw, tables_only=tables_only
    ) as chosen:
        return chosen


def last_report(ws, fingerprints):
    path = manifest.manifest_path(ws)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"files": {}, "fingerprints": fingerprints}), encoding="utf-8")


def test_a_first_report_starts_its_painter_early(tmp_path, stand_in):
    ws = store.Workspace(tmp_path)
    assert isinstance(started(ws, clouds=False), StandIn)
    assert stand_in.started == [(None, False, True)]


def test_a_report_that_may_reuse_pictures_starts_its_painter_once_it_knows_what_to_draw(tmp_path, stand_in):
    ws = store.Workspace(tmp_path)
    last_report(ws, {"reports/topic_heatmap.png": "f" * 64})
    assert started(ws) is None
    assert started(ws, redraw=True) is not None  # --redraw draws everything: early again
    assert stand_in.started == [(None, True, True)]


def test_a_last_report_with_no_picture_is_a_first_report(tmp_path, stand_in):
    ws = store.Workspace(tmp_path)
    last_report(ws, {"data/processed/authorstats.db": "d" * 64})  # --tables-only: a database, no picture
    assert started(ws, workers=2) is not None
    assert stand_in.started == [(2, True, True)]


def test_no_early_painter_without_pictures_workers_or_with_one_given(tmp_path, stand_in):
    ws = store.Workspace(tmp_path)
    given = object()
    assert started(ws, given=given) is given
    assert started(ws, tables_only=True) is None
    assert started(ws, workers=1) is None
    assert stand_in.started == []


def test_the_warm_up_leaves_the_settings_and_the_pictures_as_they_were():
    from authorstats.render import charts
    from authorstats.render.jobs import Chart

    job = Chart(charts.draw_topic_bars, (_table(), {}, "Warm", "source"), (4, 3), 50)
    before, settings = pictures.draw(job), dict(matplotlib.rcParams)
    pictures.warm_up()
    assert dict(matplotlib.rcParams) == settings
    assert pictures.draw(job) == before


def _table():
    import pandas as pd

    return pd.DataFrame({"Topic": ["Total", "Vision", "Robotics"], "Count": [3, 2, 1]})


def test_a_picture_drawn_with_the_collector_paused_leaves_no_garbage_and_the_same_bytes():
    import gc

    from authorstats.render import charts
    from authorstats.render.jobs import Chart

    job = Chart(charts.draw_topic_bars, (_table(), {}, "Collected", "source"), (4, 3), 50)
    plain = pictures.draw(job)
    gc.collect()
    assert painter.draw_collected(job) == plain
    assert gc.isenabled()
    assert gc.collect() == 0  # the picture's objects were freed by the pass after it
    gc.disable()
    try:
        assert painter.draw_collected(job) == plain
        assert not gc.isenabled()  # a caller's paused collector stays paused
    finally:
        gc.enable()
