"""The app's icons, drawn at request time (no image file shipped): a blue square with a white house."""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

SIZES = (192, 512)
BLUE = (0x1D, 0x5C, 0xA8)
WHITE = (0xFF, 0xFF, 0xFF)


def _inside_house(x: float, y: float) -> bool:
    """The house in unit coordinates: a roof (triangle) over a body (rectangle)."""
    if 0.22 <= y <= 0.48:  # roof
        half = (y - 0.22) / 0.26 * 0.32
        return abs(x - 0.5) <= half
    return 0.30 <= x <= 0.70 and 0.48 < y <= 0.78 and not (0.44 <= x <= 0.56 and y >= 0.60)


@lru_cache(maxsize=len(SIZES))
def png(size: int) -> bytes:
    """A ``size``×``size`` PNG (RGB, 8 bits)."""
    rows = []
    for j in range(size):
        row = bytearray(b"\x00")
        for i in range(size):
            row += bytes(WHITE if _inside_house((i + 0.5) / size, (j + 0.5) / size) else BLUE)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))
