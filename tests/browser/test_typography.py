"""The article's type and long-form details, in a real browser (docs/design.md).

Fonts come from the site and shift nothing when they arrive; wide tables are readable on a
desk and scroll with a visible cue on a phone; footnotes show their note beside the
reference; a reading progress bar fills as the text scrolls by.
"""

import gzip
import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from blog.models import Post

from .conftest import DESKTOP, PHONE, run_axe, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FONT_BUDGET = 120 * 1024  # bytes of WOFF2 an article may load
PAGE_BUDGET = 50 * 1024  # HTML, CSS and JS of an article, gzip-compressed
MAX_CELL_LINES = 4  # at 1280 px wide

# The layout-shift entries of the page so far, summed as CLS counts them.
CUMULATIVE_LAYOUT_SHIFT = """() => new Promise(resolve => {
    let total = 0;
    new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
    }).observe({type: 'layout-shift', buffered: true});
    setTimeout(() => resolve(total), 300);
})"""

LINES_IN_TALLEST_CELL = """region => Math.max(...[...region.querySelectorAll('th, td')].map(c => {
    const cell = c;
    const style = getComputedStyle(cell);
    const text = cell.getBoundingClientRect().height
        - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return Math.round(text / parseFloat(style.lineHeight));
}))"""


def articles_with_tables():
    return [post for post in Post.objects.published() if "table-scroll" in post.body_html]


def reference_article():
    """The demo post with the most tables, then the longest: pull quote, footnote, FAQ."""
    return max(
        Post.objects.published().filter(faq_items__isnull=False).distinct(),
        key=lambda post: (post.body_html.count("<table"), len(post.body_html)),
    ).get_absolute_url()


def recorded_responses(page):
    """The list of every response the page gets from now on."""
    responses = []
    page.on("response", lambda response: responses.append(response))
    return responses


def loaded_font_families(page):
    return page.evaluate(
        "[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)"
    )


def test_fonts_come_from_the_site_alone_within_budget(demo_site, open_page, live_server):
    url = reference_article()
    for viewport in (DESKTOP, PHONE):
        page = open_page(viewport)
        responses = recorded_responses(page)
        page.goto(url)
        page.evaluate("document.fonts.ready")
        page.wait_for_load_state("networkidle")

        origins = {
            urlsplit(response.url)._replace(path="", query="").geturl() for response in responses
        }
        assert origins == {live_server.url}, origins
        fonts = [r for r in responses if r.request.resource_type == "font"]
        assert {urlsplit(r.url).path.split("/")[-1].split(".")[0] for r in fonts} >= {
            "lora-latin-wght-normal",
            "public-sans-latin-wght-normal",
        }
        assert all(urlsplit(r.url).path.startswith("/static/fonts/") for r in fonts)
        assert sum(len(r.body()) for r in fonts) < FONT_BUDGET
        assert {"Lora Variable", "Public Sans Variable"} <= set(loaded_font_families(page))
        text_face = page.evaluate(
            "getComputedStyle(document.querySelector('.e-content p')).fontFamily"
        )
        assert text_face.startswith('"Lora Variable"')

        # The text and heading fonts are asked for before the stylesheet names them.
        preloads = page.locator('link[rel="preload"][as="font"]')
        hrefs = [preloads.nth(i).get_attribute("href") for i in range(preloads.count())]
        assert any("lora-latin-wght-normal" in href for href in hrefs), hrefs
        for i in range(preloads.count()):
            assert preloads.nth(i).get_attribute("type") == "font/woff2"
            assert preloads.nth(i).get_attribute("crossorigin") is not None

        documents = [
            r for r in responses if r.request.resource_type in {"document", "stylesheet", "script"}
        ]
        compressed = sum(len(gzip.compress(r.body())) for r in documents)
        assert compressed < PAGE_BUDGET, f"{compressed} bytes"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_layout_shift_even_when_the_fonts_arrive_late(demo_site, open_page, viewport):
    page = open_page(viewport)
    held, released = [], []

    def hold_fonts(route):  # until the page has been drawn without them
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route("**/*.woff2", hold_fonts)
    page.goto(reference_article(), wait_until="domcontentloaded")
    page.wait_for_timeout(400)
    # The metric-matched stand-ins drew the text meanwhile.
    stand_ins = set(loaded_font_families(page))
    assert stand_ins & {"Lora Georgia", "Lora Times", "Lora DejaVu"}, stand_ins
    assert not stand_ins & {"Lora Variable", "Public Sans Variable"}

    released.append(True)
    for route in held:
        route.continue_()
    page.evaluate("document.fonts.load('1em \"Lora Variable\"')")
    page.evaluate("document.fonts.ready")
    assert "Lora Variable" in loaded_font_families(page)
    assert page.evaluate(CUMULATIVE_LAYOUT_SHIFT) == 0

    fresh = page.context.new_page()  # and on an ordinary load
    fresh.goto(reference_article())
    fresh.evaluate("document.fonts.ready")
    assert fresh.evaluate(CUMULATIVE_LAYOUT_SHIFT) == 0


def test_the_text_column_holds_60_to_75_characters_a_line(demo_site, open_page):
    page = open_page(DESKTOP)
    page.goto(reference_article())
    page.evaluate("document.fonts.ready")
    per_line = page.evaluate(
        """() => {
            let characters = 0, lines = 0;
            for (const p of document.querySelectorAll('.e-content > p')) {
                const count = Math.round(p.getBoundingClientRect().height
                    / parseFloat(getComputedStyle(p).lineHeight));
                if (count >= 3) { characters += p.textContent.length; lines += count; }
            }
            return characters / lines;
        }"""
    )
    assert 60 <= per_line <= 75


def test_wide_tables_break_out_on_a_desk_with_no_cell_over_four_lines(demo_site, open_page):
    page = open_page(DESKTOP)
    widest = 0
    for post in articles_with_tables():
        page.goto(post.get_absolute_url())
        page.evaluate("document.fonts.ready")
        column = page.evaluate("document.querySelector('.e-content').clientWidth")
        for region in page.locator(".table-scroll").element_handles():
            lines = region.evaluate(LINES_IN_TALLEST_CELL)
            assert lines <= MAX_CELL_LINES, f"{post.slug}: a cell of {lines} lines"
            width, scrolls = region.evaluate("r => [r.clientWidth, r.scrollWidth > r.clientWidth]")
            assert not scrolls, post.slug
            widest = max(widest, width)
    # The widest reaches past the text column, still inside the page.
    assert column < widest <= DESKTOP["width"] - 2 * 16
    assert page.evaluate("document.documentElement.scrollWidth") == DESKTOP["width"]


def edge_shades(page, region):
    """How far the region's left and right edges differ from the page's colour, text hidden."""
    picture = Image.open(io.BytesIO(region.screenshot())).convert("L")
    width, height = picture.size
    background = picture.getpixel((width // 2, height // 2))

    def shade(x):
        column = [picture.getpixel((x, y)) for y in range(height)]
        return abs(background - sum(column) / len(column))

    return shade(1), shade(width - 2)


def test_on_a_phone_the_widest_table_scrolls_with_a_visible_cue(demo_site, open_page):
    page = open_page(PHONE)
    widest = None
    for post in articles_with_tables():
        page.goto(post.get_absolute_url())
        sizes = page.evaluate(
            "[...document.querySelectorAll('.table-scroll')].map(r => r.scrollWidth)"
        )
        if widest is None or max(sizes) > widest[1]:
            widest = (post.get_absolute_url(), max(sizes), sizes.index(max(sizes)))
    url, _, index = widest
    page.goto(url)
    region = page.locator(".table-scroll").nth(index)
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label").startswith("Table")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth + 100")
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]

    # A keyboard user reaches the region and scrolls it.
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)  # the scroll may be smooth
    assert page.evaluate("document.activeElement.scrollLeft") > 0

    # The cue: a shadow at the edge with more table beyond it, none at an edge reached.
    region.evaluate(
        """r => { for (const element of r.querySelectorAll('*')) {
            element.style.setProperty('color', 'transparent', 'important');
            element.style.setProperty('border-color', 'transparent', 'important');
        } }"""
    )
    region.evaluate("r => r.scrollLeft = 0")
    left, right = edge_shades(page, region)
    assert right > 8 and left < 2, (left, right)
    region.evaluate("r => r.scrollLeft = r.scrollWidth")
    left, right = edge_shades(page, region)
    assert left > 8 and right < 2, (left, right)


def test_a_footnote_shows_its_note_on_focus_and_hover_and_links_both_ways(demo_site, open_page):
    page = open_page(DESKTOP)
    page.goto(reference_article())
    ref = page.locator(".e-content a.footnote-ref").first
    note_id = ref.get_attribute("href")[1:]
    note_text = page.evaluate(f"document.getElementById({note_id!r}).textContent.replace('↩', '')")
    popover = page.locator("#" + ref.get_attribute("aria-describedby"))
    assert popover.get_attribute("role") == "tooltip" and popover.is_hidden()

    ref.focus()
    assert popover.is_visible()
    assert popover.inner_text().split() == note_text.split()
    ref_box, popover_box = ref.bounding_box(), popover.bounding_box()
    assert abs(popover_box["y"] - (ref_box["y"] + ref_box["height"])) < 20  # just below
    assert popover_box["x"] >= 0 and popover_box["x"] + popover_box["width"] <= DESKTOP["width"]
    page.keyboard.press("Escape")
    assert popover.is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('footnote-ref')")

    ref.hover()
    assert popover.is_visible()
    popover.hover()  # the note stays while the pointer moves onto it
    page.wait_for_timeout(400)
    assert popover.is_visible()
    page.mouse.move(5, 5)
    popover.wait_for(state="hidden")

    ref.click()  # the reference still leads to the note, and its back-link back
    assert page.evaluate("location.hash") == "#" + note_id
    back = page.locator(f'[id="{note_id}"] a.footnote-backref')
    assert back.is_visible()
    back.click()
    assert page.evaluate("location.hash") == "#" + back.get_attribute("href")[1:]
    in_view = (
        "r => r.getBoundingClientRect().top >= 0 && r.getBoundingClientRect().bottom <= innerHeight"
    )
    assert ref.evaluate(in_view)


def test_footnotes_without_javascript_are_plain_links(demo_site, browser, live_server):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(reference_article())
        assert page.locator(".footnote-popover").count() == 0
        page.locator(".e-content a.footnote-ref").first.click()
        assert page.evaluate("location.hash").startswith("#fn")
    finally:
        context.close()


def test_the_reading_progress_bar_fills_as_the_text_scrolls_by(
    demo_site, open_page, browser, live_server
):
    page = open_page(DESKTOP)
    page.goto(reference_article())
    bar = page.locator(".reading-progress")
    assert bar.get_attribute("aria-hidden") == "true"
    display = "() => getComputedStyle(document.querySelector('.reading-progress')).display"
    assert page.evaluate(display) == "block"
    bar_style = "getComputedStyle(document.querySelector('.reading-progress'))"
    scale = f"() => new DOMMatrix({bar_style}.transform).a"
    assert page.evaluate(scale) == 0
    page.evaluate("document.querySelector('.e-content').scrollIntoView()")
    page.evaluate("scrollBy(0, document.querySelector('.e-content').offsetHeight / 2)")
    page.wait_for_timeout(100)
    assert 0.2 < page.evaluate(scale) < 0.8
    page.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(100)
    assert page.evaluate(scale) == 1
    # Animation only: the bar's box never changes, so it costs no layout.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.reading-progress')).animationName")
        == "reading-progress"
    )

    context = browser.new_context(base_url=live_server.url, reduced_motion="reduce")
    try:
        calm = context.new_page()
        calm.goto(reference_article())
        assert calm.evaluate(display) == "none"
    finally:
        context.close()


def test_pull_quote_faq_and_figures_read_as_designed(demo_site, open_page):
    page = open_page(DESKTOP)
    page.goto(reference_article())
    quote = page.evaluate(
        """() => { const q = document.querySelector('blockquote.pullquote');
                   const s = getComputedStyle(q), mark = getComputedStyle(q, '::before');
                   const p = getComputedStyle(document.querySelector('.e-content > p'));
                   return {style: s.fontStyle, weight: +s.fontWeight, family: s.fontFamily,
                           size: parseFloat(s.fontSize), text: parseFloat(p.fontSize),
                           mark: mark.content}; }"""
    )
    assert quote["style"] == "italic" and quote["weight"] < 600
    assert quote["family"].startswith('"Lora Variable"')
    assert quote["size"] > 1.4 * quote["text"] and "\u201c" in quote["mark"]

    # Every FAQ answer is on the page to read, no click needed.
    details = page.locator(".faq details")
    assert details.count() >= 2
    for index in range(details.count()):
        assert details.nth(index).get_attribute("open") is not None
        assert details.nth(index).locator(".prose").is_visible()


def test_screenshots_and_axe_of_the_article_light_and_dark(demo_site, open_page, axe_script):
    failures = []
    for scheme in ("light", "dark"):
        for name, viewport in (("1280", DESKTOP), ("390", PHONE)):
            page = open_page(viewport, scheme)
            page.set_default_timeout(30_000)  # a whole long page, on a busy machine
            page.goto(reference_article())
            page.evaluate("document.fonts.ready")
            screenshot(page, f"type-article-{name}-{scheme}")
            page.locator(".e-content a.footnote-ref").first.focus()  # with a note shown
            failures += [f"{scheme} {name}: {v}" for v in run_axe(page, axe_script)]
    assert not failures, "\n".join(failures)
