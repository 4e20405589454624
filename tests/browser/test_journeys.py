"""A reader's and an author's paths through the site, clicked in a real browser."""

import base64
import re

import pytest

from blog.models import Post
from enquiries import spam
from enquiries.models import Enquiry

from ..conftest import image_bytes

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reader_finds_an_article_and_sends_an_enquiry(demo_site, page, monkeypatch):
    monkeypatch.setattr(spam, "MIN_FILL_SECONDS", 0)  # the browser types faster than people

    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Blog").click()
    page.wait_for_url("**/blog/")
    page.locator(".post-card-title a").first.click()
    article_title = page.locator("h1").inner_text()
    assert page.get_by_role("link", name="Back to the blog").is_visible()

    page.locator(".keep-reading .post-card-title a").first.click()
    assert page.locator("h1").inner_text() != article_title
    page.locator("article .tag-list a").first.click()
    page.wait_for_url("**/blog/tag/**")
    assert page.locator(".post-card").count() >= 1

    search = page.get_by_role("search", name="Site")
    search.get_by_role("searchbox").fill(article_title.split()[-1])
    search.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=**")
    page.get_by_role("link", name=article_title).click()
    assert page.locator("h1").inner_text() == article_title

    page.get_by_role("link", name="Work with me").first.click()
    page.wait_for_url("**/work-with-me/")
    page.get_by_label("Name").fill("Dana Reader")
    page.get_by_label("Email").fill("dana@example.com")
    page.locator("input[name=need]").first.check()
    page.get_by_label("Message").fill("We need help hiring our first two AI engineers.")
    page.get_by_role("button", name="Send enquiry").click()

    page.wait_for_load_state()
    assert "Thank" in page.locator("h1").inner_text()
    assert Enquiry.objects.filter(email="dana@example.com").exists()


def test_author_writes_and_publishes_a_post(live_server, page, django_user_model, author):
    user = django_user_model.objects.create_superuser("writer", "w@example.com", "correct-horse-42")
    author.user = user  # the post form starts with the author who is signed in
    author.save()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("writer")
    page.get_by_label("Password").fill("correct-horse-42")
    page.get_by_role("button", name="Log in").click()

    page.goto("/admin/blog/post/add/")
    page.get_by_label("Title").press_sequentially("Pricing an AI team")
    assert page.get_by_label("Slug").input_value() == "pricing-an-ai-team"
    body = page.locator("textarea[name=body]")
    body.fill("## Costs\n\n| Role | Salary |\n|---|---|\n| ML engineer | 150k |\n\n")
    preview = page.frame_locator(".editor-preview iframe")  # the page, beside the editor
    preview.locator("table th", has_text="Role").wait_for()

    drop_image(page, body, image_bytes("PNG", size=(640, 360)))
    page.wait_for_function(
        "() => document.querySelector('textarea[name=body]').value.includes('/media/')"
    )
    preview.locator("img").wait_for()

    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()
    # The dropped image has no description yet, which blocks publishing.
    page.get_by_text("(alt text)").first.wait_for()
    body = page.locator("textarea[name=body]")
    body.fill(re.sub(r"!\[[^\]]*\]\(", "![Salaries by role](", body.input_value(), count=1))
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/blog/post/")

    post = Post.objects.get(slug="pricing-an-ai-team")
    assert post.is_public
    page.goto(post.get_absolute_url())
    assert page.locator("h1").inner_text() == "Pricing an AI team"
    assert page.locator(".prose table td", has_text="ML engineer").is_visible()
    image = page.get_by_alt_text("Salaries by role")
    image.scroll_into_view_if_needed()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())


def drop_image(page, target, png):
    """Drop a PNG onto the editor, as an author dragging a file from the desktop would."""
    payload = base64.b64encode(png).decode()
    data_transfer = page.evaluate_handle(
        """(payload) => {
            const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'chart.png', {type: 'image/png'}));
            return transfer;
        }""",
        payload,
    )
    target.dispatch_event("drop", {"dataTransfer": data_transfer})
