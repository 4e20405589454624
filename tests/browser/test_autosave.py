"""Autosave in a real browser: only a browser runs static/blog/autosave.js."""

import pytest

from blog.models import Post
from blog.pending_edits import PendingEdit

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_typing_is_autosaved_into_the_draft_and_offered_back(staff_page, make_post):
    post = make_post(title="Live title", body="Live body.")
    page = staff_page
    change = f"/admin/blog/post/{post.pk}/change/"
    page.goto(change)
    page.fill("#id_body", "Live body.\n\nA paragraph the tab is about to lose.")
    page.wait_for_function(
        # A function, not an expression: the page's CSP forbids evaluating strings.
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Saved a draft at')",
        timeout=10_000,
    )
    draft = PendingEdit.objects.get(post=post)
    assert draft.content["body"].endswith("A paragraph the tab is about to lose.")
    assert Post.objects.get(pk=post.pk).body == "Live body."

    page.goto(change)  # the tab was closed; the author comes back
    assert "Autosaved text is newer" in page.inner_text(".draft-notice")
    assert "paused" in page.inner_text("#autosave-status")
    page.click("text=Restore autosaved text")
    assert page.input_value("#id_body").endswith("A paragraph the tab is about to lose.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert Post.objects.get(pk=post.pk).body.endswith("A paragraph the tab is about to lose.")
    assert not PendingEdit.objects.exists()


def test_leaving_the_page_saves_what_was_typed(staff_page, make_post):
    post = make_post(title="Live title")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.fill("#id_title", "Typed a moment before leaving")
    page.on("dialog", lambda dialog: dialog.accept())  # "Leave page"
    page.goto("/admin/")  # well before the 2.5-second pause ends
    for _ in range(50):
        if PendingEdit.objects.filter(post=post).exists():
            break
        page.wait_for_timeout(100)
    assert PendingEdit.objects.get(post=post).content["title"] == "Typed a moment before leaving"
    assert Post.objects.get(pk=post.pk).title == "Live title"


def test_leaving_with_unsaved_changes_asks_first(staff_page, make_post):
    post = make_post(title="Live title")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    # Leaving by a link on the page (a navigation the test runner makes skips the question).
    leave = ".breadcrumbs a >> nth=0"
    page.click(leave)  # nothing changed: no question
    page.wait_for_url("**/admin/")
    assert asked == []
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    # Typed with the keyboard: a browser asks only after the person has used the page.
    page.click("#id_title")
    page.keyboard.press("End")
    page.keyboard.type(", changed")
    page.click(leave)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.input_value("#id_title") == "Live title, changed"
    page.remove_listener("dialog", answer)
    page.click("input[name=_continue]")  # saving is not leaving: no question
    page.wait_for_selector(".messagelist")
    assert asked == ["beforeunload"]
    assert Post.objects.get(pk=post.pk).title == "Live title, changed"


def test_a_new_post_is_kept_in_the_browser_before_its_first_save(staff_page, author):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    page.fill("#id_title", "A post never saved")
    page.fill("#id_body", "Words typed into a new post.")
    page.wait_for_timeout(800)  # the copy is taken a moment after typing
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/admin/")  # the tab is closed; the author comes back
    page.goto("/admin/blog/post/add/")
    notice = page.locator(".new-post-draft")
    assert "kept a new post you were writing" in notice.inner_text()
    page.get_by_role("button", name="Restore it").click()
    assert page.input_value("#id_title") == "A post never saved"
    assert page.input_value("#id_body") == "Words typed into a new post."
    page.fill("#id_slug", "a-post-never-saved")
    page.evaluate(  # the author box is a search widget; choose as its script would
        "(pk) => document.getElementById('id_author').add(new Option('Author', pk, true, true))",
        str(author.pk),
    )
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert Post.objects.filter(title="A post never saved").exists()
    # Saved: the copy is forgotten, the next new post starts empty.
    page.goto("/admin/blog/post/add/")
    assert page.locator(".new-post-draft").count() == 0
