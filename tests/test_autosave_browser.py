"""Autosave in a real browser: only a browser runs static/blog/autosave.js.

Needs Playwright and Debian's Chromium (`apt-get install chromium`); without
them these tests are reported as skipped, with the reason.
"""

import shutil

import pytest
from django.conf import settings
from django.db import connections

from blog.drafts import PostDraft
from blog.models import Post

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def browser_page(live_server, client, django_user_model, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls
    # the test makes between browser steps are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    user = django_user_model.objects.create_superuser("writer", "w@example.com", "pw-123456!")
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-background-networking", "--disable-sync"],
        )
        context = browser.new_context()
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        yield context.new_page()
        # The test's queries ran beside Playwright's event loop, on a connection of their own.
        connections.close_all()
        browser.close()


def test_typing_is_autosaved_into_the_draft_and_offered_back(browser_page, live_server, make_post):
    post = make_post(title="Live title", body="Live body.")
    page = browser_page
    change = f"{live_server.url}/admin/blog/post/{post.pk}/change/"
    page.goto(change)
    page.fill("#id_body", "Live body.\n\nA paragraph the tab is about to lose.")
    page.wait_for_function(
        "document.getElementById('autosave-status').textContent.startsWith('Saved a draft at')",
        timeout=10_000,
    )
    draft = PostDraft.objects.get(post=post)
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
    assert not PostDraft.objects.exists()


def test_leaving_the_page_saves_what_was_typed(browser_page, live_server, make_post):
    post = make_post(title="Live title")
    page = browser_page
    page.goto(f"{live_server.url}/admin/blog/post/{post.pk}/change/")
    page.fill("#id_title", "Typed a moment before leaving")
    page.goto(f"{live_server.url}/admin/")  # well before the 2.5-second pause ends
    for _ in range(50):
        if PostDraft.objects.filter(post=post).exists():
            break
        page.wait_for_timeout(100)
    assert PostDraft.objects.get(post=post).content["title"] == "Typed a moment before leaving"
    assert Post.objects.get(pk=post.pk).title == "Live title"
