"""The Markdown editor's toolbar, its shortcuts and full screen
(static/blog/editor-toolbar.js, editor-keys.js; issue 16, "a writing surface")."""

import pytest
from django.conf import settings

from blog.models import FAQItem, Post

from ..conftest import image_bytes
from .conftest import ARTIFACTS, DESKTOP, PHONE, run_axe

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = "textarea[name=body]"
TABLE = "| Column 1 | Column 2 |\n| --- | --- |\n| Cell | Cell |"

# (action, text, selection as [start, end) or a selected substring, expected text)
EDITS = [
    ("h2", "Title line\nSecond line", (3, 3), "## Title line\nSecond line"),
    ("h2", "## Title line", (5, 5), "Title line"),
    ("h3", "## Title line", (5, 5), "### Title line"),
    ("h2", "One\nTwo\n\nThree", (0, 14), "## One\n## Two\n\n## Three"),
    ("bold", "Plain words here.", "words", "Plain **words** here."),
    ("bold", "Plain **words** here.", "words", "Plain words here."),
    ("bold", "Plain words here.", "words ", "Plain **words** here."),
    ("italic", "Plain words here.", "words", "Plain _words_ here."),
    ("link", "Plain words here.", "Plain", "[Plain](https://) words here."),
    ("ul", "one\ntwo\n\nthree", (0, 14), "- one\n- two\n\n- three"),
    ("ul", "- one\n- two", (0, 11), "one\ntwo"),
    ("ul", "1. one\n2. two", (0, 13), "- one\n- two"),
    ("ol", "one\ntwo\nthree", (2, 9), "1. one\n2. two\n3. three"),
    ("ol", "- one\n- two", (0, 11), "1. one\n2. two"),
    ("quote", "one\n\ntwo", (0, 8), "> one\n>\n> two"),
    ("quote", "> one\n>\n> two", (0, 13), "one\n\ntwo"),
    ("code", "Say hello now.", "hello", "Say `hello` now."),
    ("code", "Intro.\na = 1\nb = 2\nEnd.", (9, 16), "Intro.\n```\na = 1\nb = 2\n```\nEnd."),
    ("code", "```\na = 1\n```", (0, 13), "a = 1"),
    ("table", "Intro.", (6, 6), f"Intro.\n\n{TABLE}\n"),
    ("table", "First.\n\nSecond.", (2, 2), f"First.\n\n{TABLE}\n\nSecond."),
]


def select(textarea, selection):
    text = textarea.input_value()
    if isinstance(selection, str):
        start = text.index(selection)
        selection = (start, start + len(selection))
    textarea.evaluate("(t, [a, b]) => { t.focus(); t.setSelectionRange(a, b); }", list(selection))


def watch_input(textarea):
    textarea.evaluate(
        "(t) => { t.dataset.inputs = '0';"
        " t.addEventListener('input', () => { t.dataset.inputs = +t.dataset.inputs + 1; }); }"
    )


def test_each_button_formats_the_selection_and_ctrl_z_undoes_it(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = page.locator(BODY)
    watch_input(body)
    for action, text, selection, expected in EDITS:
        body.fill(text)
        select(body, selection)
        inputs = int(body.get_attribute("data-inputs"))
        page.click(f".editor-toolbar [data-action={action}]")
        case = f"{action} on {text!r}"
        assert body.input_value() == expected, case
        # The input event fired (preview, autosave and checks follow), and focus is back
        # in the text, so typing goes on.
        assert int(body.get_attribute("data-inputs")) > inputs, case
        assert page.evaluate("() => document.activeElement.name") == "body", case
        page.keyboard.press("Control+z")
        assert body.input_value() == text, f"Ctrl+Z after {case}"


def test_what_is_selected_after_a_button_is_ready_to_type_over(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = page.locator(BODY)
    body.fill("Plain words here.")
    select(body, (6, 6))
    page.click(".editor-toolbar [data-action=bold]")
    page.keyboard.type("strong")
    assert body.input_value() == "Plain **strong**words here."
    body.fill("Intro.")
    select(body, (6, 6))
    page.click(".editor-toolbar [data-action=table]")
    page.keyboard.type("Year")
    assert body.input_value() == "Intro.\n\n| Year | Column 2 |\n| --- | --- |\n| Cell | Cell |\n"
    # A caret in a line keeps its place in the words when the line becomes a heading.
    body.fill("Costs")
    select(body, (2, 2))
    page.click(".editor-toolbar [data-action=h2]")
    page.keyboard.type("-")
    assert body.input_value() == "## Co-sts"


def test_shortcuts_run_the_same_actions(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = page.locator(BODY)
    for keys, text, selection, expected in [
        ("Control+b", "Plain words.", "words", "Plain **words**."),
        ("Control+i", "Plain words.", "words", "Plain _words_."),
        ("Control+e", "Plain words.", "words", "Plain `words`."),
        ("Control+Shift+8", "one\ntwo", (0, 7), "- one\n- two"),
        ("Control+Shift+7", "one\ntwo", (0, 7), "1. one\n2. two"),
        ("Control+Shift+Period", "one", (0, 0), "> one"),
        ("Control+Alt+2", "Costs", (0, 0), "## Costs"),
        ("Control+Alt+3", "Costs", (0, 0), "### Costs"),
    ]:
        body.fill(text)
        select(body, selection)
        page.keyboard.press(keys)
        assert body.input_value() == expected, keys
        page.keyboard.press("Control+z")
        assert body.input_value() == text, f"Ctrl+Z after {keys}"
    # Each button names its shortcut, to the eye and to assistive technology.
    bold = page.locator(".editor-toolbar [data-action=bold]")
    assert bold.get_attribute("aria-label") == "Bold"
    assert bold.get_attribute("data-tooltip") == "Bold (Ctrl+B)"
    assert bold.get_attribute("aria-keyshortcuts") == "Control+B"
    bold.hover()
    tooltip = bold.evaluate("(b) => getComputedStyle(b, '::after').content")
    assert tooltip == '"Bold (Ctrl+B)"'
    ul = page.locator(".editor-toolbar [data-action=ul]")
    assert ul.get_attribute("data-tooltip") == "Bulleted list (Ctrl+Shift+8)"


def test_the_upload_button_places_the_image_on_its_own_lines_at_the_caret(staff_page, tmp_path):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    body = page.locator(BODY)
    text = "First paragraph.\n\nSecond paragraph."
    body.fill(text)
    select(body, (5, 5))  # in "First paragraph."
    picture = tmp_path / "chart.png"
    picture.write_bytes(image_bytes("PNG", size=(64, 48)))
    with page.expect_file_chooser() as chooser:
        page.click(".editor-toolbar [data-action=image]")
    chooser.value.set_files(str(picture))
    page.wait_for_function(
        "() => document.querySelector('textarea[name=body]').value.includes('/media/')"
    )
    value = body.input_value()
    image = value[value.index("![") : value.index(")") + 1]
    assert image.startswith("![Describe this image](/media/")
    assert value == f"First paragraph.\n\n{image}\n\nSecond paragraph."
    page.keyboard.press("Control+z")
    assert body.input_value() == text


def test_ctrl_s_saves_from_the_text_and_from_the_toolbar(staff_page, make_post):
    post = make_post(title="Keys", body="Plain words here.")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    body = page.locator(BODY)
    body.fill("Saved with the keyboard.")
    page.keyboard.press("Control+s")
    page.wait_for_selector(".messagelist")
    post.refresh_from_db()
    assert post.body == "Saved with the keyboard."
    assert page.url.endswith(f"/admin/blog/post/{post.pk}/change/")  # still editing
    page.locator(BODY).fill("Saved from the toolbar.")
    page.focus(".editor-toolbar [data-action=bold]")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    post.refresh_from_db()
    assert post.body == "Saved from the toolbar."


def test_saving_from_full_screen_comes_back_to_it(staff_page, make_post):
    post = make_post(title="Focus", body="Words.")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.click(".editor-toolbar [data-action=fullscreen]")
    page.keyboard.press("End")
    page.keyboard.type(" More words.")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    post.refresh_from_db()
    assert post.body == "Words. More words."
    assert is_full_screen(page)
    assert focused(page) == "body"
    page.keyboard.press("Escape")
    # Not after a save that came back with errors: they are to be read on the form.
    make_post(title="Taken", slug="taken")
    page.click(".editor-toolbar [data-action=fullscreen]")
    # A slug another post has, typed before full screen (set here without leaving it).
    page.evaluate("() => { document.getElementById('id_slug').value = 'taken'; }")
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    assert page.locator(".errornote").is_visible()
    assert not is_full_screen(page)
    # And a later visit to the form starts as usual.
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    assert not is_full_screen(page)


def focused(page):
    return page.evaluate(
        "() => document.activeElement.dataset.action || document.activeElement.name"
    )


def test_the_toolbar_is_one_tab_stop_moved_through_with_arrow_keys(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    toolbar = page.get_by_role("toolbar", name="Format Body")
    assert toolbar.get_attribute("aria-controls") == "id_body"
    names = toolbar.locator("button").evaluate_all("(bs) => bs.map((b) => b.dataset.action)")
    # library: the media library's button (static/blog/media-library.js)
    assert names == [
        "h2", "h3", "bold", "italic", "link", "ul", "ol", "quote", "code", "table", "image",
        "faq", "library", "fullscreen",
    ]  # fmt: skip
    page.focus("#id_description")
    page.keyboard.press("Tab")
    assert focused(page) == "h2"
    page.keyboard.press("ArrowRight")
    assert focused(page) == "h3"
    page.keyboard.press("End")
    assert focused(page) == "fullscreen"
    page.keyboard.press("ArrowRight")
    assert focused(page) == "h2"  # round again
    page.keyboard.press("ArrowLeft")
    assert focused(page) == "fullscreen"
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert focused(page) == "bold"
    # Only one button is in the tab order: Tab goes on to the text, Shift+Tab comes back
    # to the button last used.
    page.keyboard.press("Tab")
    assert focused(page) == "body"
    page.keyboard.press("Shift+Tab")
    assert focused(page) == "bold"
    page.keyboard.press("Tab")
    page.keyboard.type("Typed")
    assert page.input_value(BODY) == "Typed"
    # A button works from the keyboard, and Tab leaves the text for the next field.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.input_value(BODY) == "Typed**bold text**"
    page.keyboard.press("Tab")
    assert focused(page) not in ("body", "h2", "bold")


def test_the_faq_button_adds_an_item_and_puts_the_caret_in_its_question(staff_page, make_post):
    post = make_post(title="Questions")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    rows = page.locator("#faq_items-group .inline-related:not(.empty-form)")
    before = rows.count()
    page.click(".editor-toolbar [data-action=faq]")
    assert rows.count() == before + 1
    question = page.evaluate("() => document.activeElement.name")
    assert question == f"faq_items-{before}-question"
    page.keyboard.type("Who is this for?")
    page.fill(f"[name=faq_items-{before}-answer]", "Anyone hiring.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert FAQItem.objects.get(post=post).question == "Who is this for?"


def test_other_markdown_editors_get_the_toolbar_without_the_faq_button(staff_page):
    page = staff_page
    for path in ("/admin/blog/author/add/", "/admin/books/book/add/"):
        page.goto(path)
        toolbar = page.locator(".editor-toolbar")
        assert toolbar.count() == 1, path
        assert toolbar.locator("[data-action=bold]").count() == 1
        assert toolbar.locator("[data-action=faq]").count() == 0, path
        textarea = page.locator("textarea.markdownx-editor")
        textarea.fill("Some words")
        select(textarea, "words")
        page.keyboard.press("Control+b")
        assert textarea.input_value() == "Some **words**"


def test_another_script_can_add_a_button(staff_page):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    page.evaluate(
        """() => window.blogEditor.addToolbarButton({
            name: "example", label: "Insert an example", content: "Example",
            run: (textarea) => window.blogEditor.insertOnOwnLines(textarea, "![Alt](/x.png)"),
        })"""
    )
    names = page.locator(".editor-toolbar button").evaluate_all(
        "(bs) => bs.map((b) => b.dataset.action)"
    )
    assert names[-2:] == ["example", "fullscreen"]
    page.get_by_role("button", name="Insert an example").click()
    assert page.input_value(BODY) == "![Alt](/x.png)\n"
    # It is part of the toolbar's keyboard order.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    assert focused(page) == "example"


def test_tooltips_stay_on_a_phone_screen(staff_page):
    page = staff_page
    page.set_viewport_size(PHONE)
    page.goto("/admin/blog/post/add/")
    for full_screen in (False, True):
        if full_screen:
            page.click(".editor-toolbar [data-action=fullscreen]")
        for button in page.locator(".editor-toolbar button").all():
            button.hover()
            assert button.evaluate("(b) => getComputedStyle(b, '::after').content") != "none"
            wrapper = page.evaluate(
                "() => { const w = document.querySelector('.markdownx');"
                " return [w.scrollWidth, w.clientWidth, document.documentElement.scrollWidth]; }"
            )
            name = button.get_attribute("data-action")
            assert wrapper[0] <= wrapper[1] and wrapper[2] <= PHONE["width"], (name, full_screen)


def is_full_screen(page):
    return page.evaluate(
        "() => document.querySelector('.markdownx').classList.contains('editor-fullscreen')"
        " && document.body.classList.contains('editor-fullscreen-open')"
    )


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"editor-toolbar-{name}.png"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_full_screen_covers_the_page_and_esc_leaves_it(staff_page, make_post, viewport):
    body_text = "\n\n".join(
        f"## Part {n}\n\nA paragraph of words about hiring, costs and the first number."
        for n in range(1, 12)
    )
    post = make_post(title="Focus", body=body_text)
    page = staff_page
    page.set_viewport_size(viewport)
    name = "desktop" if viewport == DESKTOP else "phone"
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    body = page.locator(BODY)
    page.wait_for_selector(".editor-preview[data-ready]", state="attached")
    body.scroll_into_view_if_needed()
    # A tall box to write in, growing with the text up to three quarters of the screen
    # (then it scrolls inside).
    height = body.bounding_box()["height"]
    assert height >= min(34 * 16, viewport["height"] * 0.75) - 2
    shoot(page, name)
    select(body, (3, 3))
    button = page.get_by_role("button", name="Full screen")
    assert button.get_attribute("aria-pressed") == "false"
    button.click()
    assert is_full_screen(page)
    assert button.get_attribute("aria-pressed") == "true"
    assert page.locator(".editor-toolbar-status").inner_text() == "Full screen. Esc leaves."
    # The caret went back to the words, where it was.
    assert focused(page) == "body"
    assert body.evaluate("(t) => t.selectionStart") == 3
    # The text fills the screen below the toolbar, about 70 characters wide at most, and
    # the admin's header is hidden.
    box = body.bounding_box()
    assert box["y"] + box["height"] >= viewport["height"] * 0.9
    assert box["height"] >= viewport["height"] * 0.6
    assert box["width"] <= 760
    assert page.locator("#header").is_hidden()
    # Nothing (the preview) lies over the text.
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).name",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] - 20],
    )
    assert on_top == "body"
    toolbar = page.locator(".editor-toolbar").bounding_box()
    assert toolbar["y"] >= 0 and toolbar["y"] + toolbar["height"] <= box["y"]
    shoot(page, f"fullscreen-{name}")
    page.keyboard.type("X")
    page.keyboard.press("Escape")
    assert not is_full_screen(page)
    assert button.get_attribute("aria-pressed") == "false"
    assert focused(page) == "body"  # focus kept
    assert body.input_value().startswith("## XPart 1")
    assert page.locator("#header").is_visible()
    # The button leaves too; and tabbing out of the text leaves, since the next field is
    # behind it.
    button.click()
    assert is_full_screen(page)
    button.click()
    assert not is_full_screen(page)
    assert focused(page) == "fullscreen"
    # (Once the preview has caught up with the typing: a redrawn preview link drops the focus.)
    preview = page.frame_locator(".editor-preview iframe")
    preview.locator("h2", has_text="XPart 1").wait_for(state="attached")
    button.click()
    for _ in range(40):  # past the preview's heading links, if it shows them
        page.keyboard.press("Tab")
        # (A preview redrawn under a focused link drops the focus to <body>; Tab goes on.)
        if page.evaluate(
            "() => document.activeElement !== document.body"
            " && !document.activeElement.closest('.markdownx')"
        ):
            break
    assert not is_full_screen(page), page.evaluate("() => document.activeElement.outerHTML")
    assert focused(page) not in ("body", "fullscreen")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_post_form_with_the_toolbar_passes_axe(
    open_page, live_server, client, django_user_model, axe_script, scheme
):
    user = django_user_model.objects.create_superuser("writer", "w@example.com", "pw-123456!")
    client.force_login(user)
    page = open_page(DESKTOP, scheme)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto("/admin/blog/post/add/")
    if scheme == "dark":
        # The admin's own theme switch as well as the system's preference.
        page.evaluate("() => { localStorage.setItem('theme', 'dark'); }")
        page.reload()
        assert page.evaluate("() => document.documentElement.dataset.theme") == "dark"
    page.locator(".editor-toolbar").wait_for()
    page.focus(".editor-toolbar [data-action=bold]")  # a tooltip showing
    assert run_axe(page, axe_script, within=[".field-body"]) == []
    shoot(page, f"form-{scheme}")
    page.click(".editor-toolbar [data-action=fullscreen]")
    assert run_axe(page, axe_script, within=[".field-body"]) == []
    shoot(page, f"fullscreen-{scheme}")
    assert Post.objects.count() == 0
