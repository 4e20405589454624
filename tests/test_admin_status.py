"""What the post list and the messages say about when readers see a post (issue 16)."""

import re
from datetime import timedelta

import pytest
import reversion
from django.utils import timezone

from blog.models import Post
from tests.test_admin import post_form

pytestmark = pytest.mark.django_db


def test_the_list_filters_scheduled_posts(staff_client, make_post):
    make_post(title="Live one")
    make_post(title="Coming later", published_at=timezone.now() + timedelta(days=3))
    make_post(title="Not yet written", status=Post.Status.DRAFT, published_at=None)
    scheduled = staff_client.get("/admin/blog/post/", {"publication": "scheduled"})
    html = scheduled.content.decode()
    assert "Coming later" in html and "Live one" not in html and "Not yet written" not in html
    live = staff_client.get("/admin/blog/post/", {"publication": "live"}).content.decode()
    assert "Live one" in live and "Coming later" not in live
    drafts = staff_client.get("/admin/blog/post/", {"publication": "draft"}).content.decode()
    assert "Not yet written" in drafts and "Live one" not in drafts


def test_scheduling_says_when_readers_will_see_it(staff_client, author):
    later = timezone.localtime(timezone.now() + timedelta(days=2))
    data = post_form(
        author,
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    response = staff_client.post("/admin/blog/post/add/", data, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert any(m.startswith("Scheduled: readers see it from ") for m in messages), messages
    assert not any(m.endswith("..") for m in messages), messages  # "9 a.m." ends the sentence


def test_a_time_ending_in_a_full_stop_ends_the_sentence_once(staff_client, author):
    nine = timezone.localtime(timezone.now() + timedelta(days=2)).replace(hour=9, minute=0)
    data = post_form(author, published_at_0=nine.strftime("%Y-%m-%d"), published_at_1="09:00:00")
    response = staff_client.post("/admin/blog/post/add/", data, follow=True)
    scheduled = [str(m) for m in response.context["messages"] if "Scheduled" in str(m)]
    assert scheduled and scheduled[0].endswith(("a.m.", "9:00.", "09:00.")), scheduled
    assert not scheduled[0].endswith(".."), scheduled


def test_the_admin_has_the_site_icon(staff_client):
    html = staff_client.get("/admin/").content.decode()
    assert 'rel="icon"' in html and "favicon" in html


def test_revision_times_are_to_the_second(staff_client, make_post):
    post = make_post()
    with reversion.create_revision():
        post.save()
    html = staff_client.get(f"/admin/blog/post/{post.pk}/history/").content.decode()
    assert re.search(r"<time datetime=\"[^\"]+\">\d+ \w+\.? \d{4}, \d\d:\d\d:\d\d</time>", html)


def test_a_refusal_is_a_page_in_the_admin_not_a_bare_403(client, django_user_model):
    user = django_user_model.objects.create_user("no-perms", password="pw-123456!", is_staff=True)
    client.force_login(user)
    response = client.get("/admin/blog/post/broken-links/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "You cannot open this page" in html and "Back to the admin" in html
    assert "no-perms" in html
