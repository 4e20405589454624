"""Scheduled posts: hidden everywhere until their moment, shown everywhere after it, never late.

Time is moved by patching ``django.utils.timezone.now``, which ``published()`` reads.
"""

import re
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import feedparser
import pytest
from django.utils import timezone

from blog import scheduling
from blog.models import Post
from core.http.caching import PUBLIC_MAX_AGE
from tests.conftest import link_keep_reading

pytestmark = pytest.mark.django_db


@contextmanager
def clock_at(moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def max_age(response):
    return int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])


@pytest.fixture
def timeline(make_post, make_tag):
    """An older public post, and one scheduled an hour from now; both tagged, linked."""
    tag = make_tag("Hiring")
    older = make_post(title="Older public post", tags=[tag])
    launch = timezone.now() + timedelta(hours=1)
    scheduled = make_post(title="The scheduled post", published_at=launch, tags=[tag])
    link_keep_reading(older, [scheduled])
    return older, scheduled, launch


READER_URLS = [
    "/",
    "/blog/",
    "/blog/tag/hiring/",
    "/feed/",
    "/feed/atom/",
    "/blog/tag/hiring/feed/",
    "/blog/tag/hiring/feed/atom/",
    "/sitemap.xml",
]


class TestVisibility:
    def test_hidden_everywhere_just_before_its_moment(self, client, timeline):
        older, scheduled, launch = timeline
        with clock_at(launch - timedelta(seconds=1)):
            missing = client.get(scheduled.get_absolute_url())
            assert missing.status_code == 404
            assert "The scheduled post" not in missing.content.decode()  # not even suggested
            for url in [*READER_URLS, older.get_absolute_url()]:
                body = client.get(url).content.decode()
                assert "The scheduled post" not in body, url
                assert scheduled.get_absolute_url() not in body, url

    def test_shown_everywhere_from_its_moment(self, client, timeline):
        older, scheduled, launch = timeline
        with clock_at(launch):
            article = client.get(scheduled.get_absolute_url())
            assert article.status_code == 200
            # The next link from the new post leads to the older one.
            assert older.get_absolute_url() in article.content.decode()
            for url in [*READER_URLS, older.get_absolute_url()]:
                body = client.get(url).content.decode()
                assert scheduled.get_absolute_url() in body, url

    def test_feed_entries_follow_the_clock(self, client, timeline):
        _, _, launch = timeline
        with clock_at(launch - timedelta(minutes=1)):
            before = feedparser.parse(client.get("/feed/").content)
        with clock_at(launch + timedelta(minutes=1)):
            after = feedparser.parse(client.get("/feed/").content)
        assert [e.title for e in before.entries] == ["Older public post"]
        assert [e.title for e in after.entries] == ["The scheduled post", "Older public post"]

    def test_a_scheduled_draft_stays_hidden_after_its_date(self, client, make_post):
        draft = make_post(
            title="Dated draft",
            status=Post.Status.DRAFT,
            published_at=timezone.now() + timedelta(minutes=5),
        )
        with clock_at(timezone.now() + timedelta(hours=1)):
            assert client.get(draft.get_absolute_url()).status_code == 404
            assert "Dated draft" not in client.get("/blog/").content.decode()


class TestCacheLifetime:
    def test_full_max_age_when_nothing_is_scheduled(self, client, make_post):
        make_post()
        for url in ["/", "/blog/"]:
            assert max_age(client.get(url)) == PUBLIC_MAX_AGE

    def test_list_pages_expire_when_the_next_post_goes_live(self, client, make_post, make_tag):
        tag = make_tag("Hiring")
        public = make_post(tags=[tag])
        launch = timezone.now() + timedelta(seconds=120)
        make_post(published_at=launch, tags=[tag])
        with clock_at(launch - timedelta(seconds=90)):
            for url in ["/", "/blog/", "/blog/tag/hiring/", public.get_absolute_url()]:
                assert max_age(client.get(url)) == 90, url

    def test_max_age_is_back_to_full_once_the_post_is_live(self, client, make_post):
        launch = timezone.now() + timedelta(seconds=60)
        make_post(published_at=launch)
        with clock_at(launch - timedelta(seconds=30)):
            assert max_age(client.get("/blog/")) == 30
        with clock_at(launch + timedelta(seconds=1)):
            assert max_age(client.get("/blog/")) == PUBLIC_MAX_AGE

    def test_the_next_scheduled_post_after_that_takes_over(self, client, make_post):
        first = timezone.now() + timedelta(seconds=60)
        make_post(published_at=first)
        make_post(published_at=first + timedelta(seconds=100))
        with clock_at(first + timedelta(seconds=1)):
            assert max_age(client.get("/blog/")) == 99

    def test_a_far_future_post_leaves_the_full_max_age(self, client, make_post):
        make_post(published_at=timezone.now() + timedelta(days=2))
        assert max_age(client.get("/blog/")) == PUBLIC_MAX_AGE

    def test_rescheduling_and_deleting_update_the_cap(self, client, make_post):
        post = make_post(published_at=timezone.now() + timedelta(days=1))
        assert max_age(client.get("/blog/")) == PUBLIC_MAX_AGE
        post.published_at = timezone.now() + timedelta(seconds=45)
        post.save()
        assert 40 <= max_age(client.get("/blog/")) <= 45
        post.delete()
        assert max_age(client.get("/blog/")) == PUBLIC_MAX_AGE

    def test_drafts_do_not_shorten_the_cache(self, client, make_post):
        make_post(status=Post.Status.DRAFT, published_at=timezone.now() + timedelta(seconds=30))
        assert max_age(client.get("/blog/")) == PUBLIC_MAX_AGE

    def test_pages_without_posts_keep_the_full_max_age(self, client, make_post):
        make_post(published_at=timezone.now() + timedelta(seconds=30))
        for url in ["/books/", "/praise/", "/about/"]:
            assert max_age(client.get(url)) == PUBLIC_MAX_AGE, url

    @pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/sitemap.xml", "/search/?q=post"])
    def test_feeds_sitemap_and_search_expire_when_the_next_post_goes_live(
        self, client, make_post, url
    ):
        launch = timezone.now() + timedelta(seconds=120)
        make_post(published_at=launch)
        with clock_at(launch - timedelta(seconds=30)):
            assert max_age(client.get(url)) == 30, url

    def test_the_moment_is_cached_and_costs_no_query(self, make_post, django_assert_num_queries):
        launch = timezone.now() + timedelta(seconds=200)
        make_post(published_at=launch)
        with django_assert_num_queries(0):
            assert scheduling.next_scheduled_at() == launch

    def test_a_cold_cache_costs_one_query(self, make_post, django_assert_num_queries):
        make_post(published_at=timezone.now() + timedelta(seconds=200))
        scheduling.cache.delete(scheduling.CACHE_KEY)
        with django_assert_num_queries(1):
            assert 199 <= scheduling.seconds_until_next_post() <= 200


class TestAdminList:
    def test_status_column_says_when_a_post_is_scheduled(self, staff_client, make_post):
        make_post(title="Live")
        make_post(title="Not yet", published_at=timezone.now() + timedelta(days=3))
        make_post(title="Unfinished", status=Post.Status.DRAFT)
        html = staff_client.get("/admin/blog/post/").content.decode()
        assert html.count("Scheduled for ") == 1
        assert "Draft" in html and "Published" in html
