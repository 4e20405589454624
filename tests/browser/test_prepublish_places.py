"""A pre-publish item takes the author to its place when clicked (issue 16)."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BODY = "Opening words.\n\nMore words.\n\n![](/media/uploads/chart.png)\n\nClosing words."


def test_clicking_an_item_selects_its_line_in_the_body(staff_page, make_post):
    post = make_post(title="Checked", body=BODY)
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    # The first item at line 5: the missing alt text (errors come first; the file is
    # missing too, a warning below it).
    item = page.locator(".prepublish-go", has_text="line 5").first
    item.click()
    assert page.evaluate("() => document.activeElement.name") == "body"
    start = BODY.index("![](")
    selected = page.evaluate(
        "() => { const t = document.activeElement; return [t.selectionStart, t.selectionEnd]; }"
    )
    assert selected == [start, start + len("![](/media/uploads/chart.png)")]


def test_clicking_a_field_item_focuses_that_field(staff_page, make_post):
    post = make_post(title="Checked", body="Words.", description="")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.locator(".prepublish-go", has_text="Description").first.click()
    assert page.evaluate("() => document.activeElement.name") == "description"
