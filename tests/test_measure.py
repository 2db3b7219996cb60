"""Text measured once a process (render/measure.py) gives the numbers a fresh measurement gives: for another
figure, another dpi and other font settings; and lines broken by halving are the lines a word-by-word break gives."""

from __future__ import annotations

import matplotlib
import pytest

from authorstats.render import charts, measure


def fresh(fig, text, size, rotation=0.0):
    """What a Text of ``text`` measures on ``fig``, in inches, without the process's measures."""
    from matplotlib.text import Text

    box = Text(0, 0, text, fontsize=size, rotation=rotation, figure=fig).get_window_extent(charts._renderer(fig))
    return box.width / fig.dpi, box.height / fig.dpi


@pytest.mark.parametrize("rotation", [0.0, 45.0, 90.0])
def test_a_measure_read_back_is_the_measure_of_each_figure(rotation):
    first, _ = charts.new_figure(4, 3, 100)
    again, _ = charts.new_figure(8, 5, 100)
    sharper, _ = charts.new_figure(8, 5, 150)
    label = f"Language & Multimodal {rotation}"
    assert measure.extent(first, [label], 12, rotation) == fresh(first, label, 12, rotation)
    assert measure.extent(again, [label], 12, rotation) == fresh(again, label, 12, rotation)
    assert measure.extent(sharper, [label], 12, rotation) == fresh(sharper, label, 12, rotation)
    assert measure.extent(sharper, [label], 12, rotation) != measure.extent(first, [label], 12, rotation)
    assert measure.extent(first, [label], 10, rotation) == fresh(first, label, 10, rotation)


def test_changed_font_settings_are_measured_again():
    fig, _ = charts.new_figure(4, 3, 100)
    before = measure.extent(fig, ["Representation"], 12)
    with matplotlib.rc_context({"font.family": "monospace"}):
        mono = measure.extent(fig, ["Representation"], 12)
        assert mono == fresh(fig, "Representation", 12)
    assert mono != before
    assert measure.extent(fig, ["Representation"], 12) == before


def test_the_widest_and_tallest_of_several_texts():
    fig, _ = charts.new_figure(4, 3, 100)
    texts = ["a", "Object Detection", "Ag\nline two"]
    widths, heights = zip(*(fresh(fig, t, 11) for t in texts))
    assert measure.extent(fig, texts, 11) == (max(widths), max(heights))
    assert measure.extent(fig, [], 11) == (0.0, 0.0)


def word_by_word(fig, text, size, width_in):
    """The line breaking ``wrapped`` replaces: each word tried on the line in turn."""
    out = []
    for line in text.split("\n"):
        current = ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and fresh(fig, trial, size)[0] > width_in:
                out.append(current)
                current = word
            else:
                current = trial
        out.append(current)
    return "\n".join(out)


@pytest.mark.parametrize("width_in", [0.3, 1.0, 2.5, 4.0, 20.0])
def test_lines_broken_by_halving_are_the_word_by_word_lines(width_in):
    fig, _ = charts.new_figure(8, 5, 150)
    texts = [
        "Totals 27 and 33, counted in the taxonomy's 'seminar' grouping; agreement of the topic shares 78%",
        "seminar: the seminar's tables (Google Scholar, 2021-2022, tagged by hand)\n\nauthorstats: bundled snapshot",
        "Supercalifragilisticexpialidocious is one word",
        "two  spaces and a trailing one ",
        "",
    ]
    for text in texts:
        assert measure.wrapped(fig, text, 10, width_in) == word_by_word(fig, text, 10, width_in)
