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
    page.goto("/admin/")  # well before the 2.5-second pause ends
    for _ in range(50):
        if PendingEdit.objects.filter(post=post).exists():
            break
        page.wait_for_timeout(100)
    assert PendingEdit.objects.get(post=post).content["title"] == "Typed a moment before leaving"
    assert Post.objects.get(pk=post.pk).title == "Live title"
