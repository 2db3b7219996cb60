"""The one PNG encoder setting for every picture the report draws (charts and word clouds)."""

from __future__ import annotations

# Pillow's keyword arguments for PNG. zlib level 3 instead of Pillow's 6: measured a quarter to a third
# less time to encode (3 bundled clouds 0.22 s -> 0.16 s of CPU), for files 5-10% larger.
PIL_PNG_OPTIONS: dict[str, object] = {"optimize": False, "compress_level": 3}
