"""Lists cost the same at any archive size; generate_posts; the benchmark's hooks."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from benchmarks import bench
from blog.models import Post
from blog.rendering import render_article
from blog.views import PostIndexView
from core.http.page_cache import VERSION_KEY, content_changed
from pages.models import SiteSettings
from search.backends import search_posts
from search.models import SearchDocument


def cards(response):
    return response.content.decode().count('class="post-card"')


def titles(response):
    return [post.title for post in response.context["posts"]]


class TestPagesWithoutCounting:
    def test_older_and_newer_links_without_a_page_count(self, client, make_post):
        for _ in range(25):
            make_post()
        first = client.get("/blog/").content.decode()
        assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first
        assert "Page 1" in first and " of " not in first.split("Page 1")[1][:10]
        middle = client.get("/blog/?page=2").content.decode()
        assert 'href="?page=1" rel="prev"' in middle and 'href="?page=3" rel="next"' in middle
        last = client.get("/blog/?page=3")
        assert cards(last) == 5 and 'rel="next"' not in last.content.decode()

    def test_a_full_last_page_has_no_older_link_and_the_next_is_404(self, client, make_post):
        for _ in range(20):
            make_post()
        second = client.get("/blog/?page=2")
        assert cards(second) == 10 and 'rel="next"' not in second.content.decode()
        assert client.get("/blog/?page=3").status_code == 404

    def test_one_page_shows_no_pagination(self, client, make_post):
        for _ in range(10):
            make_post()
        assert 'class="pagination"' not in client.get("/blog/").content.decode()

    def test_an_empty_blog_is_a_page_not_a_404(self, client, author):
        response = client.get("/blog/")
        assert response.status_code == 200 and "No posts yet." in response.content.decode()

    @pytest.mark.parametrize("page", ["last", "١", "2 ", "+2", "1000001"])
    def test_odd_page_values_are_404(self, client, make_post, page):
        make_post()
        assert client.get("/blog/", {"page": page}).status_code == 404

    def test_every_post_once_in_order_even_with_equal_dates(self, client, make_post):
        moment = timezone.now() - timedelta(days=1)
        made = [make_post(published_at=moment) for _ in range(12)]
        made += [make_post(published_at=moment - timedelta(hours=1)) for _ in range(3)]
        seen = titles(client.get("/blog/")) + titles(client.get("/blog/?page=2"))
        expected = [post.title for post in sorted(made[:12], key=lambda p: -p.pk)]
        expected += [post.title for post in sorted(made[12:], key=lambda p: -p.pk)]
        assert seen == expected

    def test_drafts_and_scheduled_posts_are_not_counted_into_pages(self, client, make_post):
        for _ in range(10):
            make_post()
        make_post(title="Draft", status=Post.Status.DRAFT)
        make_post(title="Later", published_at=timezone.now() + timedelta(days=1))
        response = client.get("/blog/")
        assert cards(response) == 10 and 'rel="next"' not in response.content.decode()
        assert client.get("/blog/?page=2").status_code == 404

    def test_tag_pages_page_through_their_own_posts(self, client, make_post, make_tag):
        tag, other = make_tag("Hiring"), make_tag("Other")
        for _ in range(11):
            make_post(tags=[tag])
        for _ in range(5):
            make_post(tags=[other])
        first = client.get("/blog/tag/hiring/")
        assert cards(first) == 10 and 'href="?page=2" rel="next"' in first.content.decode()
        assert cards(client.get("/blog/tag/hiring/?page=2")) == 1
        assert client.get("/blog/tag/hiring/?page=3").status_code == 404

    def test_title_names_the_page(self, client, make_post):
        for _ in range(11):
            make_post()
        assert "<title>Blog (page 2)" in client.get("/blog/?page=2").content.decode()


class TestConstantCost:
    @pytest.mark.parametrize("page", [1, 3])
    def test_a_deep_page_costs_what_page_one_does(
        self, client, make_post, make_tag, django_assert_num_queries, page
    ):
        tags = [make_tag("One"), make_tag("Two")]
        for _ in range(35):
            make_post(tags=tags)
        SiteSettings.load()
        with django_assert_num_queries(2):  # the page of posts, their tags
            client.get(f"/blog/?page={page}")

    @pytest.mark.parametrize("url", ["/", "/blog/", "/blog/?page=2", "/blog/tag/one/", "/feed/"])
    def test_no_list_counts_the_archive(self, client, make_post, make_tag, url):
        tag = make_tag("One")
        for _ in range(15):
            make_post(tags=[tag])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]

    def test_lists_do_not_load_post_bodies(self, client, make_post):
        make_post(body="A body only the article page needs.")
        with CaptureQueriesContext(connection) as queries:
            client.get("/blog/")
        assert not [q["sql"] for q in queries if '"blog_post"."body_html"' in q["sql"]]

    def test_the_page_of_ids_comes_from_the_ordering_index_without_sorting(self, make_post):
        for _ in range(3):
            make_post()
        ids = Post.objects.published().values("pk")[20:31]
        sql, params = ids.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A tiny table reads fastest sequentially; ask what the index allows.
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("EXPLAIN " + sql, params)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Index Only Scan" in plan and "post_published_order" in plan
                assert "Sort" not in plan
            else:
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "\n".join(row[-1] for row in cursor.fetchall())
                assert "COVERING INDEX post_published_order" in plan
                assert "TEMP B-TREE" not in plan

    def test_keep_reading_checks_each_link_not_every_published_post(
        self, client, make_post, django_assert_num_queries
    ):
        from tests.conftest import link_keep_reading

        post, target = make_post(), make_post(title="Target")
        hidden = make_post(title="Hidden draft", status=Post.Status.DRAFT)
        link_keep_reading(post, [target, hidden])
        SiteSettings.load()
        with CaptureQueriesContext(connection) as queries:
            html = client.get(post.get_absolute_url()).content.decode()
        assert "Target" in html and "Hidden draft" not in html
        (links_sql,) = [q["sql"] for q in queries if 'FROM "blog_keepreading"' in q["sql"]]
        assert "EXISTS" in links_sql.upper()


class TestGeneratePosts:
    def test_makes_published_posts_with_tags_bodies_and_search_rows(self, author):
        call_command("generate_posts", "30", stdout=None)
        posts = Post.objects.published()
        assert posts.count() == 30
        assert SearchDocument.objects.count() == 30
        for post in posts.prefetch_related("tags"):
            assert 1 <= len(post.tags.all()) <= 4
            assert post.word_count > 300 and post.reading_minutes >= 2
            assert post.published_at < timezone.now()
        for html in posts.values_list("body_html", flat=True):
            assert all(tag in html for tag in ("<h2", "<ul", "<pre", "<table"))
        assert posts.filter(body_html__contains="<ol").exists()

    def test_stored_html_is_what_rendering_the_body_gives(self, author):
        call_command("generate_posts", "5", seed=3, stdout=None)
        for post in Post.objects.all():
            rendered = render_article(post.body, lead_image=True)
            assert (post.body_html, post.toc_html) == (rendered.html, rendered.toc_html)

    def test_generated_posts_are_searchable(self, author):
        call_command("generate_posts", "40", stdout=None)
        word = Post.objects.first().description.split()[-1].rstrip(".")
        assert search_posts(word).count() >= 1

    def test_runs_add_up_without_slug_clashes(self, author):
        call_command("generate_posts", "5", stdout=None)
        call_command("generate_posts", "5", stdout=None)
        assert Post.objects.values("slug").distinct().count() == 10

    def test_starts_a_new_page_cache_version(self, author):
        content_changed()
        before = cache.get(VERSION_KEY)
        call_command("generate_posts", "2", stdout=None)
        assert cache.get(VERSION_KEY) not in (None, before)

    def test_works_on_an_empty_site(self, db):
        call_command("generate_posts", "2", stdout=None)
        assert Post.objects.count() == 2

    @pytest.mark.parametrize("count", ["0", "-5"])
    def test_refuses_a_count_below_one(self, db, count):
        with pytest.raises(CommandError):
            call_command("generate_posts", count)


class TestBenchHooks:
    def test_off_by_default(self, client, settings, db):
        assert settings.BENCH_MODE is False
        assert client.get("/_bench/fixed/").status_code == 404
        assert "X-Bench-Queries" not in client.get("/about/").headers

    def test_fixed_page_has_the_size_asked_for(self):
        request = RequestFactory().get("/_bench/fixed/", {"bytes": "40123"})
        response = bench.fixed(request)
        assert response.status_code == 200 and len(response.content) == 40123

    @pytest.mark.parametrize("raw", ["", "abc", "0", str(2 * 1024 * 1024)])
    def test_fixed_page_refuses_odd_sizes(self, raw):
        from django.http import Http404

        with pytest.raises(Http404):
            bench.fixed(RequestFactory().get("/_bench/fixed/", {"bytes": raw}))

    @pytest.mark.parametrize("raw", ["", "-1", "x", "51"])
    def test_fixed_page_refuses_odd_query_counts(self, raw):
        from django.http import Http404

        with pytest.raises(Http404):
            bench.fixed(RequestFactory().get("/_bench/fixed/", {"queries": raw}))

    def test_fixed_page_runs_the_queries_asked_for(self, db, django_assert_num_queries):
        request = RequestFactory().get("/_bench/fixed/", {"bytes": "100", "queries": "6"})
        with django_assert_num_queries(6):
            response = bench.fixed(request)
        assert len(response.content) == 100

    def test_chrome_page_renders_the_site_around_nothing_without_a_query(
        self, db, django_assert_num_queries
    ):
        from django.contrib.auth.models import AnonymousUser

        SiteSettings.load()  # cached from here on, as on a running site
        request = RequestFactory().get("/_bench/chrome/")
        request.user = AnonymousUser()
        chrome = next(p for p in bench.urlpatterns if p.name == "bench_chrome").callback
        with django_assert_num_queries(0):
            response = chrome(request).render()
        html = response.content.decode()
        assert response.status_code == 200
        assert 'class="site-header"' in html and 'class="site-footer"' in html

    def test_query_count_header(self, make_post):
        for _ in range(3):
            make_post()
        SiteSettings.load()
        middleware = bench.QueryCountMiddleware(PostIndexView.as_view())
        request = RequestFactory().get("/blog/")
        from django.contrib.auth.models import AnonymousUser

        request.user = AnonymousUser()
        response = middleware(request)
        assert response.headers["X-Bench-Queries"] == "2"
