"""A picture drawn by the painter, with the garbage collector paused while it is drawn, frees all it leaves at once
and gives the same bytes; a caller's paused collector stays paused."""

from __future__ import annotations

from authorstats.render import pictures
from authorstats.shell import painter


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


def _table():
    import pandas as pd

    return pd.DataFrame({"Topic": ["Total", "Vision", "Robotics"], "Count": [3, 2, 1]})
