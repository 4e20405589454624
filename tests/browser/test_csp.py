"""The Content-Security-Policy in Chromium: no page of the site, and nothing the admin's
editor does, trips it (core/http/csp.py)."""

import re

import pytest

from blog.models import Post
from previews.models import PreviewLink
from tests.conftest import image_bytes

from .conftest import PHONE
from .test_journeys import drop_image
from .test_reader import page_types

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Installed before any script of the page runs; a blocked inline script, style,
# image, frame or form target each fire this event.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
});
"""


def watch(page):
    """Collects CSP and Permissions-Policy complaints the browser reports on ``page``."""
    problems = []
    page.add_init_script(REPORT_VIOLATIONS)

    def on_console(message):
        text = message.text
        if message.type == "error" and (
            "CSP violation" in text
            or "Content Security Policy" in text
            or "Permissions-Policy" in text
        ):
            problems.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return problems


def test_no_public_page_trips_the_policy(demo_site, open_page):
    paths = {**page_types(), "search": "/search/?q=hiring"}
    for viewport in ({"width": 1280, "height": 800}, PHONE):
        page = open_page(viewport=viewport)
        problems = watch(page)
        for name, path in paths.items():
            page.goto(path)
            page.wait_for_load_state("load")
            # The theme boot script (inline, allowed by its hash) ran before the first paint.
            assert page.evaluate("document.documentElement.dataset.theme === undefined"), name
        page.evaluate("localStorage.setItem('theme', 'dark')")
        page.goto("/")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert problems == []


def test_json_ld_is_on_the_page_and_not_blocked(demo_site, page):
    problems = watch(page)
    page.goto(Post.objects.published().first().get_absolute_url())
    blocks = page.locator('script[type="application/ld+json"]')
    assert blocks.count() >= 1
    assert '"@context"' in blocks.first.text_content()
    assert problems == []


def test_admin_and_the_editor_work_under_the_policy(staff_page, make_post, author):
    post = make_post(title="Hiring your first ML engineer", body="Some words.\n")
    page = staff_page
    problems = watch(page)
    for path in ("/admin/", "/admin/blog/post/", "/admin/blog/post/add/", "/admin/blog/tag/"):
        page.goto(path)

    page.goto(f"/admin/blog/post/{post.pk}/change/")
    body = page.locator("textarea[name=body]")
    # The page preview beside the editor renders through its staff-only endpoint, in an
    # iframe that inherits the admin's policy (blog/admin/preview.py).
    body.fill("## Costs\n\nA *careful* plan.\n\n```python\nprint(1)\n```\n")
    preview = page.frame_locator(".editor-preview iframe")
    preview.locator("h2", has_text="Costs").wait_for()
    # Image upload: the editor posts the file and writes its Markdown into the body.
    drop_image(page, body, image_bytes("PNG", size=(640, 360)))
    page.wait_for_function(
        "() => document.querySelector('textarea[name=body]').value.includes('/media/')"
    )
    preview.locator("img").wait_for()
    page.wait_for_function(
        "() => [...document.querySelector('.editor-preview iframe').contentDocument"
        ".querySelectorAll('.e-content img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    # The pre-publish checks redraw from their endpoint as the author types: the
    # image has no description yet.
    body.press_sequentially(" ")
    page.locator("#prepublish-checks", has_text="alt text").wait_for()
    # Autosave stores a draft a moment after typing stops.
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Saved a draft at')"
    )
    body.fill(re.sub(r"!\[[^\]]*\]\(", "![A chart](", body.input_value(), count=1))
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    # The preview-link button posts in the background: an edit not saved yet stays.
    page.fill("input[name=description]", "Typed, not saved yet.")
    page.get_by_role("button", name="Create preview link").click()
    page.locator(".preview-links-status", has_text="Preview link created").wait_for()
    assert page.input_value("input[name=description]") == "Typed, not saved yet."
    link = PreviewLink.objects.get(post=post)
    assert page.locator(".preview-link-url").input_value().endswith(link.get_absolute_url())
    page.goto(link.get_absolute_url())
    assert page.locator("h1").inner_text() == "Hiring your first ML engineer"
    # The uploaded image, as a responsive picture.
    image = page.locator(".prose img").first
    image.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
    assert problems == []
