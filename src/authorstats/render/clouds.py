"""Draw a word cloud from word weights (analysis.words computes them) and encode it as PNG bytes."""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping
from typing import TYPE_CHECKING

from authorstats.errors import BadInputError

if TYPE_CHECKING:
    from PIL import Image
    from wordcloud import WordCloud

SEED = 42

# Words are placed on a canvas no wider than a cloud is shown (a report column, a slide half), then drawn
# at the asked size: placing costs grow with the canvas area, drawing does not.
LAYOUT_WIDTH = 800


def _layout_scale(width: int, height: int) -> int:
    """The largest whole factor, at most what brings ``width`` down to LAYOUT_WIDTH, that divides both sides."""
    for scale in range(max(1, -(-width // LAYOUT_WIDTH)), 1, -1):
        if width % scale == 0 and height % scale == 0:
            return scale
    return 1


MIN_CONTRAST = 3.0  # against the white background: no word is paler than this (WCAG's ratio for large text)


def contrast_with_white(rgb: tuple[float, float, float]) -> float:
    """WCAG 2 contrast ratio of a colour (channels 0..1) against white: 1 (white) to 21 (black)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2])
    return 1.05 / (luminance + 0.05)


@functools.cache
def readable_palette() -> tuple[str, ...]:
    """The colours of viridis (dark blue to green) with at least MIN_CONTRAST against white, as rgb() strings;
    its pale yellow-green end is left out."""
    from matplotlib import colormaps

    viridis = colormaps["viridis"]
    colors = [viridis(i / 255)[:3] for i in range(256)]
    return tuple(
        f"rgb({round(r * 255)}, {round(g * 255)}, {round(b * 255)})"
        for r, g, b in colors
        if contrast_with_white((round(r * 255) / 255, round(g * 255) / 255, round(b * 255) / 255)) >= MIN_CONTRAST
    )


def _readable_color(
    word: str,
    font_size: int,
    position: tuple[int, int],
    orientation: object,
    random_state: random.Random | None = None,
    **_: object,
) -> str:
    """wordcloud's colour function: a colour of ``readable_palette``, drawn from the cloud's seeded random state."""
    palette = readable_palette()
    chooser = random_state if random_state is not None else random.Random(SEED)
    return palette[chooser.randint(0, len(palette) - 1)]


def make_cloud(
    frequencies: Mapping[str, float], *, width: int = 1600, height: int = 800, seed: int = SEED
) -> WordCloud:
    """A WordCloud of exactly ``width`` x ``height`` pixels drawn from ``frequencies``; deterministic for a seed.

    The layout is computed at most LAYOUT_WIDTH pixels wide and drawn ``scale`` times larger, which keeps a
    1600x800 cloud as sharp as one laid out at full size, at a quarter of the cost.
    """
    from wordcloud import WordCloud

    scale = _layout_scale(width, height)
    cloud = WordCloud(
        width=width // scale,
        height=height // scale,
        scale=scale,
        background_color="white",
        random_state=seed,
        collocations=False,
        prefer_horizontal=0.95,
        max_words=150,
        color_func=_readable_color,
    )
    if not frequencies:
        raise BadInputError("no words left to draw a word cloud", "Add titles or use a shorter stop-word list")
    return cloud.generate_from_frequencies(frequencies)


CAPTION_COLOR = (68, 68, 68)  # #444444: 9.7:1 against the white background


def caption_band(height: int) -> int:
    """Pixels kept under a cloud of ``height`` for its caption: a 16th, even (so the layout can still be scaled)."""
    return max(12, height // 16) // 2 * 2


def cloud_png(cloud: WordCloud, caption: str = "", height: int | None = None) -> bytes:
    """The cloud as PNG bytes; with a ``caption`` (whose cloud, which years, from what data) the picture grows by
    ``caption_band`` pixels and the caption is written there, so it names its data wherever it is pasted
    (``make_cloud`` is given the height less the band, so the whole picture keeps the asked ``height``)."""
    import numpy as np

    from authorstats.render import png

    image = cloud.to_image()
    if caption:
        image = _with_caption(image, caption, height or image.size[1] + caption_band(image.size[1]))
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGB")
    return png.encode(np.asarray(image))


def _with_caption(image: Image.Image, caption: str, total: int) -> Image.Image:
    """``image`` on a white canvas ``total`` pixels high, ``caption`` in dark grey in the band under it."""
    from PIL import Image, ImageDraw, ImageFont
    from wordcloud.wordcloud import FONT_PATH

    width, height = image.size
    band = max(total - height, 1)
    size = max(8, band * 5 // 8)
    font = ImageFont.truetype(FONT_PATH, size)
    while size > 8 and font.getlength(caption) > width - 2 * size:
        size -= 1
        font = ImageFont.truetype(FONT_PATH, size)
    canvas = Image.new("RGB", (width, height + band), "white")
    canvas.paste(image, (0, 0))
    ImageDraw.Draw(canvas).text((size, height + (band - size) // 2), caption, fill=CAPTION_COLOR, font=font)
    return canvas
