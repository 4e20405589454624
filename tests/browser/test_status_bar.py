"""The post form's status bar in a real browser: sticky, keyboard, themes, small screens."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from blog.models import Post

from .conftest import DESKTOP, PHONE, run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ARTIFACTS = settings.BASE_DIR / "test-artifacts"


@pytest.fixture
def signed_in(open_page, live_server, client, django_user_model):
    """``signed_in(viewport, color_scheme)``: a tab signed in to the admin as a superuser."""
    user = django_user_model.objects.create_superuser("writer", "w@example.com", "pw-123456!")
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    def open_(viewport=DESKTOP, color_scheme="light"):
        page = open_page(viewport, color_scheme)
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return page

    return open_


def box(page, selector):
    return page.locator(selector).bounding_box()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"statusbar-{name}.png"))


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_bar_stays_in_view_and_never_covers_a_focused_field(signed_in, make_post, viewport):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    page = signed_in(viewport)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    height = viewport["height"]
    for scrolled in (0, 1200, 2400):
        page.evaluate("(y) => window.scrollTo(0, y)", scrolled)
        bar = box(page, "#status-bar")
        assert bar["y"] >= 0 and abs(bar["y"] + bar["height"] - height) <= 1, (scrolled, bar)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= viewport["width"]
    assert "Draft" in page.inner_text("#status-bar-state")
    shot(page, "desktop-draft" if viewport == DESKTOP else "phone-draft")
    # A field the keyboard moves to is scrolled clear of the bar.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.focus("#id_featured_image_credit")
    field = box(page, "#id_featured_image_credit")
    bar = box(page, "#status-bar")
    assert field["y"] + field["height"] <= bar["y"], (field, bar)


def test_publish_turns_into_schedule_and_says_when(signed_in, make_post):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    page = signed_in()
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    publish = page.locator("#status-bar-publish")
    assert publish.inner_text() == "Publish"
    later = timezone.localtime(timezone.now() + timedelta(days=5))
    page.fill("#id_published_at_0", later.strftime("%Y-%m-%d"))
    page.fill("#id_published_at_1", "09:00:00")
    assert publish.inner_text() == "Schedule"
    page.fill("#id_published_at_0", "2020-01-01")
    assert publish.inner_text() == "Publish"
    page.fill("#id_published_at_0", later.strftime("%Y-%m-%d"))
    # Keyboard: the button is reachable and its focus is visible.
    page.focus("#status-bar-save")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.id, getComputedStyle(document.activeElement).outlineStyle,"
        " getComputedStyle(document.activeElement).outlineWidth]"
    )
    assert focused == ["status-bar-publish", "solid", "3px"]
    page.keyboard.press("Enter")
    page.wait_for_selector(".messagelist")
    assert "Scheduled: readers see it from" in page.inner_text(".messagelist")
    state = page.inner_text("#status-bar-state")
    assert state == f"Scheduled for {later.strftime('%-d %b %Y')}, 09:00"
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and not post.is_public
    assert page.locator("#status-bar button.default").inner_text() == "Update"
    shot(page, "desktop-scheduled")


def test_publish_from_the_bar_and_a_draft_revision_is_told(signed_in, make_post):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    page = signed_in()
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.click("#status-bar-publish")
    page.wait_for_selector(".messagelist")
    assert "Published: readers see it now." in page.inner_text(".messagelist")
    assert page.inner_text("#status-bar-state") == "Published"
    page.fill("#id_title", "A better title, not live yet")
    page.click("#status-bar button[name=_save_draft]")
    page.wait_for_selector(".messagelist")
    assert "has a draft revision not yet live" in page.inner_text("#status-bar-state")
    assert Post.objects.get(pk=post.pk).title != "A better title, not live yet"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_bar_passes_axe_in_both_themes(signed_in, make_post, axe_script, scheme):
    post = make_post()
    for viewport, name in [(DESKTOP, "desktop"), (PHONE, "phone")]:
        page = signed_in(viewport, scheme)
        page.goto(f"/admin/blog/post/{post.pk}/change/")
        page.evaluate("() => window.scrollTo(0, 1500)")
        assert run_axe(page, axe_script, within=["#status-bar"]) == []
        shot(page, f"{name}-{scheme}")
        page.goto("/admin/blog/post/add/")
        assert run_axe(page, axe_script, within=["#status-bar"]) == []
        shot(page, f"{name}-{scheme}-new")
