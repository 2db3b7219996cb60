"""Word clouds are laid out at the size a report shows them and still come out at exactly the asked size."""

import io

from PIL import Image

from authorstats.render import clouds

FREQS = {"causal": 5, "representation": 3, "GFlowNet": 2, "attention": 1}


def png_size(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


def test_a_large_cloud_is_laid_out_smaller_and_drawn_at_the_asked_size():
    cloud = clouds.make_cloud(FREQS, width=1600, height=800)
    assert (cloud.width, cloud.height, cloud.scale) == (800, 400, 2)
    assert png_size(clouds.cloud_png(cloud)) == (1600, 800)


def test_sizes_without_a_common_factor_are_laid_out_at_full_size():
    cloud = clouds.make_cloud(FREQS, width=1601, height=800)
    assert cloud.scale == 1
    assert png_size(clouds.cloud_png(cloud)) == (1601, 800)


def test_scale_divides_both_sides_and_never_shrinks_below_the_shown_width():
    for width, height in [(1600, 800), (2400, 1000), (1000, 1000), (900, 300), (8000, 7999), (100, 8000)]:
        scale = clouds._layout_scale(width, height)
        assert width % scale == 0 and height % scale == 0
        assert scale == 1 or width // scale >= clouds.LAYOUT_WIDTH // 2
