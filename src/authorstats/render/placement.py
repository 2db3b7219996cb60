"""Where each label of a drawing of dots and lines goes: beside its dot, clear of the other labels and dots, and
across as few lines as it can. Geometry in display pixels, measured with the figure's own renderer; writes nothing.

Greedy, in the order given (the most important labels first): each label tries eight directions around its dot,
near and then further out, and takes the first place with the lowest cost. A place that covers another label or
another dot, or leaves the axes, costs far more than a line crossed, so those happen only when no place is free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# (x, y) unit offset and the text's alignment there: right first (labels read from their dot), then left,
# above, below, and the four diagonals.
_DIRECTIONS: tuple[tuple[float, float, str, str], ...] = (
    (1.0, 0.0, "left", "center"),
    (-1.0, 0.0, "right", "center"),
    (0.0, 1.0, "center", "bottom"),
    (0.0, -1.0, "center", "top"),
    (0.71, 0.71, "left", "bottom"),
    (0.71, -0.71, "left", "top"),
    (-0.71, 0.71, "right", "bottom"),
    (-0.71, -0.71, "right", "top"),
)
_RINGS = (1.0, 2.0, 3.2)  # the gap from the dot's edge, in multiples of the first ring's
_FAR = 1.5  # the cost of each ring further out: a label moves away from its dot only to cross 2 lines fewer
_BLOCKED = 1000.0  # the cost of covering a label or a dot, or leaving the axes; a crossed line costs 1


@dataclass(frozen=True)
class Label:
    """A label to place: its text, font, and the dot it belongs to (centre in data units, radius in points)."""

    text: str
    x: float
    y: float
    radius_pt: float
    size: float
    bold: bool = False


Place = tuple[float, float, str, str]  # offset from the dot's centre in points, and the text's ha, va


def place_labels(
    ax: Axes, labels: Sequence[Label], lines: Sequence[tuple[float, float, float, float]], gap_pt: float = 3.0
) -> list[Place]:
    """A place for each of ``labels`` (same order), on ``ax`` whose limits and position are final. ``lines`` are
    the drawn segments (x1, y1, x2, y2 in data units) a label should not lie across."""
    from matplotlib.text import Text

    fig = ax.figure
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    px = fig.dpi / 72.0  # pixels per point
    centres = ax.transData.transform([(lb.x, lb.y) for lb in labels]) if labels else np.zeros((0, 2))
    radii = np.array([lb.radius_pt * px for lb in labels])
    segments = (
        np.hstack(
            [
                ax.transData.transform([(a, b) for a, b, _, _ in lines]),
                ax.transData.transform([(c, d) for _, _, c, d in lines]),
            ]
        )
        if lines
        else np.zeros((0, 4))
    )
    x0, y0, x1, y1 = ax.bbox.extents
    # every candidate place, in order of preference: ring by ring, direction by direction
    steps = np.repeat(np.arange(len(_RINGS)), len(_DIRECTIONS))
    rings = np.array(_RINGS)[steps]
    units = np.tile(np.array([(ux, uy) for ux, uy, _, _ in _DIRECTIONS]), (len(_RINGS), 1))
    h_shift = np.tile([{"left": 0.0, "right": -1.0, "center": -0.5}[d[2]] for d in _DIRECTIONS], len(_RINGS))
    v_shift = np.tile([{"bottom": 0.0, "top": -1.0, "center": -0.5}[d[3]] for d in _DIRECTIONS], len(_RINGS))
    placed = np.zeros((0, 4))
    out: list[Place] = []
    for i, label in enumerate(labels):
        box = Text(0, 0, label.text, fontsize=label.size, fontweight="bold" if label.bold else "normal", figure=fig)
        extent = box.get_window_extent(renderer)
        pad = 0.15 * label.size * px  # the white box drawn round the text
        width, height = extent.width + 2 * pad, extent.height + 2 * pad
        gaps = (label.radius_pt + gap_pt) * rings  # points
        left = centres[i, 0] + units[:, 0] * gaps * px + h_shift * width
        bottom = centres[i, 1] + units[:, 1] * gaps * px + v_shift * height
        rects = np.column_stack([left, bottom, left + width, bottom + height])
        others = np.arange(len(labels)) != i
        blocked = (
            _overlaps(rects, placed).sum(axis=1)
            + _covers(rects, centres[others], radii[others]).sum(axis=1)
            + ((rects[:, 0] < x0) | (rects[:, 1] < y0) | (rects[:, 2] > x1) | (rects[:, 3] > y1))
        )
        cost = _BLOCKED * blocked + _crossed(rects, segments).sum(axis=1) + _FAR * steps
        best = int(np.argmin(cost))  # the first of the cheapest: the nearest, most preferred
        direction = _DIRECTIONS[best % len(_DIRECTIONS)]
        out.append((float(units[best, 0] * gaps[best]), float(units[best, 1] * gaps[best]), direction[2], direction[3]))
        placed = np.vstack([placed, rects[best]])
    return out


def _overlaps(rects: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each of ``rects`` (k x 4: left, bottom, right, top), which of ``others`` (n x 4) it shares area with
    (k x n)."""
    r, o = rects[:, None, :], others[None, :, :]
    return (o[..., 0] < r[..., 2]) & (o[..., 2] > r[..., 0]) & (o[..., 1] < r[..., 3]) & (o[..., 3] > r[..., 1])


def _covers(rects: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """For each of ``rects`` (k x 4), which discs (centres n x 2, radii n) it covers any part of (k x n)."""
    nearest_x = np.clip(centres[None, :, 0], rects[:, None, 0], rects[:, None, 2])
    nearest_y = np.clip(centres[None, :, 1], rects[:, None, 1], rects[:, None, 3])
    covered: np.ndarray = np.hypot(centres[None, :, 0] - nearest_x, centres[None, :, 1] - nearest_y) < radii[None, :]
    return covered


def _crossed(rects: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """For each of ``rects`` (k x 4), which segments (n x 4: x1, y1, x2, y2) pass through it (k x n):
    Liang-Barsky clipping, all at once."""
    sx, sy = segments[None, :, 0], segments[None, :, 1]
    dx, dy = segments[None, :, 2] - sx, segments[None, :, 3] - sy
    shape = (len(rects), len(segments))
    low, high = np.zeros(shape), np.ones(shape)
    inside = np.ones(shape, dtype=bool)
    r = rects[:, None, :]
    for p, q in ((-dx, sx - r[..., 0]), (dx, r[..., 2] - sx), (-dy, sy - r[..., 1]), (dy, r[..., 3] - sy)):
        p = np.broadcast_to(p, shape)
        parallel = p == 0
        inside &= ~(parallel & (q < 0))
        ratio = q / np.where(parallel, 1.0, p)
        low = np.where(~parallel & (p < 0), np.maximum(low, ratio), low)
        high = np.where(~parallel & (p > 0), np.minimum(high, ratio), high)
    return inside & (low <= high)
