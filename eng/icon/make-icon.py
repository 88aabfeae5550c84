#!/usr/bin/env python3
"""Draws the package icon (eng/icon/icon.png, 128 x 128 RGBA) with the standard library only.

A document on a dark tile, sealed with a round stamp carrying a keyhole: "a private file, reachable only
through a sealed link". Shapes are signed-distance functions sampled 4 x 4 per pixel, so the edges are
anti-aliased and the output is byte-for-byte reproducible. Run: python3 eng/icon/make-icon.py
"""
import math
import os
import struct
import zlib

SIZE = 128
SAMPLES = 4  # per axis, per pixel

TILE = (0x1F, 0x3A, 0x5F)      # dark blue
PAPER = (0xF5, 0xF7, 0xFA)
FOLD = (0xC9, 0xD3, 0xDF)
LINE = (0x9A, 0xA8, 0xB8)
SEAL = (0xE8, 0xA3, 0x17)      # amber
SEAL_RIM = (0xB8, 0x7A, 0x0A)
KEYHOLE = (0x1F, 0x3A, 0x5F)


def rounded_box(px, py, cx, cy, hw, hh, r):
    """Signed distance to a rectangle centred at (cx, cy), half sizes (hw, hh), corner radius r."""
    qx = abs(px - cx) - hw + r
    qy = abs(py - cy) - hh + r
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    inside = min(max(qx, qy), 0.0)
    return outside + inside - r


def circle(px, py, cx, cy, r):
    return math.hypot(px - cx, py - cy) - r


def half_plane(px, py, ax, ay, bx, by):
    """Negative on the right of the directed line a -> b (y down)."""
    return ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / math.hypot(bx - ax, by - ay)


def shade(x, y):
    """Colour (r, g, b, a) of one sample point, painter's order."""
    colour = None
    # The tile.
    if rounded_box(x, y, 64, 64, 62, 62, 22) <= 0:
        colour = TILE
    else:
        return (0, 0, 0, 0)
    # The document, with its top-right corner folded.
    doc = rounded_box(x, y, 54, 60, 30, 40, 4)
    cut = half_plane(x, y, 66, 20, 84, 38)  # the diagonal of the fold
    if doc <= 0 and cut >= 0:
        colour = PAPER
        for ly, lw in ((46, 38), (58, 38), (70, 30), (82, 22)):
            if rounded_box(x, y, 32 + lw / 2, ly, lw / 2, 2.5, 2.5) <= 0:
                colour = LINE
        if x >= 66 and y <= 38:  # the folded flap, on the paper's side of the diagonal
            colour = FOLD
    # The seal, overlapping the document's lower right corner.
    d = circle(x, y, 86, 88, 26)
    if d <= 0:
        colour = SEAL_RIM if d > -3.5 else SEAL
        keyhole = min(circle(x, y, 86, 82, 7.5), rounded_box(x, y, 86, 95, 4.0, 10.0, 1.5))
        if keyhole <= 0:
            colour = KEYHOLE
    return colour + (255,)


def render():
    rows = []
    step = 1.0 / SAMPLES
    for py in range(SIZE):
        row = bytearray([0])  # filter: none
        for px in range(SIZE):
            acc = [0, 0, 0, 0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    r, g, b, a = shade(px + (sx + 0.5) * step, py + (sy + 0.5) * step)
                    acc[0] += r * a
                    acc[1] += g * a
                    acc[2] += b * a
                    acc[3] += a
            n = SAMPLES * SAMPLES
            alpha = acc[3] / n
            if alpha == 0:
                row += bytes(4)
            else:
                row += bytes([round(acc[0] / acc[3]), round(acc[1] / acc[3]), round(acc[2] / acc[3]), round(alpha)])
        rows.append(bytes(row))
    return b"".join(rows)


def png(raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(out, "wb") as f:
        f.write(png(render()))
    print(out)
