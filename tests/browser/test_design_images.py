"""The demo as a reader sees it: the phone header, images on every page type, axe, screenshots.

Screenshots go to test-artifacts/screenshots/images-<page>-<viewport>-<scheme>.png.
"""

import pytest

from blog.models import Post, Tag

from .conftest import DESKTOP, PHONE, run_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADER_MAX = 64  # CSS px, at 390×844


def pages():
    article = Post.objects.published().order_by("-word_count").first()
    tag = Tag.objects.filter(posts__in=Post.objects.published()).order_by("slug").first()
    return {
        "home": "/",
        "about": "/about/",
        "blog": "/blog/",
        "article": article.get_absolute_url(),
        "tag": tag.get_absolute_url(),
    }


def above_the_fold(page, selector):
    """How many elements matching ``selector`` a reader sees without scrolling."""
    return page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((el) => {
            const box = el.getBoundingClientRect(), style = getComputedStyle(el);
            return box.width > 0 && box.height > 0 && box.top < innerHeight && box.bottom > 0
                && style.visibility !== 'hidden';
        }).length""",
        selector,
    )


def load_every_image(page):
    """Scroll through the page so lazy images load before a full-page screenshot."""
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) {
                scrollTo(0, y); await new Promise((done) => setTimeout(done, 60));
            }
            scrollTo(0, 0);
            await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
        }"""
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_phone_header_is_one_short_row(demo_site, open_page, scheme):
    page = open_page(PHONE, scheme)
    for url in pages().values():
        page.goto(url)
        height = page.locator(".site-header").bounding_box()["height"]
        assert height <= HEADER_MAX, f"{url}: header {height}px"
        assert not page.locator("#site-menu").is_visible()
        assert not page.locator("#site-search").is_visible()


def test_phone_nav_and_search_are_one_tap_away(demo_site, open_page):
    page = open_page(PHONE)
    page.goto("/blog/")
    menu = page.get_by_role("button", name="Menu")
    search = page.get_by_role("button", name="Search", exact=True)
    assert menu.get_attribute("aria-expanded") == "false"

    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="About").is_visible()
    assert nav.get_by_role("link", name="Work with me").is_visible()  # the CTA lives in the menu
    # Opening a panel moves nothing on the page.
    top = page.locator("main h1").bounding_box()["y"]
    page.keyboard.press("Escape")
    assert menu.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == "site-menu"
    assert page.locator("main h1").bounding_box()["y"] == top

    search.click()
    box = page.get_by_role("searchbox", name="Search the articles")
    assert box.is_visible() and box.evaluate("el => el === document.activeElement")
    page.keyboard.type("hiring")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=hiring")
    assert page.locator(".search-result").count() >= 1

    # Without JavaScript the nav and the search box show, so nothing is out of reach.
    plain = page.context.browser.new_context(viewport=PHONE, java_script_enabled=False)
    bare = plain.new_page()
    bare.goto(page.url.split("/search/")[0] + "/blog/")
    assert (
        bare.get_by_role("navigation", name="Main").get_by_role("link", name="About").is_visible()
    )
    assert bare.get_by_role("searchbox", name="Search the articles").is_visible()
    assert not bare.get_by_role("button", name="Menu").is_visible()
    plain.close()


def test_call_to_action_once_above_the_fold_on_a_phone(demo_site, open_page):
    page = open_page(PHONE)
    page.goto("/")
    assert above_the_fold(page, "a.button-cta") == 1
    # On a wide screen the header keeps its own.
    wide = open_page(DESKTOP)
    wide.goto("/")
    assert wide.locator(".site-header a.button-cta").is_visible()


def test_images_are_sized_and_load_in_the_right_order(demo_site, open_page):
    page = open_page(DESKTOP)
    for name, url in pages().items():
        page.goto(url)
        images = page.evaluate(
            """() => [...document.images].map((img) => ({
                src: img.currentSrc, width: img.getAttribute('width'),
                height: img.getAttribute('height'), loading: img.loading,
                priority: img.getAttribute('fetchpriority'),
                top: img.getBoundingClientRect().top + scrollY}))"""
        )
        assert images, name
        for image in images:
            assert image["width"] and image["height"], f"{name}: {image}"
        eager = [image for image in images if image["loading"] != "lazy"]
        assert eager and all(image["top"] < DESKTOP["height"] for image in eager), name
    # The home page's first image is the portrait, fetched first.
    page.goto("/")
    hero = page.locator(".hero img.portrait")
    assert hero.get_attribute("fetchpriority") == "high"
    assert hero.evaluate("img => img.complete && img.naturalWidth > 0")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_pass_axe_and_are_photographed(demo_site, open_page, axe_script, scheme):
    failures = {}
    for viewport_name, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
        page = open_page(viewport, scheme)
        page.set_default_timeout(60_000)  # full-page screenshots of long articles, on busy cores
        for name, url in pages().items():
            page.goto(url)
            load_every_image(page)
            shift = page.evaluate(
                """() => new Promise((done) => {
                    let sum = 0;
                    new PerformanceObserver((list) => {
                        for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
                    }).observe({type: 'layout-shift', buffered: true});
                    setTimeout(() => done(sum), 200);
                })"""
            )
            assert shift == 0, f"{name} ({viewport_name}): layout shift {shift}"
            screenshot(page, f"images-{name}-{viewport_name}-{scheme}")
            if name in ("home", "about") and (violations := run_axe(page, axe_script)):
                failures[f"{name} ({viewport_name}, {scheme})"] = violations
        if viewport == PHONE:
            page.goto("/")
            page.get_by_role("button", name="Menu").click()
            if violations := run_axe(page, axe_script):
                failures[f"home, menu open ({scheme})"] = violations
            screenshot(page, f"images-menu-phone-{scheme}")
    assert not failures, "\n".join(f"{page}: {v}" for page, vs in failures.items() for v in vs)
