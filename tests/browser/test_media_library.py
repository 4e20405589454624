"""The media library in a browser: "Insert from library" by the keyboard, and what axe-core
and the screenshots say about the library list and the open dialog (issue 16)."""

import pytest

from blog import media
from blog.models import BodyImage

from ..conftest import image_upload
from .conftest import ARTIFACTS, DESKTOP, PHONE, run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = "First paragraph.\n\nSecond paragraph."


@pytest.fixture
def library(make_post):
    """Three images (one without alt text) and a post showing one of them."""
    made = []
    for n, (alt, caption) in enumerate(
        [("A grey heron at dawn", "Heron"), ("Harbour lights at night", ""), ("", "")]
    ):
        image, _ = media.add_upload(
            image_upload(f"{n}.png", size=(640, 420), color=(n * 90, 120, 60))
        )
        BodyImage.objects.filter(pk=image.pk).update(alt=alt, caption=caption)
        made.append(image)
    post = make_post(title="Notes from the harbour", body=BODY)
    shown = make_post(title="Harbour lights", body=f"![x]({made[1].url})")
    return {"post": post, "shown": shown, "images": made}


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"media-{name}.png"), full_page=False)


def open_picker_by_keyboard(page, caret):
    body = page.locator("textarea[name=body]")
    body.focus()
    body.evaluate("(textarea, caret) => textarea.setSelectionRange(caret, caret)", caret)
    # Shift+Tab goes up to the editor's toolbar; its last button is Full screen, and the
    # library's comes just before it.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    focused = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert focused == "Insert from library"
    page.keyboard.press("Enter")
    page.wait_for_selector("dialog.media-picker[open]")
    page.wait_for_selector("#media-picker-list [role=option]")
    return body


def test_insert_from_library_by_keyboard_lands_at_the_caret_and_undoes(staff_page, library):
    page = staff_page
    page.goto(f"/admin/blog/post/{library['post'].pk}/change/")
    body = open_picker_by_keyboard(page, len("First paragraph."))
    assert page.evaluate("() => document.activeElement.id") == "media-picker-search"
    page.keyboard.type("heron")
    page.wait_for_function(
        "() => document.querySelectorAll('#media-picker-list [role=option]').length === 1"
    )
    # Focus stays in the dialog however far Tab goes.
    for _ in range(5):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('dialog.media-picker')")
    page.locator("#media-picker-search").focus()
    page.keyboard.press("ArrowDown")  # one result: it stays chosen
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('dialog[open]')")
    heron = library["images"][0]
    assert body.input_value() == (
        f"First paragraph.\n\n![A grey heron at dawn]({heron.url})\n\nSecond paragraph."
    )
    assert page.evaluate("() => document.activeElement.name") == "body"
    page.keyboard.press("Control+z")
    assert body.input_value() == BODY


def test_arrow_keys_choose_and_escape_closes_back_to_the_editor(staff_page, library):
    page = staff_page
    page.goto(f"/admin/blog/post/{library['post'].pk}/change/")
    body = open_picker_by_keyboard(page, len(BODY))
    options = page.locator("#media-picker-list [role=option]")
    assert options.count() == 3
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert options.nth(2).get_attribute("aria-selected") == "true"
    active = page.locator("#media-picker-search").get_attribute("aria-activedescendant")
    assert active == options.nth(2).get_attribute("id")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog[open]')")
    # Back in the text, once the browser has handed the focus back to the opening button.
    page.wait_for_function("() => document.activeElement.name === 'body'")
    assert body.input_value() == BODY
    # The newest image, without alt text yet, goes in with the placeholder to replace.
    open_picker_by_keyboard(page, len(BODY))
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('dialog[open]')")
    newest = library["images"][2]
    assert body.input_value() == f"{BODY}\n\n![Describe this image]({newest.url})\n"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_library_list_and_the_dialog_pass_axe(
    open_page, staff_page, library, axe_script, scheme
):
    cookies = staff_page.context.cookies()
    for viewport, size in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = open_page(viewport=viewport, color_scheme=scheme)
        page.context.add_cookies(cookies)
        page.goto("/admin/blog/bodyimage/")
        page.wait_for_selector("img.media-thumb")
        page.wait_for_function(
            "() => [...document.querySelectorAll('img.media-thumb')].every((i) => i.complete)"
        )
        if size == "desktop":
            assert run_axe(page, axe_script) == []
        shot(page, f"list-{size}-{scheme}")
        page.goto(f"/admin/blog/post/{library['post'].pk}/change/")
        page.locator(".editor-toolbar-library").scroll_into_view_if_needed()
        shot(page, f"button-{size}-{scheme}")
        page.locator(".editor-toolbar-library").click()
        page.wait_for_selector("#media-picker-list [role=option]")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.media-picker img')].every((i) => i.complete)"
        )
        if size == "desktop":
            assert run_axe(page, axe_script) == []
        shot(page, f"dialog-{size}-{scheme}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_images_page_and_its_delete_confirmation_pass_axe(
    open_page, staff_page, library, axe_script, scheme
):
    shown = library["images"][1]
    page = open_page(viewport=DESKTOP, color_scheme=scheme)
    page.context.add_cookies(staff_page.context.cookies())
    page.goto(f"/admin/blog/bodyimage/{shown.pk}/change/")
    page.wait_for_selector("img.media-preview")
    assert run_axe(page, axe_script) == []
    assert page.locator(".field-used_in a").inner_text() == "post “Harbour lights”"
    shot(page, f"change-desktop-{scheme}")
    page.goto(f"/admin/blog/bodyimage/{shown.pk}/delete/")
    assert "Harbour lights" in page.locator(".media-in-use").inner_text()
    assert run_axe(page, axe_script) == []
    shot(page, f"delete-desktop-{scheme}")
