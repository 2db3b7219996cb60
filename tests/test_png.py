"""The PNG files render/png.py writes hold exactly the pixels they were given, with the resolution and text a PNG
reader expects: decoded by Pillow, and against matplotlib's own PNG of the same chart."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from authorstats.render import charts, pictures, png
from authorstats.render.jobs import Chart


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("channels, mode", [(3, "RGB"), (4, "RGBA")])
def test_the_pixels_read_back_are_the_pixels_written(channels, mode):
    pixels = np.random.default_rng(7).integers(0, 256, size=(301, 257, channels), dtype=np.uint8)
    data = png.encode(pixels, dpi=150, text={"Software": "authorstats test"})
    assert data.count(b"IDAT") > 1  # random bytes do not compress: several chunks
    image = decoded(data)
    assert image.mode == mode and image.size == (257, 301)
    assert np.array_equal(np.asarray(image), pixels)
    assert image.info["Software"] == "authorstats test"
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)  # stored per metre, rounded


def test_a_view_of_other_pixels_is_written_as_it_looks():
    rgba = np.zeros((4, 5, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 3] = 200, 255
    rgb = rgba[..., :3]  # not contiguous: every fourth byte left out
    assert np.array_equal(np.asarray(decoded(png.encode(rgb))), rgb)
    assert "dpi" not in decoded(png.encode(rgb)).info


@pytest.mark.parametrize("bad", [np.zeros((2, 2, 2), np.uint8), np.zeros((2, 2, 3), np.float32)])
def test_pixels_of_another_shape_or_type_are_refused(bad):
    with pytest.raises(ValueError, match="expected height x width"):
        png.encode(bad)


def test_a_chart_is_the_picture_matplotlib_would_save():
    import pandas as pd

    table = pd.DataFrame({"Topic": ["Total", "Vision", "Robotics"], "Count": [3, 2, 1]})
    job = Chart(charts.draw_topic_bars, (table, {"Vision": "#4e79a7"}, "Title", "source"), (4, 3), 60)
    ours = decoded(pictures.draw(job))
    fig = pictures.paint(job)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=fig.dpi)
    theirs = decoded(buffer.getvalue())
    assert ours.mode == "RGB" and theirs.mode == "RGBA"  # opaque: the alpha channel left out
    assert np.array_equal(np.asarray(ours), np.asarray(theirs)[..., :3])
    assert np.asarray(theirs)[..., 3].min() == 255
    assert ours.info["Software"] == theirs.info["Software"]
    assert ours.info["dpi"] == pytest.approx(theirs.info["dpi"], abs=0.01)
