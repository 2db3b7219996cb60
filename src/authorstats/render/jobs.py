"""The values drawing passes around, a leaf of render/: a picture job (what to draw, sent to a worker process),
a drawn picture (what the page embeds) and the lossless WebP copy of an overview picture."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Pillow's keyword arguments for the lossless WebP copy a large report's index.html embeds of an overview picture:
# the same pixels as the PNG file in under half its bytes (benchmarks/RESULTS.md, "Figures behind settings").
PIL_WEBP_OPTIONS: dict[str, object] = {"lossless": True, "quality": 50, "method": 4}

MIME = {"png": "image/png", "svg": "image/svg+xml", "webp": "image/webp"}


def lossless_webp(png: bytes) -> bytes | None:
    """The PNG's pixels as a lossless WebP, when Pillow can write one and it is smaller; else None."""
    import io

    from PIL import Image, features

    if not features.check("webp"):
        return None
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, format="webp", **PIL_WEBP_OPTIONS)
    return out.getvalue() if out.tell() < len(png) else None


@dataclass(frozen=True)
class Chart:
    """A matplotlib chart: ``draw(ax, *args)`` on a ``size`` inch figure at ``dpi``, encoded as ``fmt``.

    ``draw`` is a module-level function (one of render.charts' ``draw_*``), so a job can be sent to a
    worker process. ``sizes_itself``: the drawing resizes the figure to its content (the heatmap).
    """

    draw: Callable[..., object]
    args: tuple[Any, ...]
    size: tuple[float, float]
    dpi: int
    fmt: str = "png"
    sizes_itself: bool = False


@dataclass(frozen=True)
class Cloud:
    """A word cloud of ``weights``, ``width`` x ``height`` pixels, as PNG."""

    weights: dict[str, float]
    width: int
    height: int
    caption: str = ""  # drawn under the words: whose cloud, which years, from what data


Job = Chart | Cloud


@dataclass(frozen=True)
class PictureJob:
    """One picture of a report: whose it is ("" for the overview), which part, its file name and alt text."""

    key: str
    part: str  # cloud, bars, table, by_year, reference (an author's); heatmap, shares, network, impact (the overview)
    name: str  # file name under reports/
    alt: str
    job: Job

    @property
    def fmt(self) -> str:
        return "png" if isinstance(self.job, Cloud) else self.job.fmt


@dataclass(frozen=True)
class Picture:
    """An image to embed: its bytes, format (png or svg) and alternative text."""

    data: bytes
    fmt: str
    alt: str
    width: int | None = None  # CSS pixels to show it at (charts: their size in inches x 96)
    link: str | None = None  # not embedded: the file next to index.html to link to instead

    def uri(self) -> str:
        return f"data:{MIME[self.fmt]};base64,{base64.b64encode(self.data).decode('ascii')}"
