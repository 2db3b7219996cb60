"""PNG bytes of a picture's pixels: each row stored as it is (PNG's filter type 0, "None") and the rows compressed by
zlib at level 3.

Pillow chooses a filter for each row by trying all five, which is most of its encoding time; on charts and word
clouds (flat colours, white space, anti-aliased edges) the unfiltered rows also compress better. The 16 charts and
3 clouds of the bundled report: half the encoding CPU and 8-16% smaller files than Pillow at the same zlib level
(benchmarks/RESULTS.md, "Figures behind settings in the code"); the pixels are the same (lossless either way).
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

LEVEL = 3  # zlib: 1 is barely faster here (5%) and 5% larger; 6 takes twice as long for 13% less
_IDAT_BYTES = 65536  # compressed data per IDAT chunk, as Pillow writes them
_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLOR_TYPE = {3: 2, 4: 6}  # channels -> PNG colour type: RGB, RGBA
_INCH = 0.0254  # metres


def encode(pixels: np.ndarray, *, dpi: float | None = None, text: Mapping[str, str] | None = None) -> bytes:
    """The PNG of ``pixels`` (height x width x 3 or 4 unsigned bytes: RGB or RGBA), with its resolution (a pHYs
    chunk, as Pillow writes for ``dpi``) and Latin-1 ``text`` chunks (keyword: value)."""
    import numpy as np

    height, width, channels = pixels.shape
    if pixels.dtype != np.uint8 or channels not in _COLOR_TYPE:
        raise ValueError(f"expected height x width x 3 or 4 bytes, got {pixels.shape} of {pixels.dtype}")
    rows = np.empty((height, 1 + width * channels), dtype=np.uint8)
    rows[:, 0] = 0  # filter type 0: the row as it is
    rows[:, 1:] = pixels.reshape(height, width * channels)
    data = zlib.compress(rows.data, LEVEL)
    out = [_SIGNATURE, _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, _COLOR_TYPE[channels], 0, 0, 0))]
    for keyword, value in (text or {}).items():
        out.append(_chunk(b"tEXt", keyword.encode("latin-1") + b"\0" + value.encode("latin-1")))
    if dpi is not None:
        per_metre = int(dpi / _INCH + 0.5)
        out.append(_chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)))
    out += [_chunk(b"IDAT", data[i : i + _IDAT_BYTES]) for i in range(0, len(data), _IDAT_BYTES)]
    out.append(_chunk(b"IEND", b""))
    return b"".join(out)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
