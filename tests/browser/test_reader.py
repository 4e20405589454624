"""A reader's visit, in a real browser: every page type is accessible and looks right."""

import pytest

from blog.models import Post, Tag
from books.models import Book
from enquiries import spam
from enquiries.models import Enquiry

from .conftest import DESKTOP, PHONE, run_axe, screenshot

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def page_types():
    """Each kind of public page of the demo site, by name."""
    article = Post.objects.published().first()
    tag = Tag.objects.filter(posts__in=Post.objects.published()).first()
    book = Book.objects.first()
    return {
        "home": "/",
        "blog-index": "/blog/",
        "article": article.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "books": "/books/",
        "book": book.get_absolute_url(),
        "praise": "/praise/",
        "about": "/about/",
        "work-with-me": "/work-with-me/",
        "not-found": "/no-such-page/",
        "search": "/search/?q=" + article.title.split()[0],
        "search-empty": "/search/?q=zzzqqq",
    }


def test_every_page_type_passes_axe_on_desk_and_phone_in_light_and_dark(
    demo_site, open_page, axe_script
):
    failures = {}
    for name, url in page_types().items():
        for scheme in ["light", "dark"]:
            for viewport_name, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
                page = open_page(viewport, scheme)
                page.goto(url)
                screenshot(page, f"{name}-{viewport_name}-{scheme}")
                if violations := run_axe(page, axe_script):
                    failures[f"{name} ({viewport_name}, {scheme})"] = violations
                page.context.close()
    assert not failures, "\n".join(f"{page}: {v}" for page, vs in failures.items() for v in vs)


def test_theme_switch_is_remembered_without_a_flash(demo_site, page):
    page.goto("/")
    background = "() => getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)

    page.get_by_role("group", name="Theme").get_by_role("button", name="Dark").click()
    assert page.evaluate(background) != light

    # The choice applies before any deferred script runs on the next page.
    page.route("**/theme.js", lambda route: route.abort())
    page.goto("/blog/")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate(background) != light

    page.unroute("**/theme.js")
    page.goto("/")
    page.get_by_role("group", name="Theme").get_by_role("button", name="System").click()
    assert page.evaluate(background) == light
    assert page.evaluate("localStorage.getItem('theme')") is None


def test_no_page_scrolls_sideways_at_360_pixels(demo_site, open_page):
    page = open_page({"width": 360, "height": 740})
    too_wide = {}
    for name, url in page_types().items():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[name] = width
    assert not too_wide


def test_the_site_works_without_javascript(demo_site, browser, live_server, monkeypatch):
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("navigation").get_by_role("link", name="Blog").click()
        page.locator(".post-card-title a").first.click()
        assert page.locator(".faq details").count() >= 1
        assert page.get_by_role("button", name="Copy link").is_hidden()  # needs JS: not offered
        search = page.get_by_role("search", name="Site")
        search.get_by_role("searchbox").fill("engineers")
        search.get_by_role("button", name="Search").click()
        assert page.locator("main mark").count() >= 1

        page.goto("/work-with-me/")
        page.get_by_label("Name").fill("No Script")
        page.get_by_label("Email").fill("noscript@example.com")
        page.locator("input[name=need]").first.check()
        page.get_by_label("Message").fill("Sent from a browser with JavaScript turned off.")
        page.get_by_role("button", name="Send enquiry").click()
        assert "Thank" in page.locator("h1").inner_text()
        assert Enquiry.objects.filter(email="noscript@example.com").exists()
    finally:
        context.close()


def test_articles_print_without_furniture_and_with_link_addresses(demo_site, open_page):
    page = open_page(DESKTOP, "dark")
    page.goto(page_types()["article"])
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator(".share").is_hidden()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    link_after = page.evaluate(
        """() => getComputedStyle(
            document.querySelector('.prose p a[href^="http"], .prose p a[href^="/"]'), '::after'
        ).content"""
    )
    assert link_after.startswith('" (')
