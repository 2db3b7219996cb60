"""No words on top of other words: the charts a presenter pastes into a slide (by year, the co-author network,
the seminar comparison, the topic trends, the tables and shares) are drawn from the bundled data and every pair
of their text boxes, measured by matplotlib's renderer, is checked for overlap and against the picture's edges;
the network's labels are also kept off its dots."""

from __future__ import annotations

import itertools

import pytest

import authorstats
from authorstats.analysis.report import ReportOptions
from authorstats.render import charts, pictures
from authorstats.render.comparison import comparison_pictures


@pytest.fixture(scope="module")
def data():
    return authorstats.compute_report(
        authorstats.snapshot_records(),
        roster=authorstats.load_roster(),
        taxonomy=authorstats.load_taxonomy(),
        years="2021-2022",
        options=ReportOptions(clouds=False),
        reference=authorstats.load_reference(),
    )


def painted(job):
    fig = pictures.paint(job.job)
    fig.canvas.draw()
    return fig


def drawn_texts(fig):
    """Every piece of text matplotlib draws on ``fig``: its own texts and legends, and per Axes its texts
    (labels on bars, annotations), titles, legend and, when its axes are shown, the tick labels inside its view."""
    texts = list(fig.texts)
    legends = list(fig.legends)
    for ax in fig.axes:
        texts += [*ax.texts, ax.title, ax._left_title, ax._right_title]
        legends += [ax.get_legend()] if ax.get_legend() is not None else []
        if not ax.axison:
            continue
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            texts.append(axis.label)
            for tick in axis.get_major_ticks():
                if low - 1e-9 <= tick.get_loc() <= high + 1e-9:
                    texts += [tick.label1, tick.label2]
    for legend in legends:
        texts += [*legend.get_texts(), legend.get_title()]
    return [t for t in texts if t.get_visible() and t.get_text().strip()]


def text_boxes(fig):
    """(text, box) of every piece of text drawn on the figure, in display pixels."""
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in drawn_texts(fig)]


def collisions(fig):
    """The pairs of texts whose boxes share more than a sliver (one pixel each way) of area."""
    out = []
    for (a, box_a), (b, box_b) in itertools.combinations(text_boxes(fig), 2):
        width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
        height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
        if width > 1 and height > 1:
            out.append((a, b))
    return out


def jobs_of(data, part):
    every = pictures.report_pictures(data, dpi=72) + comparison_pictures(data, dpi=72)
    return [job for job in every if job.part == part]


def cut_off(fig):
    """The texts that reach past the picture's edges (half a pixel allowed)."""
    width, height = fig.bbox.width, fig.bbox.height
    return [
        text
        for text, box in text_boxes(fig)
        if box.x0 < -0.5 or box.y0 < -0.5 or box.x1 > width + 0.5 or box.y1 > height + 0.5
    ]


PARTS = ["by_year", "network", "reference", "trends", "bars", "table", "shares", "heatmap", "specialisation"]


@pytest.mark.parametrize("part", [p for p in PARTS if p != "heatmap"])  # the heatmap's column names are slanted
def test_no_two_texts_of_a_chart_overlap(data, part):
    jobs = jobs_of(data, part)
    assert jobs, part
    for job in jobs:
        fig = painted(job)
        try:
            assert collisions(fig) == [], job.name
        finally:
            charts.close(fig)


@pytest.mark.parametrize("part", PARTS)
def test_no_text_is_cut_at_the_pictures_edge(data, part):
    for job in jobs_of(data, part):
        fig = painted(job)
        try:
            assert cut_off(fig) == [], job.name
        finally:
            charts.close(fig)


def test_the_total_on_the_tallest_bar_stays_under_the_subtitle(data):
    """hinton_by_year's 9 used to run into its subtitle: the axes are tall enough for the number."""
    job = next(j for j in jobs_of(data, "by_year") if j.key == "hinton")
    fig = painted(job)
    try:
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        totals = [t for t in ax.texts if t.get_text() == "9"]
        assert totals
        assert totals[0].get_window_extent(renderer).y1 <= ax.get_window_extent(renderer).y1
    finally:
        charts.close(fig)


def test_no_network_label_lies_on_a_dot(data):
    import numpy as np

    (job,) = jobs_of(data, "network")
    fig = painted(job)
    try:
        ax = fig.axes[0]
        renderer = fig.canvas.get_renderer()
        (dots,) = ax.collections
        centres = dots.get_offset_transform().transform(dots.get_offsets())
        radii = np.sqrt(dots.get_sizes()) / 2 * fig.dpi / 72
        assert len(centres) == len(ax.texts) - 1  # one label per dot, and the note under the picture
        labels = [t for t in ax.texts if t.get_text() in {n.label for n in data.network().nodes}]
        on_dots = []
        for label in labels:
            box = label.get_window_extent(renderer)
            nearest = np.column_stack([np.clip(centres[:, 0], box.x0, box.x1), np.clip(centres[:, 1], box.y0, box.y1)])
            hit = np.hypot(*(centres - nearest).T) < radii - 1
            on_dots += [label.get_text()] if hit.any() else []
        assert on_dots == []
    finally:
        charts.close(fig)


def test_the_trends_chart_shows_the_largest_topics_and_groups_the_rest(data):
    from authorstats.render.analyses_charts import TREND_PANELS, trend_panels

    panels = trend_panels(data.trends)
    assert len(panels) == TREND_PANELS + 1
    shares = data.trends.sum(axis=0)
    ranked = shares.drop("Other").sort_values(ascending=False, kind="stable")
    assert [p[0] for p in panels[:TREND_PANELS]] == list(ranked.index[:TREND_PANELS])
    rest = len(data.trends.columns) - TREND_PANELS
    assert panels[-1][0] == f"The other {rest} topics, Other included"
    for year in range(len(data.trends)):  # every panel together is every work of the year
        assert sum(p[2][year] for p in panels) == pytest.approx(1.0)
