"""Copy the site's web fonts from their npm packages into static/fonts/.

The site serves its fonts itself (no third-party requests) and must not need
node_modules to run, so the few files it uses are committed: for each family in FONTS,
the variable-weight WOFF2 files of the Latin and Latin Extended subsets, exactly as
Fontsource builds them from Google Fonts (unchanged: Lora's licence reserves its name
for unmodified fonts), and the family's SIL Open Font License as LICENSE-<family>.txt.

    npm ci                                 # installs the versions package.json pins
    .venv/bin/python scripts/vendor_fonts.py          # copy
    .venv/bin/python scripts/vendor_fonts.py --check  # exit 1 if static/fonts differs

Upgrading a font: change its version in package.json (`npm install --save-dev --save-exact
@fontsource-variable/lora@X`), run this script, and check the @font-face rules at the top
of static/css/site.css (their unicode-range comes from the package's unicode.json).
``--fallbacks`` prints the metric-matched fallback faces that follow them (docs/design.md):
a local font scaled so that a line of text set in it is as long as in the web font, with the
web font's ascent and descent, so swapping one for the other moves nothing.
"""

import argparse
import filecmp
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "node_modules" / "@fontsource-variable"
TARGET = ROOT / "static" / "fonts"

# family id -> the styles the site uses (Public Sans is set upright only).
FONTS = {
    "lora": ("normal", "italic"),
    "public-sans": ("normal",),
}
SUBSETS = ("latin", "latin-ext")


def wanted_files():
    """(source, target name) of every file the site needs from the packages."""
    for family, styles in FONTS.items():
        package = PACKAGES / family
        for subset in SUBSETS:
            for style in styles:
                name = f"{family}-{subset}-wght-{style}.woff2"
                yield package / "files" / name, name
        yield package / "LICENSE", f"LICENSE-{family}.txt"


# Average advance width of English text (em/1000) and vertical metrics (em/1000) of each
# web font, and of the local fonts that stand in for it while it loads. Measured in Chromium
# with canvas measureText on the text of a demo post (Liberation Serif and Sans have the
# advance widths of Times New Roman and Arial, which they replace on Linux); Georgia's from
# @capsizecss/metrics 4.3.0 (English-letter-weighted xWidthAvg, scaled by its Lora/Liberation
# ratio to the same measure), since it is not installed here.
WEB_METRICS = {
    # family, style, weight: (average width, ascent, descent, line gap)
    ("Lora", "normal", 400): (461.7, 1006, 274, 0),
    ("Lora", "italic", 400): (448.3, 1006, 274, 0),
    ("Public Sans", "normal", 400): (456.6, 950, 225, 0),
    ("Public Sans", "normal", 700): (467.9, 950, 225, 0),
}
LOCAL_WIDTHS = {
    # stand-in family name: {(style, weight): (local font names, average width)}
    "Lora Georgia": {
        ("normal", 400): (["Georgia"], 439.8),
        ("italic", 400): (["Georgia Italic", "Georgia-Italic"], 447.9),
    },
    "Lora Times": {
        ("normal", 400): (["Times New Roman", "TimesNewRomanPSMT", "Liberation Serif"], 398.6),
        ("italic", 400): (
            ["Times New Roman Italic", "TimesNewRomanPS-ItalicMT", "Liberation Serif Italic"],
            399.9,
        ),
    },
    "Lora DejaVu": {
        ("normal", 400): (["DejaVu Serif"], 508.2),
        ("italic", 400): (["DejaVu Serif Italic"], 508.2),
    },
    "Public Sans Arial": {
        ("normal", 400): (["Arial", "ArialMT", "Liberation Sans"], 438.0),
        ("normal", 700): (["Arial Bold", "Arial-BoldMT", "Liberation Sans Bold"], 471.8),
    },
    "Public Sans DejaVu": {
        ("normal", 400): (["DejaVu Sans"], 500.6),
        ("normal", 700): (["DejaVu Sans Bold"], 566.2),
    },
}


def fallback_faces():
    """The @font-face rules of the metric-matched stand-ins, as CSS."""
    rules = []
    for family, faces in LOCAL_WIDTHS.items():
        web_family = "Public Sans" if family.startswith("Public Sans") else "Lora"
        for (style, weight), (names, width) in faces.items():
            web_width, ascent, descent, gap = WEB_METRICS[(web_family, style, weight)]
            scale = web_width / width
            src = ", ".join(f'local("{name}")' for name in names)
            rules.append(
                f'@font-face {{ font-family: "{family}"; font-style: {style}; '
                f"font-weight: {weight}; src: {src};\n"
                f"  size-adjust: {scale:.2%}; ascent-override: {ascent / 10 / scale:.2f}%; "
                f"descent-override: {descent / 10 / scale:.2f}%; "
                f"line-gap-override: {gap / 10 / scale:.2f}%; }}"
            )
    return "\n".join(rules)


def unicode_ranges(family):
    """The package's unicode-range of each subset, as its CSS declares them."""
    return json.loads((PACKAGES / family / "unicode.json").read_text())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    parser.add_argument("--fallbacks", action="store_true", help="print the fallback faces' CSS")
    args = parser.parse_args(argv)
    if args.fallbacks:
        print(fallback_faces())
        return 0
    if not PACKAGES.is_dir():
        sys.exit(f"{PACKAGES} is missing: run `npm ci` first")
    files = list(wanted_files())
    if missing := [str(source) for source, _ in files if not source.exists()]:
        sys.exit("Not in the installed packages:\n  " + "\n  ".join(missing))
    expected = {name for _, name in files}
    extra = sorted(
        p.name for p in TARGET.glob("*") if p.name not in expected and p.name != "README.md"
    )
    differing = [
        name
        for source, name in files
        if not (TARGET / name).exists() or not filecmp.cmp(source, TARGET / name, shallow=False)
    ]
    if args.check:
        for name in differing:
            print(f"differs from its package: static/fonts/{name}")
        for name in extra:
            print(f"not from a package: static/fonts/{name}")
        return 1 if differing or extra else 0
    TARGET.mkdir(parents=True, exist_ok=True)
    for source, name in files:
        shutil.copyfile(source, TARGET / name)
    for name in extra:
        (TARGET / name).unlink()
    total = sum((TARGET / name).stat().st_size for name in expected if name.endswith(".woff2"))
    print(f"Copied {len(files)} files into static/fonts/ ({total / 1024:.0f} KB of WOFF2).")
    for family in FONTS:
        ranges = unicode_ranges(family)
        for subset in SUBSETS:
            print(f"  {family} {subset}: unicode-range: {ranges[subset]};")
    return 0


if __name__ == "__main__":
    sys.exit(main())
