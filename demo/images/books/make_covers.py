"""Make the demo books' typographic covers (600×900 JPEG). Run once from the repository root:

    .venv/bin/python demo/images/books/make_covers.py

Uses the DejaVu fonts Debian installs (fonts-dejavu-core); the JPEGs it writes are committed.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = Path("/usr/share/fonts/truetype/dejavu")
SIZE = (600, 900)
MARGIN = 60

COVERS = [
    {
        "file": "hiring-ai-engineers.jpg",
        "title": "Hiring AI Engineers",
        "subtitle": "A Field Guide for Founders",
        "background": (24, 45, 74),
        "text": (255, 255, 255),
        "muted": (190, 204, 222),
        "accent": (232, 112, 64),
        "mark": None,
    },
    {
        "file": "the-eval-first-team.jpg",
        "title": "The Eval-First Team",
        "subtitle": "Shipping LLM Features You Can Trust",
        "background": (226, 169, 59),
        "text": (27, 31, 36),
        "muted": (70, 52, 20),
        "accent": (27, 31, 36),
        "mark": "✓ ✓ ✓ ✗ ✓",
    },
]
AUTHOR = "ALEX NAVARRO"


def font(name, size):
    return ImageFont.truetype(str(FONTS / name), size)


def wrap(draw, text, face, width):
    """Greedy word wrap to ``width`` pixels."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=face) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line]


def spaced(draw, xy, text, face, fill, tracking):
    """Draw letter-spaced capitals, as covers set an author's name."""
    x, y = xy
    for char in text:
        draw.text((x, y), char, font=face, fill=fill)
        x += draw.textlength(char, font=face) + tracking


def make(cover):
    image = Image.new("RGB", SIZE, cover["background"])
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN

    # A thin frame, inset: reads as a printed cover at thumbnail size.
    draw.rectangle([24, 24, SIZE[0] - 25, SIZE[1] - 25], outline=cover["muted"], width=2)

    y = 150
    if cover["mark"]:
        draw.text((MARGIN, y - 70), cover["mark"], font=font("DejaVuSans-Bold.ttf", 40),
                  fill=cover["accent"])  # fmt: skip
    title_face = font("DejaVuSans-Bold.ttf", 74)
    for line in wrap(draw, cover["title"], title_face, width):
        draw.text((MARGIN, y), line, font=title_face, fill=cover["text"])
        y += 86
    y += 24
    draw.rectangle([MARGIN, y, MARGIN + 120, y + 8], fill=cover["accent"])
    y += 44
    subtitle_face = font("DejaVuSerif-Italic.ttf", 34)
    for line in wrap(draw, cover["subtitle"], subtitle_face, width):
        draw.text((MARGIN, y), line, font=subtitle_face, fill=cover["muted"])
        y += 46

    spaced(draw, (MARGIN, SIZE[1] - 130), AUTHOR, font("DejaVuSans.ttf", 30), cover["text"], 5)
    image.save(HERE / cover["file"], "JPEG", quality=85, optimize=True, progressive=True)


if __name__ == "__main__":
    for cover in COVERS:
        make(cover)
        path = HERE / cover["file"]
        print(f"{path.name}: {path.stat().st_size // 1024} KB")
