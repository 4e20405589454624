"""Link-preview images for posts without a featured image: 1200×630 PNGs drawn with Pillow."""

import hashlib
import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 630)
MARGIN = 80
BACKGROUND = (31, 58, 95)  # the site's accent navy
TEXT = (255, 255, 255)
MUTED = (196, 210, 228)
HIGHLIGHT = (242, 184, 75)
BOLD_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
]
REGULAR_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
]


def font(candidates, size):
    """A system font if the machine has one, else Pillow's own scalable font."""
    for path in candidates:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def fingerprint(*parts):
    """A short hash of what a card shows: a new one means the card must be redrawn."""
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:12]


def wrap(draw, text, typeface, width, max_lines):
    """Lines of ``text`` that fit ``width`` pixels; the last one ends with … if cut."""
    words, lines = text.split(), []
    while words and len(lines) < max_lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=typeface) <= width:
            line += f" {words.pop(0)}"
        lines.append(line)
    if words:
        lines[-1] = textwrap.shorten(
            lines[-1] + " " + " ".join(words), len(lines[-1]), placeholder="…"
        )
    return lines


def render_card(title, lede, site_name, initials):
    """The card as PNG bytes."""
    image = Image.new("RGB", SIZE, BACKGROUND)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN

    # Header: the initials badge and the site name.
    draw.ellipse((MARGIN, MARGIN, MARGIN + 64, MARGIN + 64), fill=HIGHLIGHT)
    draw.text(
        (MARGIN + 32, MARGIN + 32),
        initials,
        font=font(BOLD_FONTS, 26),
        fill=BACKGROUND,
        anchor="mm",
    )
    draw.text(
        (MARGIN + 88, MARGIN + 32), site_name, font=font(BOLD_FONTS, 30), fill=TEXT, anchor="lm"
    )

    # The title as large as fits in three lines, then the lede.
    for size in (68, 60, 52, 46):
        title_font = font(BOLD_FONTS, size)
        lines = wrap(draw, title, title_font, width, max_lines=3)
        if " ".join(lines) == title or size == 46:
            break
    y = MARGIN + 120
    for line in lines:
        draw.text((MARGIN, y), line, font=title_font, fill=TEXT)
        y += int(size * 1.2)
    y += 16
    lede_font = font(REGULAR_FONTS, 30)
    for line in wrap(draw, lede, lede_font, width, max_lines=2) if lede else []:
        y += 8
        draw.text((MARGIN, y), line, font=lede_font, fill=MUTED)
        y += 38
    draw.rectangle((0, SIZE[1] - 12, SIZE[0], SIZE[1]), fill=HIGHLIGHT)

    output = io.BytesIO()
    # A flat-colour card compresses well even at a fast setting.
    image.save(output, format="PNG", compress_level=6)
    return output.getvalue()
