"""Draw clv-xl's add-in icons (a green tile with three rising white bars) as PNGs, in plain Python.

Writes ``clv_xl/excel/server/static/images/icons/clv-{16,32,64,80}.png``, the sizes the Office add-in
manifest asks for. Run ``python scripts/make_icons.py`` after changing the drawing.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "clv_xl" / "excel" / "server" / "static" / "images" / "icons"
SIZES = (16, 32, 64, 80)
TILE = (33, 115, 70)  # Excel-like green
BAR = (255, 255, 255)


def pixel(x: float, y: float) -> tuple[int, int, int, int]:
    """Colour at (x, y) in a unit square: transparent corners, green tile, three white bars rising."""
    r = 0.18
    cx, cy = min(max(x, r), 1 - r), min(max(y, r), 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    for i, height in enumerate((0.30, 0.48, 0.66)):
        left = 0.18 + i * 0.23
        if left <= x <= left + 0.16 and 0.82 - height <= y <= 0.82:
            return (*BAR, 255)
    return (*TILE, 255)


def png(size: int) -> bytes:
    """A ``size`` x ``size`` RGBA PNG of the icon (4x4 supersampled)."""
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            samples = [pixel((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)
                       for sx in range(4) for sy in range(4)]
            alpha = sum(s[3] for s in samples)
            rgb = [round(sum(s[c] * s[3] for s in samples) / alpha) if alpha else 0 for c in range(3)]
            row += bytes([*rgb, round(alpha / 16)])
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
            + chunk(b"IEND", b""))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        (OUT / f"clv-{size}.png").write_bytes(png(size))
        print(OUT / f"clv-{size}.png")
