"""Images dropped into the editor go where they were dropped, on their own lines, undoably
(static/blog/editor-images.js; issue 16, bug 2)."""

import base64

import pytest

from ..conftest import image_bytes

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = "First paragraph.\n\nSecond paragraph.\n\n## Setting the first number\n\nLast words."


def drop_at_line(page, textarea, line, png):
    """Drop a PNG on the given line (0-based) of the textarea, as from the desktop."""
    payload = base64.b64encode(png).decode()
    page.evaluate(
        """([selector, line, payload]) => {
            const textarea = document.querySelector(selector);
            const style = getComputedStyle(textarea);
            const rect = textarea.getBoundingClientRect();
            const lineHeight = parseFloat(style.lineHeight);
            const y = rect.top + parseFloat(style.paddingTop) + parseFloat(style.borderTopWidth)
                + lineHeight * line + lineHeight / 2 - textarea.scrollTop;
            const x = rect.left + parseFloat(style.paddingLeft) + 40;
            const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'chart.png', {type: 'image/png'}));
            textarea.dispatchEvent(new DragEvent('drop', {
                dataTransfer: transfer, clientX: x, clientY: y, bubbles: true, cancelable: true,
            }));
        }""",
        [textarea, line, payload],
    )


def test_a_dropped_image_lands_between_the_paragraphs_it_was_dropped_between(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = page.locator("textarea[name=body]")
    body.fill(BODY)
    body.evaluate("(textarea) => textarea.setSelectionRange(0, 0)")  # the caret elsewhere
    # Line 3 is the blank line between "Second paragraph." and the heading.
    drop_at_line(page, "textarea[name=body]", 3, image_bytes("PNG", size=(64, 48)))
    page.wait_for_function(
        "() => document.querySelector('textarea[name=body]').value.includes('/media/')"
    )
    value = body.input_value()
    before, image, after = value.partition(value[value.index("![") : value.index(")") + 1])
    assert before == "First paragraph.\n\nSecond paragraph.\n\n"
    assert image.startswith("![Describe this image](/media/")
    assert after == "\n\n## Setting the first number\n\nLast words."
    # The caret is just after what was added (the image and the break ending its line),
    # not at the end of the body, and Ctrl+Z takes the image out.
    caret = body.evaluate("(textarea) => textarea.selectionStart")
    assert caret == len(before) + len(image) + 1
    page.keyboard.press("Control+z")
    assert body.input_value() == BODY


def test_an_image_dropped_on_a_heading_goes_after_it_not_inside(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = page.locator("textarea[name=body]")
    body.fill(BODY)
    drop_at_line(page, "textarea[name=body]", 4, image_bytes("PNG", size=(64, 48)))
    page.wait_for_function(
        "() => document.querySelector('textarea[name=body]').value.includes('/media/')"
    )
    value = body.input_value()
    assert "## Setting the first number\n\n![Describe this image](/media/" in value
    assert value.endswith(")\n\nLast words.")


def test_keyboard_tab_leaves_the_editor_and_shortcuts_format(staff_page, make_post):
    post = make_post(title="Keys", body="Plain words here.")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    body = page.locator("textarea[name=body]")
    body.focus()
    page.keyboard.press("Tab")
    assert body.input_value() == "Plain words here."  # no tab typed
    assert page.evaluate("() => document.activeElement.name") != "body"
    # Ctrl+B around a selected word, then undone.
    body.evaluate("(t) => { t.focus(); t.setSelectionRange(6, 11); }")
    page.keyboard.press("Control+b")
    assert body.input_value() == "Plain **words** here."
    page.keyboard.press("Control+z")
    assert body.input_value() == "Plain words here."
    # Ctrl+K makes a link with its address selected, ready to type.
    body.evaluate("(t) => { t.focus(); t.setSelectionRange(0, 5); }")
    page.keyboard.press("Control+k")
    page.keyboard.type("https://example.com")
    assert body.input_value() == "[Plain](https://example.com) words here."
    # Ctrl+S saves and stays on the form.
    page.keyboard.press("Control+s")
    page.wait_for_selector(".messagelist")
    post.refresh_from_db()
    assert post.body == "[Plain](https://example.com) words here."
