"""Topic colours: Paul Tol's discrete rainbow, and the colour science that checks it stays distinct for colour-blind
readers.

Source: Paul Tol, "Colour Schemes", SRON technical note SRON/EPS/TN/09-002 (issue 3.2, 2021), the
discrete rainbow scheme (his Fig. 22), https://personal.sron.nl/~pault/ . Tol picks a different
subset of 29 colours for each number of categories from 1 to 23, chosen to stay distinct, and
colour-blind readers included; his grey #777777 marks what has no category here ("Other").
tests/test_palette.py measures the pairwise CIELAB distances, also under simulated deuteranopia
(Machado, Oliveira and Fernandes 2009, below).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

# Tol's discrete rainbow, in his order (purple, blue, green, yellow, orange, red, brown).
TOL_RAINBOW = (
    "#E8ECFB",
    "#D9CCE3",
    "#D1BBD7",
    "#CAACCB",
    "#BA8DB4",
    "#AE76A3",
    "#AA6F9E",
    "#994F88",
    "#882E72",
    "#1965B0",
    "#437DBF",
    "#5289C7",
    "#6195CF",
    "#7BAFDE",
    "#4EB265",
    "#90C987",
    "#CAE0AB",
    "#F7F056",
    "#F7CB45",
    "#F6C141",
    "#F4A736",
    "#F1932D",
    "#EE8026",
    "#E8601C",
    "#E65518",
    "#DC050C",
    "#A5170E",
    "#72190E",
    "#42150A",
)
# For n categories, the colours Tol names (1-based positions in TOL_RAINBOW), n = 1..23.
TOL_CUTS = (
    (10,),
    (10, 26),
    (10, 18, 26),
    (10, 15, 18, 26),
    (10, 14, 15, 18, 26),
    (10, 14, 15, 17, 18, 26),
    (9, 10, 14, 15, 17, 18, 26),
    (9, 10, 14, 15, 17, 18, 23, 26),
    (9, 10, 14, 15, 17, 18, 23, 26, 28),
    (9, 10, 14, 15, 17, 18, 21, 24, 26, 28),
    (9, 10, 12, 14, 15, 17, 18, 21, 24, 26, 28),
    (3, 6, 9, 10, 12, 14, 15, 17, 18, 21, 24, 26),
    (3, 6, 9, 10, 12, 14, 15, 16, 17, 18, 21, 24, 26),
    (3, 6, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26),
    (3, 6, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28),
    (3, 5, 7, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28),
    (3, 5, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 28),
    (3, 5, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 27, 28),
    (2, 4, 5, 7, 8, 9, 10, 12, 14, 15, 16, 17, 18, 20, 22, 24, 26, 27, 28),
    (2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 20, 22, 24, 26, 27, 28),
    (2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 23, 25, 26, 27, 28),
    (2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 23, 25, 26, 27, 28, 29),
    (1, 2, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19, 21, 23, 25, 26, 27, 28, 29),
)
OTHER_COLOR = "#777777"  # Tol's colour for "no category"
OTHER = "Other"


def palette(count: int) -> list[str]:
    """Tol's colours for ``count`` categories; past 23 the 23-colour set repeats (a user's very long taxonomy)."""
    if count <= 0:
        return []
    cut = TOL_CUTS[min(count, len(TOL_CUTS)) - 1]
    return [TOL_RAINBOW[cut[i % len(cut)] - 1].lower() for i in range(count)]  # lower case, as matplotlib writes


def _order(colors: list[str]) -> list[str]:
    """``colors`` reordered so that consecutive ones differ most: the step through the list (coprime to its
    length, so every colour is used once) whose closest consecutive pair is farthest apart under deuteranopia."""
    count = len(colors)
    if count < 3:
        return colors

    def closest(step: int) -> float:
        seq = [colors[(i * step) % count] for i in range(count)]
        return min(delta_e(a, b, DEUTERANOPIA) for a, b in zip(seq, seq[1:]))

    best = max((s for s in range(1, count) if math.gcd(s, count) == 1), key=lambda s: (closest(s), -s))
    return [colors[(i * best) % count] for i in range(count)]


def topic_colors(topics: Sequence[str]) -> dict[str, str]:
    """One colour per topic, used by every chart and the page: Tol's set for the taxonomy's number of topics, grey
    for Other. Neighbours in the taxonomy (often neighbouring segments of a stacked bar) get colours far apart
    (_order), not Tol's adjacent ones."""
    return dict(_topic_colors(tuple(topics)))  # a copy: the caller may change it


@functools.lru_cache(maxsize=16)  # ordering the colours takes ~10 ms, and a large report asks once per author page
def _topic_colors(topics: tuple[str, ...]) -> dict[str, str]:
    named = [t for t in topics if t != OTHER]
    colors = dict(zip(named, _order(palette(len(named)))))
    colors[OTHER] = OTHER_COLOR
    return colors


def _channels(color: str) -> tuple[float, float, float]:
    text = color.lstrip("#")
    red, green, blue = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue


def _linear(value: float) -> float:
    """sRGB companding undone (IEC 61966-2-1)."""
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def linear_rgb(color: str) -> tuple[float, float, float]:
    red, green, blue = (_linear(v) for v in _channels(color))
    return red, green, blue


# Machado, Oliveira and Fernandes, "A Physiologically-based Model for Simulation of Color Vision Deficiency",
# IEEE TVCG 15(6), 2009: the severity 1.0 matrices, applied to linear RGB.
DEUTERANOPIA = ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881))
PROTANOPIA = ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998))

Matrix = tuple[tuple[float, float, float], tuple[float, float, float], tuple[float, float, float]]


def simulate(rgb: tuple[float, float, float], matrix: Matrix) -> tuple[float, float, float]:
    """Linear RGB as a reader with the deficiency of ``matrix`` sees it (clipped to the displayable range)."""
    red, green, blue = (min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb)))) for row in matrix)
    return red, green, blue


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    """CIELAB (D65 white) of a linear-RGB colour."""
    red, green, blue = rgb
    xyz = (
        (0.4124564 * red + 0.3575761 * green + 0.1804375 * blue) / 0.95047,
        0.2126729 * red + 0.7151522 * green + 0.0721750 * blue,
        (0.0193339 * red + 0.1191920 * green + 0.9503041 * blue) / 1.08883,
    )
    fx, fy, fz = (v ** (1 / 3) if v > (6 / 29) ** 3 else v / (3 * (6 / 29) ** 2) + 4 / 29 for v in xyz)
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(first: str, second: str, matrix: Matrix | None = None) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB) of two sRGB colours, as seen with ``matrix``'s
    deficiency (None: normal vision). About 2.3 is just noticeable side by side."""
    a, b = linear_rgb(first), linear_rgb(second)
    if matrix is not None:
        a, b = simulate(a, matrix), simulate(b, matrix)
    return math.dist(lab(a), lab(b))


def text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    red, green, blue = linear_rgb(background)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "black" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "white"
