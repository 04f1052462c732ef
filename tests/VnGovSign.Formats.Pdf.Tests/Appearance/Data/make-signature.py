#!/usr/bin/env python3
"""Writes signature-blue.png: a made-up handwritten signature (blue ink, transparent background),
240 x 80 px, 8-bit RGBA, no pHYs (72 dpi = 240 x 80 pt). Asymmetric on purpose, so a turned or
mirrored appearance is obvious in rendered images. Standard library only (zlib), deterministic."""
import math, struct, sys, zlib

W, H = 240, 80
INK = (20, 40, 190)          # ballpoint blue
WIDTH = 2.2                  # stroke width in pixels

def bezier(p0, p1, p2, p3, n=60):
    for i in range(n + 1):
        t = i / n; u = 1 - t
        yield (u*u*u*p0[0] + 3*u*u*t*p1[0] + 3*u*t*t*p2[0] + t*t*t*p3[0],
               u*u*u*p0[1] + 3*u*u*t*p1[1] + 3*u*t*t*p2[1] + t*t*t*p3[1])

# Strokes (x right, y down): a tall looped capital on the left, a small rising scrawl, and a long
# underline flourish that ends high on the right.
strokes = [
    list(bezier((18, 62), (10, 10), (52, 4), (46, 30))) + list(bezier((46, 30), (42, 52), (20, 44), (34, 36)))[1:],
    list(bezier((34, 36), (60, 26), (64, 58), (78, 44))) + list(bezier((78, 44), (90, 32), (96, 56), (110, 40)))[1:]
        + list(bezier((110, 40), (120, 28), (128, 50), (142, 34)))[1:] + list(bezier((142, 34), (150, 26), (158, 44), (170, 30)))[1:],
    list(bezier((24, 70), (90, 58), (170, 74), (226, 14))),
    [(186, 24), (190, 22)],  # a dot
]
segments = [(s[i], s[i + 1]) for s in strokes for i in range(len(s) - 1)]

def dist(px, py, a, b):
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    l2 = dx*dx + dy*dy
    t = 0 if l2 == 0 else max(0, min(1, ((px-ax)*dx + (py-ay)*dy) / l2))
    return math.hypot(px - (ax + t*dx), py - (ay + t*dy))

raw = bytearray()
for y in range(H):
    raw.append(0)
    for x in range(W):
        d = min(dist(x + 0.5, y + 0.5, a, b) for a, b in segments)
        cover = max(0.0, min(1.0, WIDTH / 2 + 0.5 - d))
        a = int(round(cover * 255))
        raw += bytes(INK + (a,)) if a else bytes((0, 0, 0, 0))

def chunk(t, data):
    return struct.pack('>I', len(data)) + t + data + struct.pack('>I', zlib.crc32(t + data) & 0xffffffff)

png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 6, 0, 0, 0)) \
    + chunk(b'IDAT', zlib.compress(bytes(raw), 9)) + chunk(b'IEND', b'')
open(sys.argv[1] if len(sys.argv) > 1 else 'signature-blue.png', 'wb').write(png)
