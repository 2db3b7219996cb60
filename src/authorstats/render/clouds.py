"""Draw a word cloud from word weights (analysis.words computes them) and encode it as PNG bytes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping

from authorstats.errors import BadInputError
from authorstats.render.png import PIL_PNG_OPTIONS

if TYPE_CHECKING:
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


def make_cloud(frequencies: Mapping[str, float], *, width: int = 1600, height: int = 800,
               seed: int = SEED) -> WordCloud:
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
        colormap="viridis",
    )
    if not frequencies:
        raise BadInputError("no words left to draw a word cloud", "Add titles or use a shorter stop-word list")
    return cloud.generate_from_frequencies(frequencies)


def cloud_png(cloud: WordCloud) -> bytes:
    """The cloud as PNG bytes at exactly its own width and height."""
    import io

    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG", **PIL_PNG_OPTIONS)
    return buffer.getvalue()
