"""The post editor's page preview in a browser (static/blog/editor-preview.js): it is the
page, beside the editor or behind tabs, follows the typing and the editor's scroll, and
passes axe-core in light and dark."""

import re
import time

import pytest

from blog.models import FAQItem, Post

from ..test_editor_preview import BODY
from .conftest import ARTIFACTS, DESKTOP, PHONE, run_axe, served_body

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# A long body: many sections, so the preview must scroll to show a heading far down.
LONG_BODY = BODY + "".join(
    f"\n## Section {n}\n\n"
    + "\n\n".join(f"Paragraph {n}.{p} " + "word " * 60 for p in range(4))
    + "\n"
    for n in range(1, 16)
)


@pytest.fixture
def post(author):
    post = Post.objects.create(
        title="Preview me",
        slug="preview-me",
        description="A lede under the title.",
        body=LONG_BODY,
        show_toc=True,
        author=author,
        status=Post.Status.DRAFT,
    )
    FAQItem.objects.create(post=post, question="Is this the page?", answer="It *is*.", position=0)
    post.refresh_from_db()  # its reading time, recounted with the FAQ
    return post


def open_editor(open_page, staff_page, post, viewport=DESKTOP, color_scheme="light"):
    page = staff_page
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=color_scheme)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    preview_ready(page)
    return page


def preview_ready(page):
    page.wait_for_selector(".editor-preview[data-ready]", state="attached")


def preview(page):
    return page.frame_locator(".editor-preview iframe")


def updated(page, action):
    """Does ``action`` and waits for the preview's next update."""
    page.evaluate(
        """() => { window.previewUpdates = 0;
            document.addEventListener('editor-preview:updated', () => window.previewUpdates++); }"""
    )
    action()
    page.wait_for_function("() => window.previewUpdates > 0")


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"editor-preview-{name}.png"))


def test_typing_updates_the_preview_and_the_count(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post)
    frame = preview(page)
    assert frame.locator("h1.p-name").inner_text() == "Preview me"
    assert frame.locator(".lede").inner_text() == "A lede under the title."
    assert frame.locator("nav.toc").count() == 1
    assert frame.locator(".faq summary").inner_text() == "Is this the page?"
    count = page.locator(".editor-count")
    assert count.get_attribute("aria-live") == "polite"
    assert count.inner_text() == (f"{post.word_count:,} words · {post.reading_minutes} min read")
    # markdownx's own preview is neither drawn nor asked for.
    assert not page.locator(".markdownx-preview").is_visible()
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    body = page.locator("textarea[name=body]")
    updated(page, lambda: body.fill("Freshly typed words, **four** of them.\n\n## A heading"))
    assert frame.locator(".e-content strong").inner_text() == "four"
    assert frame.locator(".e-content h2").first.inner_text().startswith("A heading")
    assert count.inner_text() == "14 words · 1 min read"  # 8 in the body, 6 in the FAQ
    assert not [url for url in asked if "markdownify" in url]
    updated(page, lambda: page.locator("#id_title").fill("A title typed now"))
    assert frame.locator("h1.p-name").inner_text() == "A title typed now"


def test_side_by_side_at_1280_and_tabs_at_390(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post)
    editor = page.locator("textarea[name=body]").bounding_box()
    pane = page.locator(".editor-preview").bounding_box()
    assert pane["x"] >= editor["x"] + editor["width"] - 1  # beside, to the right
    # Its top is the toolbar's, over the text (static/blog/editor-toolbar.js).
    toolbar = page.locator(".editor-toolbar").bounding_box()
    assert abs(pane["y"] - toolbar["y"]) < 2 and toolbar["y"] < editor["y"]
    assert not page.locator(".editor-tabs").is_visible()
    # The preview is inside the .markdownx wrapper, which full-screen mode enlarges.
    assert page.locator(".markdownx .editor-preview").count() == 1

    page.set_viewport_size(PHONE)
    tabs = page.get_by_role("tablist", name="Body")
    assert tabs.is_visible()
    write, show = page.get_by_role("tab", name="Write"), page.get_by_role("tab", name="Preview")
    assert write.get_attribute("aria-selected") == "true"
    assert page.locator("textarea[name=body]").is_visible()
    assert not page.locator(".editor-preview").is_visible()
    show.click()
    assert show.get_attribute("aria-selected") == "true"
    assert page.get_by_role("tabpanel").is_visible()
    assert not page.locator("textarea[name=body]").is_visible()
    page.keyboard.press("ArrowLeft")  # the arrow keys move between the tabs
    assert write.get_attribute("aria-selected") == "true"
    assert page.locator("textarea[name=body]").is_visible()


def test_scrolling_the_editor_to_a_heading_brings_it_into_the_preview(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post)
    frame = page.locator(".editor-preview iframe")
    heading = preview(page).locator("#section-12")
    assert not in_view(frame, heading)
    line = LONG_BODY.split("\n").index("## Section 12")
    scroll_editor_to_line(page, line)
    page.wait_for_function(
        """() => {
            const doc = document.querySelector('.editor-preview iframe').contentDocument;
            const top = doc.getElementById('section-12').getBoundingClientRect().top;
            return top >= 0 && top < doc.defaultView.innerHeight / 2;
        }"""
    )
    assert in_view(frame, heading)
    scroll_editor_to_line(page, LONG_BODY.split("\n").index("## First section"))
    page.wait_for_timeout(300)
    page.locator(".field-body").scroll_into_view_if_needed()
    shot(page, "1280-light-scrolled")


def scroll_editor_to_line(page, line):
    """Scrolls the body's textarea so that source ``line`` (0-based) is at its top; where a
    line is, wrapped lines included, is measured on a copy of the textarea."""
    page.evaluate(
        """(line) => {
            const textarea = document.querySelector('textarea[name=body]');
            const style = getComputedStyle(textarea);
            const copy = document.createElement('textarea');
            for (const name of ['boxSizing', 'width', 'paddingTop', 'paddingRight',
                    'paddingBottom', 'paddingLeft', 'borderTopWidth', 'borderRightWidth',
                    'borderBottomWidth', 'borderLeftWidth', 'borderStyle', 'fontFamily',
                    'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'wordSpacing',
                    'tabSize']) {
                copy.style[name] = style[name];
            }
            Object.assign(copy.style, {height: '0px', minHeight: '0', overflowY: 'scroll',
                                       position: 'absolute', visibility: 'hidden'});
            copy.value = textarea.value.split('\\n').slice(0, line).join('\\n') + '\\n';
            document.body.append(copy);
            const top = copy.scrollHeight - parseFloat(style.paddingBottom);
            copy.remove();
            textarea.scrollTop = top - parseFloat(style.lineHeight) - parseFloat(style.paddingTop);
        }""",
        line,
    )


def in_view(frame, heading):
    box, view = heading.bounding_box(), frame.bounding_box()
    # A pixel of leeway: a heading scrolled to the top sits a fraction of one above it.
    return box["y"] >= view["y"] - 1 and box["y"] + box["height"] <= view["y"] + view["height"]


def test_the_preview_keeps_its_scroll_across_updates(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post)
    page.evaluate(
        "() => document.querySelector('.editor-preview iframe').contentWindow.scrollTo(0, 1500)"
    )
    scroll = "() => document.querySelector('.editor-preview iframe').contentWindow.scrollY"
    before = page.evaluate(scroll)
    assert before > 1000
    updated(page, lambda: page.locator("#id_title").fill("Another title"))
    assert page.evaluate(scroll) == before


def test_the_preview_body_is_the_published_pages(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post)
    shown = page.evaluate(
        """() => document.querySelector('.editor-preview iframe')
            .contentDocument.querySelector('.e-content').innerHTML"""
    )
    post.status = Post.Status.PUBLISHED
    post.save()
    assert served_body(page, post.get_absolute_url()) == shown


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
def test_axe_and_screenshots(
    open_page, staff_page, live_server, post, axe_script, viewport, color_scheme
):
    page = open_editor(open_page, staff_page, post, viewport, color_scheme)
    theme = page.evaluate(
        """() => document.querySelector('.editor-preview iframe')
            .contentDocument.documentElement.dataset.theme"""
    )
    assert theme == color_scheme
    background = page.evaluate(
        """() => { const doc = document.querySelector('.editor-preview iframe').contentDocument;
            return doc.defaultView.getComputedStyle(doc.body).backgroundColor; }"""
    )
    dark = sum(int(c) for c in re.findall(r"\d+", background)[:3]) < 200
    assert dark == (color_scheme == "dark")
    page.locator(".field-body").scroll_into_view_if_needed()
    shot(page, f"{viewport['width']}-{color_scheme}")
    # The editor, its tabs, the pane and the count. (The rest of the admin form is not this
    # test's: the inlines and the select2 widgets have findings of their own.)
    assert run_axe(page, axe_script, within=[".field-body"], iframes=False) == []
    if viewport is PHONE:
        page.get_by_role("tab", name="Preview").click()
        time.sleep(0.2)
        shot(page, f"{viewport['width']}-{color_scheme}-preview-tab")
        assert run_axe(page, axe_script, within=[".field-body"], iframes=False) == []

    # What the iframe shows, checked where axe can run (no script runs in the iframe
    # itself): the same document at the pane's size, served from the same origin.
    frame = page.locator(".editor-preview iframe")
    size = frame.bounding_box()
    document = frame.evaluate("(frame) => frame.contentDocument.documentElement.outerHTML")
    shown = open_page({"width": int(size["width"]), "height": int(size["height"])}, color_scheme)
    shown.route(
        f"{live_server.url}/preview-as-shown/",
        lambda route: route.fulfill(body=f"<!doctype html>{document}", content_type="text/html"),
    )
    shown.goto("/preview-as-shown/")
    assert shown.locator("h1.p-name").inner_text() == "Preview me"
    assert run_axe(shown, axe_script, iframes=False) == []


def test_links_in_the_preview_stay_in_it(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post)
    frame = page.locator(".editor-preview iframe")
    heading = preview(page).locator("#section-12")
    preview(page).locator("nav.toc a", has_text="Section 12").click()
    page.wait_for_function(
        """() => document.querySelector('.editor-preview iframe').contentWindow.scrollY > 0"""
    )
    assert in_view(frame, heading)
    assert frame.evaluate("(frame) => frame.contentDocument.URL") == "about:srcdoc"
    assert page.url.endswith(f"/admin/blog/post/{post.pk}/change/")


def test_the_preview_follows_the_admins_theme_switch(open_page, staff_page, post):
    page = open_editor(open_page, staff_page, post, color_scheme="light")
    theme = """() => document.querySelector('.editor-preview iframe')
        .contentDocument.documentElement.dataset.theme"""
    assert page.evaluate(theme) == "light"
    page.evaluate("() => { document.documentElement.dataset.theme = 'dark'; }")
    page.wait_for_function(f"() => ({theme})() === 'dark'")
    page.evaluate("() => { document.documentElement.dataset.theme = 'auto'; }")
    page.wait_for_function(f"() => ({theme})() === 'light'")


def test_a_chosen_featured_image_shows_before_saving(open_page, staff_page, post):
    from tests.conftest import image_bytes

    page = open_editor(open_page, staff_page, post)
    page.locator("#id_featured_image_alt").fill("A chosen photo")
    page.set_input_files(
        "#id_featured_image",
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": image_bytes("PNG")}],
    )
    image = preview(page).locator("figure.featured-image img")
    image.wait_for()
    assert image.get_attribute("alt") == "A chosen photo"
    assert image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") > 0
    # Sent once: the next update names the kept file instead.
    sent = []
    page.on("request", lambda request: sent.append(request.post_data_buffer or b""))
    updated(page, lambda: page.locator("#id_title").fill("Retitled"))
    assert sent and all(b"image/png" not in body for body in sent)
    assert preview(page).locator("figure.featured-image img").count() == 1


def test_a_file_dragged_over_the_body_may_be_dropped_there(open_page, staff_page, post):
    # markdownx no longer handles this textarea; without this the browser may open the file.
    page = open_editor(open_page, staff_page, post)
    accepted = page.evaluate(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(['x'], 'photo.png', {type: 'image/png'}));
            const event = new DragEvent('dragover', {dataTransfer: transfer, bubbles: true,
                                                     cancelable: true});
            document.querySelector('textarea[name=body]').dispatchEvent(event);
            return event.defaultPrevented;
        }"""
    )
    assert accepted
