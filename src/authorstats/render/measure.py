"""How large a text is drawn, for the charts' margins: measured once a process for each text, size, rotation and
dpi, and lines broken to a width with as few measurements as the breaks need.

A report's charts measure the same labels again and again (each author's source note under three of their charts,
the axis words, the topic names on every overview); measuring one takes matplotlib most of a millisecond (FreeType
loads each glyph), reading it back a few microseconds. The measure is the one a Text of the same string draws with
on an Agg canvas: the same numbers as before, so the same margins and pixels.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

# The settings a Text's size depends on besides its string, size and rotation (a library caller may change them).
_TEXT_SETTINGS = (
    "font.family",
    "font.style",
    "font.variant",
    "font.weight",
    "font.stretch",
    "font.sans-serif",
    "font.serif",
    "font.monospace",
    "font.cursive",
    "font.fantasy",
    "text.hinting",
    "text.hinting_factor",
    "text.kerning_factor",
    "text.parse_math",
    "text.usetex",
    "mathtext.fontset",
)

# Pixels (width, height) of each text measured in this process, by string, size, rotation, dpi and settings.
_MEASURED: dict[tuple[str, float, float, float, str], tuple[float, float]] = {}
MAX_MEASURED = 20_000  # a very large report's labels; past this the measures start over (no unbounded growth)


def _settings() -> str:
    import matplotlib

    params = cast("Mapping[str, object]", matplotlib.rcParams)
    return repr([params.get(key) for key in _TEXT_SETTINGS])


def extent(fig: Figure, texts: Iterable[object], size: float, rotation: float = 0.0) -> tuple[float, float]:
    """The largest width and height, in inches, of ``texts`` drawn at font ``size`` and ``rotation`` on ``fig``."""
    from matplotlib.text import Text

    renderer = None
    settings = _settings()
    width = height = 0.0
    for text in texts:
        key = (str(text), float(size), float(rotation), float(fig.dpi), settings)
        box = _MEASURED.get(key)
        if box is None:
            renderer = renderer or cast("FigureCanvasAgg", fig.canvas).get_renderer()
            window = Text(0, 0, key[0], fontsize=size, rotation=rotation, figure=fig).get_window_extent(renderer)
            if len(_MEASURED) >= MAX_MEASURED:
                _MEASURED.clear()
            box = _MEASURED[key] = (window.width, window.height)
        width, height = max(width, box[0]), max(height, box[1])
    return width / fig.dpi, height / fig.dpi


def wrapped(fig: Figure, text: str, size: float, width_in: float) -> str:
    """``text`` with each of its lines broken between words so that none is wider than ``width_in`` inches at
    font ``size`` (a word longer than that stays whole, on a line of its own).

    Each line takes as many words as fit: a line that fits whole is measured once, and a longer one's break is
    found by halving (a line with more words is never narrower), so a long subtitle is not measured again at
    every word."""
    out: list[str] = []
    for line in text.split("\n"):
        words = line.split(" ")
        while words:
            fits = _words_that_fit(fig, words, size, width_in)
            out.append(" ".join(words[:fits]))
            words = words[fits:]
    return "\n".join(out)


def _words_that_fit(fig: Figure, words: list[str], size: float, width_in: float) -> int:
    """How many of ``words``, from the first, fit on a line ``width_in`` inches wide (at least one)."""

    def fits(count: int) -> bool:
        return extent(fig, [" ".join(words[:count])], size)[0] <= width_in

    if fits(len(words)):
        return len(words)
    low, high = 1, len(words)  # low words fit (or low is 1), high words do not
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low
