"""A reader's visit, in a real browser: every page type is accessible and looks right."""

import pytest

from blog.models import Post, Tag
from books.models import Book

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
