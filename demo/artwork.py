"""The demo's images, drawn with Pillow when `manage.py setup_demo` runs: nothing to license.

Abstract covers (a gradient, a large disc, rings, bars or a grid of dots) and a head-and-
shoulders illustration for each demo author, all in the site's palette (static/css/site.css).
The same name always draws the same picture, so a fresh demo looks the same every time.
"""

import io
import random
from typing import NamedTuple

from PIL import Image, ImageDraw

COVER_SIZE = (1600, 900)
PORTRAIT_SIDE = 960
# Shapes are drawn this many times larger, then scaled down: smooth edges without a slow
# antialiasing pass.
SUPERSAMPLE = 2

# The site's palette: site.css's accent (navy), call to action (rust), highlight (amber),
# background (paper) and the praise portraits' teal and green.
NAVY = (31, 58, 95)
INK = (20, 32, 52)
RUST = (184, 67, 31)
AMBER = (242, 184, 75)
PAPER = (251, 250, 247)
SAND = (233, 226, 212)
TEAL = (47, 111, 106)
SKY = (156, 195, 245)

# (background from, background to, disc, detail, words for the alt text)
COVER_SCHEMES = [
    (NAVY, INK, RUST, AMBER, "a rust disc on deep navy"),
    (SAND, PAPER, NAVY, RUST, "a navy disc on warm paper"),
    (TEAL, INK, AMBER, SAND, "an amber disc on dark teal"),
    (RUST, (138, 45, 20), AMBER, PAPER, "an amber disc on rust red"),
    (INK, NAVY, SKY, AMBER, "a pale blue disc on midnight blue"),
    (PAPER, SAND, TEAL, RUST, "a teal disc on cream"),
    (AMBER, (226, 150, 52), NAVY, PAPER, "a navy disc on amber"),
]
DETAILS = ["rings", "bars", "dots", "arcs"]
DETAIL_WORDS = {
    "rings": "with thin concentric rings",
    "bars": "crossed by soft vertical bars",
    "dots": "beside a grid of small dots",
    "arcs": "under a fan of arcs",
}


class Drawn(NamedTuple):
    """A drawn image: its encoded bytes, a file name and what it shows, for the alt text."""

    data: bytes
    name: str
    alt: str


def _gradient(size, start, end):
    """A diagonal gradient from ``start`` (top left) to ``end`` (bottom right)."""
    width, height = size
    ramp = Image.linear_gradient("L").rotate(45, resample=Image.Resampling.BILINEAR, expand=True)
    ramp = ramp.crop((ramp.width // 4, ramp.height // 4, ramp.width * 3 // 4, ramp.height * 3 // 4))
    mask = ramp.resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), mask)


def _translucent(colour, alpha):
    return (*colour, alpha)


def _encode(image, name):
    # WebP: every browser the site supports shows it, and its renditions then need no
    # second format (core.images.renditions), which keeps setup_demo quick.
    output = io.BytesIO()
    image.save(output, format="WEBP", quality=82, method=2)
    return output.getvalue(), f"{name}.webp"


def cover(seed, index):
    """The cover for the post ``seed`` (its slug), the ``index``-th of the demo's."""
    rng = random.Random(seed)  # nosec B311 # where shapes go in a picture, not a secret
    start, end, disc, detail, words = COVER_SCHEMES[index % len(COVER_SCHEMES)]
    kind = DETAILS[index % len(DETAILS)]
    scale = SUPERSAMPLE
    width, height = COVER_SIZE[0] * scale, COVER_SIZE[1] * scale
    layer = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)

    # The disc: large, off-centre, partly off the edge, like a sun low in the frame.
    radius = int(height * rng.uniform(0.34, 0.44))
    cx = int(width * rng.choice([0.28, 0.68, 0.74]))
    cy = int(height * rng.uniform(0.45, 0.62))
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=_translucent(disc, 255))
    # A smaller echo of it in the detail colour.
    small = radius // 3
    ex = cx + int(radius * 1.25) * (-1 if cx > width / 2 else 1)
    ey = cy - int(radius * 0.9)
    draw.ellipse((ex - small, ey - small, ex + small, ey + small), fill=_translucent(detail, 230))

    line = 3 * scale
    if kind == "rings":
        for step in range(1, 6):
            r = radius + step * 34 * scale
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r), outline=_translucent(detail, 150), width=line
            )
    elif kind == "bars":
        # On their own layer, over the discs: light bars on dark grounds, dark on light.
        bars = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        tint = INK if sum(start) > 500 else PAPER
        bar = 46 * scale
        first = int(width * rng.uniform(0.05, 0.15))
        for step in range(7):
            x = first + step * bar * 2
            ImageDraw.Draw(bars).rectangle(
                (x, 0, x + bar, height), fill=_translucent(tint, 14 + step * 5)
            )
        layer = Image.alpha_composite(layer, bars)
    elif kind == "dots":
        gap = 54 * scale
        left = width - 9 * gap if cx < width / 2 else gap
        for row in range(8):
            for column in range(8):
                x, y = left + column * gap, gap * 2 + row * gap
                r = 6 * scale
                draw.ellipse((x - r, y - r, x + r, y + r), fill=_translucent(detail, 210))
    else:  # arcs
        corner = (width, height) if cx < width / 2 else (0, height)
        for step in range(1, 9):
            r = step * 95 * scale
            box = (corner[0] - r, corner[1] - r, corner[0] + r, corner[1] + r)
            draw.arc(box, 180, 360, fill=_translucent(detail, 170), width=line)

    image = _gradient(COVER_SIZE, start, end)
    image.paste(layer.reduce(scale), mask=layer.reduce(scale))
    data, name = _encode(image, f"cover-{seed}")
    return Drawn(data, name, f"Abstract illustration: {words}, {DETAIL_WORDS[kind]}.")


# (background, clothes, face, hair, accent) per author, by the order they are drawn.
PORTRAIT_SCHEMES = [
    ((AMBER, RUST), NAVY, (224, 172, 138), INK, PAPER),
    ((SKY, TEAL), RUST, (150, 98, 70), INK, AMBER),
]


def portrait(seed, index):
    """A head-and-shoulders illustration for the author ``seed``: shapes, not a person."""
    (start, end), clothes, face, hair, accent = PORTRAIT_SCHEMES[index % len(PORTRAIT_SCHEMES)]
    side = PORTRAIT_SIDE * SUPERSAMPLE
    unit = side / 100
    layer = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)

    # A ring behind the head, in the accent colour.
    draw.ellipse(
        (18 * unit, 10 * unit, 82 * unit, 74 * unit), outline=(*accent, 120), width=int(unit)
    )
    # Shoulders: a wide rounded shape rising from the bottom edge.
    draw.rounded_rectangle(
        (14 * unit, 70 * unit, 86 * unit, 130 * unit), radius=int(30 * unit), fill=(*clothes, 255)
    )
    # The collar: a triangle of the background showing through.
    draw.polygon(
        [(42 * unit, 70 * unit), (58 * unit, 70 * unit), (50 * unit, 82 * unit)], fill=(*face, 255)
    )
    # Neck and head.
    draw.rectangle((43 * unit, 56 * unit, 57 * unit, 72 * unit), fill=(*face, 255))
    draw.ellipse((33 * unit, 22 * unit, 67 * unit, 62 * unit), fill=(*face, 255))
    # Hair: a cap over the top of the head.
    if index % 2 == 0:
        draw.chord((31 * unit, 18 * unit, 69 * unit, 56 * unit), 180, 360, fill=(*hair, 255))
        draw.pieslice((31 * unit, 18 * unit, 52 * unit, 50 * unit), 150, 270, fill=(*hair, 255))
    else:
        draw.ellipse((31 * unit, 16 * unit, 69 * unit, 44 * unit), fill=(*hair, 255))
        draw.rectangle((33 * unit, 30 * unit, 67 * unit, 36 * unit), fill=(*hair, 255))
    # Round glasses, the one feature: enough to read as a face, not as anyone in particular.
    for x in (42, 58):
        draw.ellipse(
            ((x - 6) * unit, 40 * unit, (x + 6) * unit, 50 * unit),
            outline=(*INK, 255),
            width=int(unit * 1.1),
        )
    draw.line((48 * unit, 45 * unit, 52 * unit, 45 * unit), fill=(*INK, 255), width=int(unit))

    layer = layer.reduce(SUPERSAMPLE)
    image = _gradient(layer.size, start, end)
    image.paste(layer, mask=layer)
    data, name = _encode(image, f"portrait-{seed}")
    return Drawn(data, name, "")
