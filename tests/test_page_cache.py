"""The page cache: what it stores, for whom, and that every change shows on the very next request.

The page cache is off while debugging (and so in the rest of the suite, which
measures rendering); every test here switches it on.
"""

import gzip
import uuid
from datetime import timedelta

import brotli
import pytest
from django.contrib.redirects.models import Redirect
from django.core.cache import cache
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import Client
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import http_date
from hypothesis import HealthCheck, given
from hypothesis import settings as examples

from blog.models import Post
from blog.pending_edits import PendingEdit
from books.models import Book
from core.http import page_cache
from core.http.caching import cache_for_readers
from enquiries.models import Enquiry
from pages.models import NavItem, Service, SiteSettings
from praise import models as praise
from previews.models import PreviewLink
from tests import accept_encoding_headers, test_pages, test_scheduling
from tests.test_scheduling import clock_at, max_age, timeline  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/blog/", "/blog/tag/hiring/", "/about/", "/books/", "/praise/",
               "/feed/", "/feed/atom/", "/blog/tag/hiring/feed/", "/sitemap.xml",
               "/search/", "/search/?q=public"]  # fmt: skip


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


@pytest.fixture
def post(make_post, make_tag):
    return make_post(title="A public post", tags=[make_tag("Hiring")])


def status(response):
    return response.get("X-Page-Cache")


def warm(client, url):
    first = client.get(url)
    assert first.status_code == 200 and status(first) == "miss", url
    return first


# --- Hits and misses -------------------------------------------------------------


class TestWarmPages:
    @pytest.mark.parametrize("url", PUBLIC_URLS)
    def test_a_warm_page_costs_no_query(self, client, post, url, django_assert_num_queries):
        first = warm(client, url)
        with django_assert_num_queries(0):
            second = client.get(url)
        assert second.status_code == 200 and status(second) == "hit"
        assert second.content == first.content
        assert second["Content-Type"] == first["Content-Type"]

    def test_the_article_is_served_from_the_cache(self, client, post, django_assert_num_queries):
        warm(client, post.get_absolute_url())
        with django_assert_num_queries(0):
            response = client.get(post.get_absolute_url())
        assert status(response) == "hit" and "A public post" in response.content.decode()
        # Headers added outside the page cache are there on a hit too.
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"

    def test_head_is_answered_from_a_stored_get(self, client, post, django_assert_num_queries):
        warm(client, post.get_absolute_url())
        with django_assert_num_queries(0):
            response = client.head(post.get_absolute_url())
        assert response.status_code == 200 and status(response) == "hit"
        assert response.content == b""

    def test_head_alone_stores_nothing(self, client, post):
        # ConditionalGetMiddleware gives no ETag to HEAD; stored pages always have one.
        assert status(client.head(post.get_absolute_url())) == "miss"
        assert status(client.get(post.get_absolute_url())) == "miss"

    def test_each_query_string_is_its_own_page(self, client, make_post):
        for _ in range(12):
            make_post()
        warm(client, "/blog/")
        second_page = client.get("/blog/?page=2")
        assert status(second_page) == "miss"
        assert second_page.content.decode().count('class="post-card"') == 2

    def test_each_host_is_its_own_page(self, client, post, settings):
        settings.ALLOWED_HOSTS = ["testserver", "other.example"]
        warm(client, "/blog/")
        other = client.get("/blog/", headers={"host": "other.example"})
        assert status(other) == "miss"
        assert "http://other.example/" in other.content.decode()  # its own absolute links

    def test_an_unknown_host_is_a_400_not_an_error(self, client, post):
        assert client.get("/blog/", headers={"host": "evil.example"}).status_code == 400

    def test_a_lost_version_key_never_brings_back_old_pages(self, client, post):
        warm(client, post.get_absolute_url())
        cache.delete(page_cache.VERSION_KEY)
        assert status(client.get(post.get_absolute_url())) == "miss"

    def test_pages_stored_by_older_code_are_never_read(self, client, post, monkeypatch):
        warm(client, post.get_absolute_url())
        monkeypatch.setattr(page_cache, "ENTRY_FORMAT", page_cache.ENTRY_FORMAT + 1)
        page_cache.local_pages.clear()  # a new deploy starts new workers
        assert status(client.get(post.get_absolute_url())) == "miss"

    def test_off_when_the_setting_is_zero(self, client, post, settings):
        settings.PAGE_CACHE_SECONDS = 0
        client.get("/blog/")
        assert status(client.get("/blog/")) is None


class TestWorkerMemory:
    """Each worker keeps recent pages in its own memory, in front of the shared cache."""

    @pytest.fixture
    def shared_reads(self, monkeypatch):
        keys = []

        class Recorder:
            def __getattr__(self, name):
                return getattr(cache, name)

            def get(self, key, *args, **kwargs):
                keys.append(key)
                return cache.get(key, *args, **kwargs)

        monkeypatch.setattr(page_cache, "cache", Recorder())
        return keys

    def test_a_warm_page_reads_only_the_version_from_the_shared_cache(
        self, client, post, shared_reads
    ):
        warm(client, post.get_absolute_url())
        shared_reads.clear()
        assert status(client.get(post.get_absolute_url())) == "hit"
        assert shared_reads == [page_cache.VERSION_KEY]

    def test_a_page_another_worker_stored_is_read_from_the_shared_cache(self, client, post):
        warm(client, post.get_absolute_url())
        page_cache.local_pages.clear()  # as if this request reached the other worker
        assert status(client.get(post.get_absolute_url())) == "hit"
        assert len(page_cache.local_pages) == 1  # and kept from then on

    def test_an_edit_saved_by_another_worker_retires_this_workers_copy(self, client, post):
        warm(client, post.get_absolute_url())
        # Another worker saves a post: the shared content version is all that changes here.
        Post.objects.filter(pk=post.pk).update(title="Edited elsewhere")
        page_cache.content_changed()
        response = client.get(post.get_absolute_url())
        assert status(response) == "miss" and "Edited elsewhere" in response.content.decode()

    def test_a_copy_is_never_served_past_its_timeout(self, client, post, settings, monkeypatch):
        settings.PAGE_CACHE_SECONDS = 60
        warm(client, "/about/")
        later = page_cache.time.time() + 61
        # The shared cache has dropped its copy by now (it reads the same clock).
        monkeypatch.setattr(page_cache.time, "time", lambda: later)
        assert status(client.get("/about/")) == "miss"

    def test_memory_is_bounded(self, client, post, monkeypatch):
        warm(client, "/about/")
        one_page = page_cache.local_pages.currsize
        bounded = page_cache.LRUCache(maxsize=one_page, getsizeof=lambda entry: entry.size)
        monkeypatch.setattr(page_cache, "local_pages", bounded)
        warm(client, post.get_absolute_url())
        warm(client, "/books/")
        assert len(bounded) <= 1 and bounded.currsize <= one_page

    def test_none_kept_when_the_setting_is_zero(self, client, post, monkeypatch):
        empty = page_cache.LRUCache(maxsize=0, getsizeof=lambda entry: entry.size)
        monkeypatch.setattr(page_cache, "local_pages", empty)
        warm(client, "/about/")
        assert status(client.get("/about/")) == "hit" and len(empty) == 0


# --- Exact invalidation ------------------------------------------------------------


class TestInvalidation:
    def test_a_post_edit_shows_on_the_very_next_request(self, client, post):
        for url in [post.get_absolute_url(), "/blog/", "/"]:
            warm(client, url)
        post.title = "A retitled post"
        post.save()
        for url in [post.get_absolute_url(), "/blog/", "/"]:
            html = client.get(url).content.decode()
            assert "A retitled post" in html and "A public post" not in html, url

    def test_publishing_and_deleting_show_at_once(self, client, post, make_post):
        warm(client, "/blog/")
        draft = make_post(title="Fresh off the press", status=Post.Status.DRAFT)
        assert "Fresh off the press" not in client.get("/blog/").content.decode()
        draft.status = Post.Status.PUBLISHED
        draft.save()
        assert "Fresh off the press" in client.get("/blog/").content.decode()
        draft.delete()
        assert "Fresh off the press" not in client.get("/blog/").content.decode()

    def test_the_unpublish_action_shows_at_once(self, client, post, django_user_model):
        for url in ["/blog/", post.get_absolute_url()]:
            warm(client, url)
        author = Client()  # the reader's client must stay anonymous
        author.force_login(django_user_model.objects.create_superuser("editor", password="x"))
        author.post(
            "/admin/blog/post/",
            {"action": "unpublish", "_selected_action": [post.pk], "confirmed": "yes"},
        )
        assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT
        assert "A public post" not in client.get("/blog/").content.decode()
        assert client.get(post.get_absolute_url()).status_code == 404

    def test_rerendering_shows_at_once(self, client, post, monkeypatch):
        warm(client, post.get_absolute_url())
        from blog import derivation
        from core.markdown.rendering import Rendered

        monkeypatch.setattr(
            derivation, "render_article", lambda body, **kw: Rendered("<p>Rendered anew</p>", "")
        )
        call_command("rerender", stdout=None)
        assert "Rendered anew" in client.get(post.get_absolute_url()).content.decode()

    def test_renaming_the_site_names_a_new_share_card_at_once(self, client, post):
        from blog.share_cards import card_fingerprint

        warm(client, post.get_absolute_url())
        site = SiteSettings.load()
        site.site_name = "A renamed site"
        site.save()
        html = client.get(post.get_absolute_url()).content.decode()
        assert card_fingerprint(post, "A renamed site") in html

    def test_retagging_shows_at_once(self, client, post, make_tag):
        warm(client, post.get_absolute_url())
        post.tags.add(make_tag("Leadership"))  # m2m_changed, no save
        assert "Leadership" in client.get(post.get_absolute_url()).content.decode()

    def test_a_tag_rename_shows_at_once(self, client, post):
        warm(client, post.get_absolute_url())
        tag = post.tags.get()
        tag.name = "Recruiting"
        tag.save()
        assert "Recruiting" in client.get(post.get_absolute_url()).content.decode()

    def test_an_author_edit_shows_at_once(self, client, post, author):
        warm(client, post.get_absolute_url())
        author.name = "Alexandra Navarro"
        author.save()
        assert "Alexandra Navarro" in client.get(post.get_absolute_url()).content.decode()

    def test_a_site_settings_edit_shows_at_once(self, client, post):
        warm(client, "/about/")
        settings = SiteSettings.objects.get()
        settings.site_name = "A renamed site"
        settings.save()
        assert "A renamed site" in client.get("/about/").content.decode()

    def test_a_new_navigation_item_shows_at_once(self, client, post):
        warm(client, "/")
        NavItem.objects.create(settings_id=1, label="Speaking", url="/speaking/")
        assert "Speaking" in client.get("/").content.decode()

    def test_a_new_book_and_testimonial_show_at_once(self, client, post):
        warm(client, "/books/")
        warm(client, "/praise/")
        Book.objects.create(title="The Second Book", slug="the-second-book")
        praise.Testimonial.objects.create(quote="Changed how we hire.", name="Sam Reviewer")
        assert "The Second Book" in client.get("/books/").content.decode()
        assert "Changed how we hire." in client.get("/praise/").content.decode()

    @pytest.mark.parametrize(
        "change",
        [
            lambda post: Service.objects.create(settings_id=1, title="Audit", summary="One day."),
            lambda post: Redirect.objects.create(site_id=1, old_path="/old/", new_path="/blog/"),
            lambda post: post.faq_items.create(question="Why?", answer="Because.", position=0),
            lambda post: post.author.links.create(label="Web", url="https://a.example", position=0),
            lambda post: post.tags.clear(),
        ],
        ids=["service", "redirect", "faq-item", "author-link", "tags-cleared"],
    )
    def test_anything_readers_see_invalidates(self, client, post, change):
        warm(client, post.get_absolute_url())
        change(post)
        assert status(client.get(post.get_absolute_url())) == "miss"

    @pytest.mark.parametrize(
        "change",
        [
            lambda post: PendingEdit.objects.create(post=post, content={"title": "Typing..."}),
            lambda post: Enquiry.objects.create(name="Ada", email="ada@example.com", message="Hi"),
            lambda post: PreviewLink.create_for(post),
        ],
        ids=["autosave", "enquiry", "preview-link"],
    )
    def test_what_readers_never_see_leaves_the_cache_alone(self, client, post, change):
        warm(client, post.get_absolute_url())
        change(post)
        assert status(client.get(post.get_absolute_url())) == "hit"

    def test_a_change_inside_a_transaction_invalidates_again_on_commit(
        self, client, post, django_capture_on_commit_callbacks
    ):
        # A page rendered between the save and the commit would show the old
        # content under the new version; the commit starts yet another one.
        with django_capture_on_commit_callbacks() as callbacks:
            post.save()
            version = page_cache.content_version()
        assert callbacks
        for callback in callbacks:
            callback()
        assert page_cache.content_version() != version

    def test_migrate_invalidates_every_page(self, client, post):
        warm(client, "/blog/")
        call_command("migrate", verbosity=0)  # as every deploy runs it
        assert status(client.get("/blog/")) == "miss"


# --- Scheduled posts ---------------------------------------------------------------


class TestScheduledPosts:
    def test_a_scheduled_post_appears_on_time(self, client, timeline):  # noqa: F811
        older, scheduled, launch = timeline
        urls = ["/", "/blog/", "/blog/tag/hiring/", "/feed/", older.get_absolute_url()]
        with clock_at(launch - timedelta(seconds=10)):
            for url in urls:
                assert scheduled.title not in warm(client, url).content.decode(), url
                assert status(client.get(url)) == "hit", url
        with clock_at(launch):
            for url in urls:
                response = client.get(url)
                assert status(response) == "miss", url
                assert scheduled.get_absolute_url() in response.content.decode(), url

    def test_pages_without_posts_outlive_the_moment(self, client, timeline):  # noqa: F811
        _, _, launch = timeline
        with clock_at(launch - timedelta(seconds=10)):
            warm(client, "/books/")
        with clock_at(launch + timedelta(seconds=1)):
            assert status(client.get("/books/")) == "hit"

    def test_a_hit_is_capped_at_the_time_left_not_the_time_stored(self, client, timeline):  # noqa: F811
        _, _, launch = timeline
        with clock_at(launch - timedelta(seconds=200)):
            assert max_age(warm(client, "/blog/")) == 200
        with clock_at(launch - timedelta(seconds=30)):
            hit = client.get("/blog/")
        assert status(hit) == "hit" and max_age(hit) == 30
        assert "s-maxage=30" in hit["Cache-Control"]


# --- Never stored, never served ----------------------------------------------------


class TestNeverShared:
    def test_signed_in_authors_are_never_served_a_stored_page(self, staff_client, post):
        warm(Client(), post.get_absolute_url())
        response = staff_client.get(post.get_absolute_url())
        assert status(response) is None
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]

    def test_pages_rendered_for_authors_are_never_stored(self, staff_client, post):
        staff_client.get(post.get_absolute_url())
        anonymous = Client()
        assert status(anonymous.get(post.get_absolute_url())) == "miss"

    def test_any_session_cookie_bypasses_the_cache(self, client, post, settings):
        # Even a stale one: checking it would cost a session query on every request.
        warm(client, "/blog/")
        client.cookies[settings.SESSION_COOKIE_NAME] = "expired-or-forged"
        assert status(client.get("/blog/")) is None

    def test_preview_links(self, client, make_post):
        draft = make_post(title="Unfinished", status=Post.Status.DRAFT, published_at=None)
        url = PreviewLink.create_for(draft).get_absolute_url()
        for _ in range(2):
            response = client.get(url)
            assert response.status_code == 200 and status(response) is None
            assert "no-store" in response["Cache-Control"]

    def test_the_admin(self, client, db):
        for _ in range(2):
            response = client.get("/admin/login/")
            assert status(response) is None and "no-store" in response["Cache-Control"]

    def test_the_form_page_with_its_csrf_token(self, client, author):
        for _ in range(2):
            response = client.get("/work-with-me/")
            assert status(response) == "miss"
            assert "csrftoken" in response.cookies

    def test_missing_pages(self, client, post):
        for _ in range(2):
            response = client.get("/blog/no-such-post/")
            assert response.status_code == 404 and status(response) == "miss"

    def test_redirects(self, client, post):
        Redirect.objects.create(site_id=1, old_path="/old-address/", new_path="/blog/")
        for _ in range(2):
            response = client.get("/old-address/")
            assert response.status_code == 301 and status(response) == "miss"

    def test_posts_are_never_answered_from_the_cache(self, client, post):
        warm(client, "/blog/")
        assert client.post("/blog/").status_code == 405


def public(request, html, status=200):
    return cache_for_readers(request, HttpResponse(html, status=status))


def sets_a_cookie(request):
    response = public(request, "<p>hello</p>")
    response.set_cookie("seen", "1")
    return response


def uses_a_csrf_token(request):
    return public(request, f"<form>{get_token(request)}</form>")


def not_found(request):
    return public(request, "<p>gone</p>", status=404)


def server_error(request):
    return public(request, "<p>broken</p>", status=503)


def no_store(request):
    response = public(request, "<p>secret</p>")
    add_never_cache_headers(response)
    return response


def varies_by_language(request):
    response = public(request, "<p>bonjour</p>")
    patch_vary_headers(response, ["Accept-Language"])
    return response


def not_through_the_reader_policy(request):
    response = HttpResponse("<p>someone else's headers</p>")
    response["Cache-Control"] = "public, max-age=600"
    return response


def plain_public(request):
    return public(request, "<p>" + "a shareable page " * 40 + "</p>")


def compressed_by_the_view(request):
    response = public(request, gzip.compress(b"<p>" + b"a shareable page " * 40 + b"</p>"))
    response["Content-Encoding"] = "gzip"
    return response


urlpatterns = [
    path("sets-a-cookie/", sets_a_cookie),
    path("uses-a-csrf-token/", uses_a_csrf_token),
    path("not-found/", not_found),
    path("server-error/", server_error),
    path("no-store/", no_store),
    path("varies-by-language/", varies_by_language),
    path("not-through-the-reader-policy/", not_through_the_reader_policy),
    path("public/", plain_public),
    path("compressed-by-the-view/", compressed_by_the_view),
]


class TestStoringRules:
    @pytest.fixture(autouse=True)
    def these_urls(self, settings):
        settings.ROOT_URLCONF = __name__

    @pytest.mark.parametrize(
        "url",
        [
            "/sets-a-cookie/",
            "/uses-a-csrf-token/",
            "/not-found/",
            "/server-error/",
            "/no-store/",
            "/varies-by-language/",
            "/not-through-the-reader-policy/",
        ],
    )
    def test_never_stored(self, client, url):
        client.get(url)
        assert status(client.get(url)) == "miss"

    def test_a_plain_public_page_is_stored(self, client):
        client.get("/public/")
        assert status(client.get("/public/")) == "hit"

    def test_never_in_a_coding_its_key_does_not_name(self, client):
        # The compressor leaves a body the view compressed itself alone: only the page
        # cache can keep it from the key of requests that asked for no gzip.
        url = "/compressed-by-the-view/"
        client.get(url)
        assert status(client.get(url)) == "miss"
        client.get(url, headers={"accept-encoding": "gzip"})
        assert status(client.get(url, headers={"accept-encoding": "gzip"})) == "hit"


# --- HTTP caching ------------------------------------------------------------------


class TestConditionalRequests:
    def test_public_pages_carry_validators(self, client, post):
        response = client.get(post.get_absolute_url())
        assert response["ETag"] and response["Last-Modified"]

    def test_a_matching_etag_is_answered_304_from_the_cache(
        self, client, post, django_assert_num_queries
    ):
        etag = warm(client, post.get_absolute_url())["ETag"]
        with django_assert_num_queries(0):
            response = client.get(post.get_absolute_url(), headers={"if-none-match": etag})
        assert response.status_code == 304 and response.content == b""
        assert response["ETag"] == etag and "public" in response["Cache-Control"]

    def test_if_modified_since_is_answered_304_from_the_cache(self, client, post):
        last_modified = warm(client, "/blog/")["Last-Modified"]
        response = client.get("/blog/", headers={"if-modified-since": last_modified})
        assert response.status_code == 304

    def test_an_old_etag_gets_the_new_page(self, client, post):
        etag = warm(client, post.get_absolute_url())["ETag"]
        post.title = "A retitled post"
        post.save()
        response = client.get(post.get_absolute_url(), headers={"if-none-match": etag})
        assert response.status_code == 200 and "A retitled post" in response.content.decode()

    def test_304_without_the_page_cache_too(self, client, post, settings):
        settings.PAGE_CACHE_SECONDS = 0
        etag = client.get("/about/")["ETag"]
        assert client.get("/about/", headers={"if-none-match": etag}).status_code == 304

    def test_old_modified_since_gets_the_page(self, client, post):
        warm(client, "/blog/")
        old = http_date((timezone.now() - timedelta(days=1)).timestamp())
        assert client.get("/blog/", headers={"if-modified-since": old}).status_code == 200


class TestCacheControl:
    @pytest.mark.parametrize("url", PUBLIC_URLS)
    def test_public_pages_are_shared_briefly_and_served_stale_while_refreshed(
        self, client, post, url
    ):
        for response in (client.get(url), client.get(url)):  # stored and served alike
            directives = {d.strip() for d in response["Cache-Control"].split(",")}
            expected = {"public", "max-age=300", "s-maxage=60", "stale-while-revalidate=60"}
            assert directives == expected, url

    def test_no_stale_copy_outlives_the_next_scheduled_post(self, client, make_post):
        launch = timezone.now() + timedelta(seconds=120)
        make_post(published_at=launch)
        with clock_at(launch - timedelta(seconds=90)):
            cache_control = client.get("/blog/")["Cache-Control"]
        # Browsers keep it the 90 s left, with no stale grace after: that would run past launch.
        assert "max-age=90" in cache_control and "s-maxage=60" in cache_control
        assert "stale-while-revalidate" not in cache_control
        with clock_at(launch - timedelta(seconds=400)):
            cache_control = client.get("/blog/")["Cache-Control"]
        # Far from launch: the usual lifetimes, the stale grace cut to end before it.
        assert "max-age=300" in cache_control and "stale-while-revalidate=60" in cache_control
        with clock_at(launch - timedelta(seconds=30)):
            cache_control = client.get("/blog/")["Cache-Control"]
        assert "s-maxage=30" in cache_control and "stale-while-revalidate" not in cache_control

    @pytest.mark.parametrize("url", ["/blog/", "/feed/", "/sitemap.xml", "/about/"])
    def test_signed_in_views_are_private(self, staff_client, post, url):
        cache_control = staff_client.get(url)["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "public" not in cache_control

    def test_drafts_previews_and_the_admin_are_private(self, staff_client, make_post):
        draft = make_post(status=Post.Status.DRAFT)
        anonymous = Client()
        responses = [
            staff_client.get(draft.get_absolute_url()),
            anonymous.get(PreviewLink.create_for(draft).get_absolute_url()),
            staff_client.get("/admin/blog/post/"),
            anonymous.get("/admin/login/"),
        ]
        for response in responses:
            assert response.status_code == 200
            cache_control = response["Cache-Control"]
            assert "private" in cache_control and "no-store" in cache_control


class TestCompression:
    def test_public_pages_in_brotli(self, client, post):
        plain = client.get(post.get_absolute_url()).content
        for _ in range(2):  # rendered, then from the cache
            response = client.get(post.get_absolute_url(), headers={"accept-encoding": "gzip, br"})
            assert response["Content-Encoding"] == "br"
            assert brotli.decompress(response.content) == plain
            assert "Accept-Encoding" in response["Vary"]
            assert response["ETag"].startswith('W/"')

    def test_each_encoding_is_stored_separately(self, client, post):
        url = post.get_absolute_url()
        client.get(url, headers={"accept-encoding": "br"})
        gzipped = client.get(url, headers={"accept-encoding": "gzip"})
        assert status(gzipped) == "miss" and gzipped["Content-Encoding"] == "gzip"
        plain = client.get(url)
        assert status(plain) == "miss" and "Content-Encoding" not in plain
        assert gzip.decompress(gzipped.content) == plain.content
        assert status(client.get(url, headers={"accept-encoding": "gzip"})) == "hit"

    def test_a_refused_encoding_is_not_used(self, client, post):
        response = client.get(post.get_absolute_url(), headers={"accept-encoding": "br;q=0, gzip"})
        assert response["Content-Encoding"] == "gzip"

    def test_pages_with_a_csrf_token_get_gzip_with_its_breach_padding_never_brotli(
        self, client, author
    ):
        response = client.get("/work-with-me/", headers={"accept-encoding": "br, gzip"})
        assert response["Content-Encoding"] == "gzip"
        # Heal the Breach: a random file name in the gzip header pads every copy.
        has_file_name = response.content[3] & 0x08
        assert has_file_name and b"csrfmiddlewaretoken" in gzip.decompress(response.content)

    def test_images_are_not_compressed_again(self, client, media_root, db):
        media_root.mkdir(parents=True)
        (media_root / "photo.png").write_bytes(b"\x00" * 5000)
        (media_root / "page.txt").write_text("text " * 200)
        image = client.get("/media/photo.png", headers={"accept-encoding": "gzip"})
        assert "Content-Encoding" not in image
        text = client.get("/media/page.txt", headers={"accept-encoding": "gzip"})
        assert text["Content-Encoding"] == "gzip"


# Bounded and reproducible, as in tests/test_hostile_rendering.py.
ACCEPT_ENCODING_EXAMPLES = examples(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


class TestTheVariantIsTheOneItsKeyNames:
    """What one request sends never decides what another gets (issue 14).

    A page is stored under the coding negotiated for the request that rendered it, and
    compressed to exactly that coding: asked for with ``gzip;q=0``, a gzip body was once
    stored under the key of plain requests, and every curl, bot and feed reader got gzip.
    """

    @pytest.mark.parametrize(
        "accept_encoding",
        ["gzip;q=0", "x-gzip", "x-gzip;q=0", "GZIP;Q=0.000", "br;q=0, gzip;q=0",
         "gzip;q=0, *;q=0", "*;q=0", "identity;q=0", "deflate", "gzip;q=abc", "gzip;q=nan",
         "gzip;q=-1"],
    )  # fmt: skip
    def test_a_plain_request_after_any_other_gets_a_plain_page(self, client, post, accept_encoding):
        client.get("/", headers={"accept-encoding": accept_encoding})
        plain = client.get("/")
        assert "Content-Encoding" not in plain
        assert plain.content.startswith(b"<!doctype html>")

    @pytest.mark.parametrize(
        "accept_encoding, coding",
        [
            ("gzip;q=0", None),
            ("x-gzip", "gzip"),  # an alias of gzip (RFC 9110 8.4.1.3)
            ("X-GZip", "gzip"),
            ("GZIP", "gzip"),  # codings are case-insensitive
            ("br;q=0, gzip", "gzip"),
            ("br;q=0, *", "gzip"),
            ("gzip;q=0, *", "br"),
            ("*", "br"),
            ("*;q=0", None),
            ("*;q=0, gzip", "gzip"),
            ("br;q=0, gzip;q=0", None),
            ("identity;q=0", None),  # nothing it takes is on offer: sent as it is
            ("identity;q=0, gzip;q=0.1", "gzip"),
            ("gzip;q=0.8, br;q=0.5", "gzip"),  # the client's preference first
            ("gzip, deflate, br, zstd", "br"),  # a browser's
            (" gzip ; q=1.0 ,br;q=0.000", "gzip"),
            ("gzip;q=abc", None),  # a weight that cannot be read refuses
            ("", None),  # no coding wanted
        ],
    )
    def test_each_request_gets_the_coding_it_prefers(self, client, post, accept_encoding, coding):
        plain = client.get("/").content
        cold()
        for expected_status in ("miss", "hit"):
            response = client.get("/", headers={"accept-encoding": accept_encoding})
            assert status(response) == expected_status
            assert response.get("Content-Encoding") == coding
            assert decoded(response) == plain

    @pytest.mark.parametrize("accept_encoding", ["gzip;q=0", "gzip;q=0, *", "br", "GZIP;q=0.0"])
    def test_pages_with_a_csrf_token_are_not_gzipped_when_gzip_is_refused(
        self, client, author, accept_encoding
    ):
        response = client.get("/work-with-me/", headers={"accept-encoding": accept_encoding})
        assert "Content-Encoding" not in response
        assert b"csrfmiddlewaretoken" in response.content

    def test_pages_with_a_csrf_token_get_gzip_for_x_gzip(self, client, author):
        response = client.get("/work-with-me/", headers={"accept-encoding": "x-gzip"})
        assert response["Content-Encoding"] == "gzip"
        assert b"csrfmiddlewaretoken" in gzip.decompress(response.content)

    @given(header=accept_encoding_headers.headers())
    @ACCEPT_ENCODING_EXAMPLES
    def test_any_header_gets_a_coding_it_accepts_and_leaves_plain_requests_plain(
        self, client, post, header
    ):
        header, weights = header
        coding = self.sent_and_stored(client, header).get("Content-Encoding", "identity")
        offered = [c for c in accept_encoding_headers.SENT if c != "identity"]
        assert accept_encoding_headers.accepts(weights, coding) or (
            coding == "identity"
            and not any(accept_encoding_headers.accepts(weights, c) for c in offered)
        ), (header, coding)

    @given(header=accept_encoding_headers.raw_headers)
    @ACCEPT_ENCODING_EXAMPLES
    def test_any_text_at_all_leaves_plain_requests_plain(self, client, post, header):
        coding = self.sent_and_stored(client, header).get("Content-Encoding")
        lowered = header.lower()
        assert coding is None or coding in lowered or "*" in lowered, (header, coding)

    def sent_and_stored(self, client, header):
        """The page as sent for ``header``: the same again from the cache, and a plain
        request after it still gets the page uncompressed."""
        cold()  # each example starts with nothing stored
        first = client.get("/", headers={"accept-encoding": header})
        again = client.get("/", headers={"accept-encoding": header})
        plain = client.get("/")
        assert status(again) == "hit", header
        assert again.get("Content-Encoding") == first.get("Content-Encoding"), header
        assert "Content-Encoding" not in plain, header
        assert decoded(first) == decoded(again) == plain.content
        return first


def cold():
    cache.clear()
    page_cache.local_pages.clear()


def decoded(response):
    coding = response.get("Content-Encoding")
    if coding == "gzip":
        return gzip.decompress(response.content)
    if coding == "br":
        return brotli.decompress(response.content)
    assert coding is None, coding
    return response.content


# --- Other cache backends ----------------------------------------------------------


def redis_url():
    url = "redis://127.0.0.1:6379/0"
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001 - any failure means "not here"
        return None
    return url


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path, clear_cache):
    """The page cache on a backend gunicorn workers share: the file cache, or Redis if it runs."""
    if request.param == "file":
        settings.CACHES = {
            alias: {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache" / alias),
            }
            for alias in ("default", "pages")
        }
        yield request.param
        return
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (make it run to test RedisCache)")
    # A key prefix of our own: Redis is shared with other test runs, never flushed here.
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"{prefix}-{alias}",
        }
        for alias in ("default", "pages")
    }
    yield request.param
    redis_client = cache._cache.get_client(write=True)
    for key in redis_client.scan_iter(f"{prefix}-*"):
        redis_client.delete(key)


class TestSharedBackends:
    def test_hits_invalidation_and_304(self, shared_cache, client, post, django_assert_num_queries):
        url = post.get_absolute_url()
        first = warm(client, url)
        warm(client, url + "?variant")
        with django_assert_num_queries(0):
            hit = client.get(url)
            not_modified = client.get(url, headers={"if-none-match": first["ETag"]})
        assert status(hit) == "hit" and hit.content == first.content
        assert not_modified.status_code == 304
        post.title = "A retitled post"
        post.save()
        assert "A retitled post" in client.get(url).content.decode()

    def test_a_scheduled_post_appears_on_time(self, shared_cache, client, timeline):  # noqa: F811
        _, scheduled, launch = timeline
        with clock_at(launch - timedelta(seconds=10)):
            warm(client, "/blog/")
        with clock_at(launch):
            assert scheduled.title in client.get("/blog/").content.decode()


# --- The rest of the suite's reader checks, with the page cache on -----------------


class TestVisibilityWithThePageCache(test_scheduling.TestVisibility):
    """Scheduled posts hidden and shown on time, as tests/test_scheduling.py checks them."""


class TestDraftsWithThePageCache(test_pages.TestDrafts):
    """Drafts never reach readers, as tests/test_pages.py checks them."""
