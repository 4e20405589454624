"""An author's whole session in the post editor, as issue 16's "done" describes it.

From an empty form: a 1,500-word post with a table and a footnote, an image dropped
between two given paragraphs, tags, two FAQ items and three keep-reading links (one
added twice by mistake). The tab is closed without saving; the reopened form has it
all back. The duplicate is refused beside its row and fixed there; the post is
published; the page readers get has the body the preview showed.
"""

import base64
import re

import pytest

from blog.models import Post

from ..conftest import image_bytes
from .conftest import ARTIFACTS, DESKTOP, PHONE, run_axe, served_body
from .test_autosave import add_rows, choose, chosen
from .test_editor_preview import updated

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE_IMAGE = "This is the paragraph the chart must follow, as the plan says."
AFTER_IMAGE = "This is the paragraph the chart must come before, and nothing else."
PHRASE = (
    "hiring engineers takes patience and a clear plan for the first year of the team "
    "so that every interview measures what the work will need from the people doing it"
)


def paragraph(n, words=60):
    """A paragraph of ``words`` words, different for each ``n``."""
    vocabulary = PHRASE.split(" ")
    return " ".join(vocabulary[(n + i) % len(vocabulary)] for i in range(words)).capitalize() + "."


def long_body():
    sections = []
    for section in range(1, 7):
        sections.append(f"## Part {section} of the plan")
        sections.extend(paragraph(section * 10 + p, 60) for p in range(4))
        if section == 2:
            sections.append(BEFORE_IMAGE)
            sections.append(AFTER_IMAGE)
        if section == 3:
            sections.append(
                "| Role | Weeks to hire | Salary band |\n|---|---|---|\n"
                "| ML engineer | 9 | 150–190k |\n| Data engineer | 7 | 130–160k |"
            )
        if section == 4:
            sections.append("Most teams hire too late.[^late] The cost shows a year on.")
    sections.append("[^late]: Measured over the twelve teams this post draws on.")
    return "\n\n".join(sections) + "\n"


def drop_image_on(page, text, png):
    """Drops ``png`` onto the body, on the words ``text``, as from the desktop."""
    payload = base64.b64encode(png).decode()
    page.evaluate(
        """([text, payload]) => {
            const textarea = document.querySelector('textarea[name=body]');
            const offset = textarea.value.indexOf(text) + 3;
            // Where that character is drawn: a hidden copy of the textarea, measured.
            const style = getComputedStyle(textarea);
            const mirror = document.createElement('div');
            for (const name of ['boxSizing', 'width', 'paddingTop', 'paddingRight',
                    'paddingBottom', 'paddingLeft', 'borderTopWidth', 'borderRightWidth',
                    'borderBottomWidth', 'borderLeftWidth', 'borderStyle', 'fontFamily',
                    'fontSize', 'fontWeight', 'fontStyle', 'lineHeight', 'letterSpacing',
                    'wordSpacing', 'tabSize', 'textIndent']) {
                mirror.style[name] = style[name];
            }
            Object.assign(mirror.style, {position: 'absolute', visibility: 'hidden',
                whiteSpace: 'pre-wrap', overflowWrap: 'break-word', top: '0', left: '0'});
            mirror.textContent = textarea.value.slice(0, offset);
            const marker = document.createElement('span');
            marker.textContent = textarea.value.slice(offset, offset + 1);
            mirror.append(marker);
            document.body.append(mirror);
            const spot = {x: marker.offsetLeft, y: marker.offsetTop + marker.offsetHeight / 2};
            mirror.remove();
            textarea.scrollTop = Math.max(0, spot.y - textarea.clientHeight / 2);
            let rect = textarea.getBoundingClientRect();
            window.scrollBy(0, rect.top + spot.y - textarea.scrollTop - innerHeight / 2);
            rect = textarea.getBoundingClientRect();
            const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'salaries.png', {type: 'image/png'}));
            textarea.dispatchEvent(new DragEvent('drop', {
                dataTransfer: transfer, bubbles: true, cancelable: true,
                clientX: rect.left + spot.x + 2, clientY: rect.top + spot.y - textarea.scrollTop,
            }));
        }""",
        [text, payload],
    )
    page.wait_for_function(
        "() => document.querySelector('textarea[name=body]').value.includes('/media/')"
    )


def preview_body(page):
    """The body HTML the editor's preview shows, once it has caught up with the form."""
    page.wait_for_selector(".editor-preview[data-ready]", state="attached")

    def change_the_form():  # so the preview draws what the form now holds
        page.locator("#id_description").press("End")
        page.keyboard.type(" ")

    updated(page, change_the_form)
    return page.evaluate(
        """() => document.querySelector('.editor-preview iframe')
            .contentDocument.querySelector('.e-content').innerHTML"""
    )


@pytest.fixture
def library(make_post, make_tag, author):
    tags = [make_tag("Hiring"), make_tag("Leadership")]
    targets = [
        make_post(title="Build versus buy"),
        make_post(title="The first ML engineer"),
        make_post(title="Interview loops that work"),
    ]
    return tags, targets


def test_an_author_writes_loses_the_tab_gets_everything_back_and_publishes(
    staff_page, library, author, axe_script
):
    tags, targets = library
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = long_body()

    page.fill("#id_title", "Hiring your first AI engineers")
    page.fill("#id_description", "What to do in the first ninety days.")
    if page.input_value("#id_slug") != "hiring-your-first-ai-engineers":
        page.fill("#id_slug", "hiring-your-first-ai-engineers")
    choose(page, "id_author", author.name)
    page.fill("#id_body", body)
    words = len(re.findall(r"\w+", body))
    assert 1500 <= words <= 1800, words
    drop_image_on(page, BEFORE_IMAGE, image_bytes("PNG", size=(640, 360)))
    for tag in tags:
        choose(page, "id_tags", tag.name)
    add_rows(page, "faq_items", 2)
    faq = [("How long does hiring take?", "About **nine weeks**."), ("Who interviews?", "Two.")]
    for i, (question, answer) in enumerate(faq):
        page.fill(f"[name=faq_items-{i}-question]", question)
        page.fill(f"[name=faq_items-{i}-answer]", answer)
    # Three links; the first added a second time by mistake.
    picks = [targets[0], targets[1], targets[0], targets[2]]
    add_rows(page, "keep_reading_links", len(picks))
    for i, target in enumerate(picks):
        choose(page, f"id_keep_reading_links-{i}-target", target.title)

    typed = page.input_value("#id_body")
    before, _, after = typed.partition(BEFORE_IMAGE)
    assert re.match(r"\n\n!\[Describe this image\]\(/media/[^)]+\)\n\n", after)
    assert after.split("\n\n")[2] == AFTER_IMAGE  # the image sits between the two paragraphs
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Kept in this browser at')"
    )
    page.wait_for_timeout(1000)  # the copy follows the last change after a pause

    context = page.context
    page.close()  # the tab is closed without saving
    page = context.new_page()
    page.set_viewport_size(DESKTOP)
    page.goto("/admin/blog/post/add/")
    notice = page.inner_text(".new-post-draft")
    assert "2 tags, 2 FAQ items, 4 keep-reading links" in notice
    page.get_by_role("button", name="Restore it").click()

    assert page.input_value("#id_title") == "Hiring your first AI engineers"
    assert page.input_value("#id_body") == typed
    assert sorted(chosen(page, "id_tags")) == ["Hiring", "Leadership"]
    for i, (question, answer) in enumerate(faq):
        assert page.input_value(f"[name=faq_items-{i}-question]") == question
        assert page.input_value(f"[name=faq_items-{i}-answer]") == answer
    for i, target in enumerate(picks):
        assert chosen(page, f"id_keep_reading_links-{i}-target") == [target.title]

    # The image's description, which publishing requires.
    page.fill("#id_body", typed.replace("Describe this image", "Salary bands by role"))
    page.locator("#status-bar-publish").click()
    page.wait_for_load_state()

    # Refused, and said beside the row that repeats a link; nothing typed is lost.
    assert not Post.objects.filter(slug="hiring-your-first-ai-engineers").exists()
    duplicate = page.locator("#keep_reading_links-2")
    assert "already in this list" in duplicate.inner_text()
    assert page.input_value("#id_title") == "Hiring your first AI engineers"
    assert "Salary bands by role" in page.input_value("#id_body")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editor-journey-duplicate-1280.png"))
    duplicate.locator(".inline-deletelink").click()  # an unsaved row: its remove button
    assert page.locator("#keep_reading_links-2").count() == 1  # the next row, renumbered

    shown = preview_body(page)
    page.screenshot(path=str(ARTIFACTS / "editor-journey-1280.png"))
    problems = run_axe(page, axe_script)
    assert problems == [], "\n".join(problems)
    page.locator("#status-bar-publish").click()
    page.wait_for_selector(".messagelist")

    post = Post.objects.get(slug="hiring-your-first-ai-engineers")
    assert post.is_public
    assert sorted(post.tags.values_list("name", flat=True)) == ["Hiring", "Leadership"]
    assert list(post.faq_items.values_list("question", flat=True)) == [q for q, _ in faq]
    assert [link.target for link in post.keep_reading_links.curated()] == [
        targets[0],
        targets[1],
        targets[2],
    ]
    assert served_body(page, post.get_absolute_url()) == shown
    page.goto(post.get_absolute_url())
    assert page.get_by_alt_text("Salary bands by role").count() == 1
    assert page.locator(".e-content table td", has_text="ML engineer").count() == 1
    assert page.locator(".e-content .footnote li").count() == 1


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "390"])
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_the_editor_looks_right_and_passes_axe(
    open_page, staff_page, make_post, viewport, color_scheme, axe_script
):
    post = make_post(title="A post to edit", body=long_body(), status=Post.Status.DRAFT)
    page = staff_page
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=color_scheme)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.wait_for_selector(".editor-preview[data-ready]", state="attached")
    page.locator(".field-body").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = f"editor-{viewport['width']}x{viewport['height']}-{color_scheme}.png"
    page.screenshot(path=str(ARTIFACTS / name))
    assert run_axe(page, axe_script) == []
