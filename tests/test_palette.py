"""Topic colours: Tol's discrete rainbow stays distinct, also for colour-blind readers; the heatmap's scale."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from authorstats.analysis import tables
from authorstats.render import charts, palette, pictures
from authorstats.shell.config_files import load_taxonomy

# CIE76 distances (CIELAB, D65). About 2.3 is just noticeable side by side; the thresholds are what Tol's sets
# keep for 2 to 23 topics, and well above what the earlier palette had (0.9 under deuteranopia).
NORMAL_MIN = 12.0
COLOUR_BLIND_MIN = 9.0


def closest(colors, matrix=None):
    return min(palette.delta_e(a, b, matrix) for a, b in itertools.combinations(colors, 2))


def test_the_bundled_taxonomy_gets_one_distinct_colour_per_topic():
    names = load_taxonomy().names
    colors = charts.topic_colors(names)
    assert list(colors) == list(names) and len(set(colors.values())) == len(names) == 18
    assert closest(colors.values()) >= NORMAL_MIN
    assert closest(colors.values(), palette.DEUTERANOPIA) >= COLOUR_BLIND_MIN
    assert closest(colors.values(), palette.PROTANOPIA) >= COLOUR_BLIND_MIN


@pytest.mark.parametrize("count", range(2, 20))
def test_every_taxonomy_of_up_to_20_topics_with_other_keeps_the_distances(count):
    """Tol's sets for 2 to 19 topics, plus grey for Other (his sets for 20 to 23 come closer, to 10.7)."""
    colors = list(charts.topic_colors([f"t{i}" for i in range(count)] + ["Other"]).values())
    assert len(set(colors)) == count + 1
    assert closest(colors) >= NORMAL_MIN
    assert closest(colors, palette.DEUTERANOPIA) >= COLOUR_BLIND_MIN


def test_the_simulation_finds_the_confusions_the_issue_reported_in_the_old_palette():
    """Tableau's colours as the report used them: RL and Science & Health browns, Object Detection and
    Language & Multimodal pinks; and red against green, the classic deuteranope confusion."""
    assert palette.delta_e("#e15759", "#59a14f", palette.DEUTERANOPIA) < 2 < palette.delta_e("#e15759", "#59a14f")
    old = [
        "#4e79a7",
        "#f28e2b",
        "#e15759",
        "#76b7b2",
        "#59a14f",
        "#edc948",
        "#b07aa1",
        "#ff9da7",
        "#9c755f",
        "#bab0ac",
        "#1f77b4",
        "#aec7e8",
        "#ffbb78",
        "#98df8a",
        "#c5b0d5",
        "#c49c94",
        "#f7b6d2",
        "#c7c7c7",
    ]
    assert closest(old, palette.DEUTERANOPIA) < COLOUR_BLIND_MIN


def test_colour_science_matches_published_values():
    # sRGB white is L*=100, a*=b*=0; sRGB red is L*=53.24, a*=80.09, b*=67.20 (CIELAB, D65).
    assert palette.lab(palette.linear_rgb("#FFFFFF")) == pytest.approx((100, 0, 0), abs=0.01)
    assert palette.lab(palette.linear_rgb("#FF0000")) == pytest.approx((53.24, 80.09, 67.20), abs=0.05)
    # Machado et al.'s matrices keep greys grey (each row sums to 1).
    for matrix in (palette.DEUTERANOPIA, palette.PROTANOPIA):
        assert palette.simulate((0.5, 0.5, 0.5), matrix) == pytest.approx((0.5, 0.5, 0.5), abs=1e-5)


def test_segment_labels_are_black_on_light_colours_and_white_on_dark():
    assert palette.text_color("#F7F056") == "black" and palette.text_color("#72190E") == "white"


FRAME = pd.DataFrame(
    {"author": ["a"] * 9 + ["b"] * 2, "topic": ["RL"] * 6 + ["Physics"] * 3 + ["RL", "Physics"], "year": 2021}
)
TOPICS = ["RL", "Physics", "Other"]


def test_the_heatmap_is_shaded_by_shares_when_totals_differ_more_than_twice_and_prints_counts():
    matrix = tables.author_topic_matrix(FRAME, ["a", "b"], TOPICS)
    assert pictures.heatmap_scale(matrix) == "shares"  # 9 papers against 2
    assert pictures.heatmap_scale(matrix.loc[["b"]]) == "counts"
    fig, ax = charts.new_figure(4, 3, 50)
    image = charts.draw_heatmap(ax, matrix, None, "t", "shares")
    assert [t.get_text() for t in ax.texts] == ["6", "3", "0", "1", "1", "0"]  # counts in the cells
    shading = image.get_array()
    assert shading[1, 0] == pytest.approx(0.5) and shading[0, 0] == pytest.approx(6 / 9)  # b's 1 of 2 is half
    charts.close(fig)
    fig, ax = charts.new_figure(4, 3, 50)
    assert charts.draw_heatmap(ax, matrix, None, "t", "counts").get_array()[1, 0] == 1
    charts.close(fig)


@pytest.mark.slow
def test_report_heatmap_option_and_its_default(tmp_path):
    from typer.testing import CliRunner

    from authorstats.cli import app

    result = CliRunner().invoke(
        app,
        [
            "report",
            "--workspace",
            str(tmp_path),
            "--no-clouds",
            "--dpi",
            "50",
            "--heatmap",
            "counts",
            "--format",
            "svg",
        ],
    )
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "reports" / "topic_heatmap.svg").read_text(encoding="utf-8")
    assert "shaded by share" not in svg
    result = CliRunner().invoke(
        app, ["report", "--workspace", str(tmp_path), "--no-clouds", "--dpi", "50", "--format", "svg"]
    )
    assert result.exit_code == 0, result.output  # the bundled authors: 72, 33 and 15 papers, so shares
    assert "shaded by share" in (tmp_path / "reports" / "topic_heatmap.svg").read_text(encoding="utf-8")
