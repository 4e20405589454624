"""The web fonts the site serves itself: copied unchanged from their packages, each named in
the stylesheet with its package's character ranges, licensed, and with stand-ins that match."""

import importlib.util
import json
import re
from pathlib import Path

import pytest
from django.conf import settings

from core.http.csp import site_policy

ROOT = Path(settings.BASE_DIR)
STYLESHEET = (ROOT / "static" / "css" / "site.css").read_text()
FONTS = ROOT / "static" / "fonts"
FACE = re.compile(r"@font-face\s*\{(.*?)\}", re.S)


def vendor_fonts():
    spec = importlib.util.spec_from_file_location(
        "vendor_fonts", ROOT / "scripts" / "vendor_fonts.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def web_font_faces():
    """{file name: unicode-range} of each @font-face that loads a file of ours."""
    faces = {}
    for body in FACE.findall(STYLESHEET):
        if match := re.search(r'url\("\.\./fonts/([^"]+)"\)', body):
            faces[match[1]] = re.search(r"unicode-range:\s*([^;]+);", body)[1]
    return faces


def test_every_face_names_a_committed_file_and_every_file_is_used():
    faces = web_font_faces()
    assert faces, "no @font-face loads a font from static/fonts/"
    assert set(faces) == {p.name for p in FONTS.glob("*.woff2")}
    for family in vendor_fonts().FONTS:
        licence = (FONTS / f"LICENSE-{family}.txt").read_text()
        assert "SIL Open Font License, Version 1.1" in licence


def test_the_files_and_ranges_are_the_packages_own():
    module = vendor_fonts()
    if not module.PACKAGES.is_dir():
        pytest.fail("node_modules/@fontsource-variable is missing: run `npm ci` (make test does)")
    assert module.main(["--check"]) == 0, "static/fonts/ differs: run scripts/vendor_fonts.py"
    for name, declared in web_font_faces().items():
        family, subset = re.fullmatch(r"(.+?)-(latin(?:-ext)?)-wght-\w+\.woff2", name).groups()
        expected = json.loads((module.PACKAGES / family / "unicode.json").read_text())[subset]
        assert declared.replace(" ", "") == expected, name


def test_the_stylesheet_has_the_fallback_faces_the_script_computes():
    # Edit LOCAL_WIDTHS or WEB_METRICS in scripts/vendor_fonts.py, then paste --fallbacks.
    assert vendor_fonts().fallback_faces() in STYLESHEET
    body = re.search(r"--font-body:\s*([^;]+);", STYLESHEET)[1]
    assert body.startswith('"Lora Variable", "Lora Georgia", "Lora Times", "Lora DejaVu"')


def test_the_policy_lets_fonts_come_from_the_site_only():
    policy = site_policy()
    assert "font-src" not in policy and policy["default-src"] == ["'self'"]
    assert "http" not in "".join(re.findall(r"url\(([^)]*)\)", STYLESHEET))
