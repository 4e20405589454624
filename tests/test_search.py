"""Site search through HTTP, on whichever database the suite runs on (SQLite or PostgreSQL)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from blog.models import Post
from pages.models import SiteSettings
from search.backends import (
    MAX_QUERY_LENGTH,
    clean_query,
    fts5_query,
    matching_documents,
    postgres_query,
    search_posts,
)
from search.models import SearchDocument
from search.templatetags.search_tags import highlight

pytestmark = pytest.mark.django_db

RESULT_TITLE = re.compile(r'<h2 class="post-card-title"><a href="([^"]+)">')


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def result_urls(html):
    return RESULT_TITLE.findall(html)


def found(query):
    return [post.slug for post in search_posts(clean_query(query))]


class TestMatching:
    def test_title_match_ranks_above_body_match(self, client, make_post):
        # The body match is newer, so only the ranking can put the title match first.
        in_body = make_post(title="Notes from a quiet week", body="We moved to Kubernetes.")
        in_title = make_post(title="Kubernetes without tears", body="A story about clusters.")
        make_post(title="Gardening", body="Tomatoes and basil.")
        assert result_urls(search(client, "kubernetes")) == [
            in_title.get_absolute_url(),
            in_body.get_absolute_url(),
        ]

    def test_description_match_ranks_above_body_match(self, make_post):
        make_post(slug="in-body", body="Latency budgets matter.")
        make_post(slug="in-description", description="On latency.", body="Nothing here.")
        assert found("latency") == ["in-description", "in-body"]

    def test_finds_other_forms_of_a_word(self, make_post):
        make_post(slug="hiring", title="Hiring engineers")
        assert found("hire") == ["hiring"]

    def test_every_word_must_match(self, make_post):
        make_post(slug="both", body="Tea and biscuits.")
        make_post(slug="one", body="Tea only.")
        assert found("tea biscuits") == ["both"]

    def test_phrases_and_exclusions(self, make_post):
        make_post(slug="phrase", body="The head of engineering said so.")
        make_post(slug="apart", body="Engineering is where the head of sales sat.")
        assert found('"head of engineering"') == ["phrase"]
        assert found("engineering -sales") == ["phrase"]

    def test_markdown_syntax_is_not_searched(self, make_post):
        make_post(slug="linked", body="Read [the guide](https://example.com/zebra-manual).")
        assert found("guide") == ["linked"]
        assert found("zebra") == []


class TestTags:
    def test_tag_names_are_searched(self, make_post, make_tag):
        make_post(slug="tagged", tags=[make_tag("Observability")])
        make_post(slug="untagged")
        assert found("observability") == ["tagged"]

    def test_renaming_a_tag_reindexes_its_posts(self, make_post, make_tag):
        tag = make_tag("Observability")
        make_post(slug="tagged", tags=[tag])
        tag.name = "Telemetry"
        tag.save()
        assert found("telemetry") == ["tagged"]
        assert found("observability") == []

    def test_deleting_a_tag_reindexes_its_posts(self, make_post, make_tag):
        tag = make_tag("Observability")
        make_post(slug="tagged", tags=[tag])
        tag.delete()
        assert found("observability") == []

    def test_tag_changes_from_either_side(self, make_post, make_tag):
        tag = make_tag("Observability")
        post = make_post(slug="tagged")
        tag.posts.add(post)
        assert found("observability") == ["tagged"]
        tag.posts.clear()
        assert found("observability") == []
        post.tags.add(tag)
        assert found("observability") == ["tagged"]
        post.tags.remove(tag)
        assert found("observability") == []


class TestIndexFollowsPosts:
    def test_edits_are_searchable_at_once(self, make_post):
        post = make_post(slug="edited", title="Before")
        post.title, post.body = "Afterwards", "Fresh words."
        post.save()
        assert found("afterwards") == ["edited"]
        assert found("fresh") == ["edited"]
        assert found("before") == []

    def test_deleted_posts_leave_the_index(self, make_post):
        post = make_post(slug="gone", title="Ephemeral")
        post.delete()
        assert found("ephemeral") == []
        assert not SearchDocument.objects.exists()
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM search_fts")
                assert cursor.fetchone() == (0,)

    def test_rebuild_command_restores_the_index(self, make_post, make_tag):
        make_post(slug="tagged", title="Resilience", tags=[make_tag("Chaos")])
        SearchDocument.objects.all().delete()
        assert found("resilience") == []
        out = StringIO()
        call_command("rebuild_search_index", stdout=out)
        assert "Indexed 1 posts." in out.getvalue()
        assert found("resilience chaos") == ["tagged"]


class TestOnlyPublishedPosts:
    def test_drafts_and_scheduled_posts_are_never_found(self, client, make_post):
        make_post(slug="draft", title="Secret zeppelin", status=Post.Status.DRAFT)
        make_post(
            slug="scheduled", title="Future zeppelin", published_at=timezone.now() + timedelta(1)
        )
        public = make_post(slug="public", title="Public zeppelin")
        html = search(client, "zeppelin")
        assert result_urls(html) == [public.get_absolute_url()]
        assert "Secret" not in html and "Future" not in html
        assert "1 result for" in html

    def test_scheduled_post_appears_when_its_time_comes(self, make_post):
        post = make_post(
            slug="scheduled", title="Future zeppelin", published_at=timezone.now() + timedelta(1)
        )
        assert found("zeppelin") == []
        Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - timedelta(1))
        assert found("zeppelin") == ["scheduled"]


class TestSnippets:
    def test_matches_are_marked(self, client, make_post):
        make_post(body="Long before the meeting, the quarterly roadmap was already late.")
        html = search(client, "roadmap")
        snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S).group(1)
        assert "<mark>roadmap</mark>" in snippet
        assert "quarterly" in snippet

    def test_post_text_cannot_inject_markup(self, client, make_post):
        make_post(
            title="Escaping <b>bold</b> titles",
            body="Quote this: `<script>alert('owned')</script>` and `<mark>fake</mark>` "
            "and a stray \ue000marker\ue001 in the alert text.",
        )
        html = search(client, "alert")
        # SQLite's snippet keeps the tag-like text (escaped); PostgreSQL's drops it.
        assert "<script>alert" not in html and "<mark>fake</mark>" not in html
        assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
        snippet = re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S).group(1)
        assert "<mark>alert</mark>" in snippet
        assert "\ue000" not in html and "<mark>marker</mark>" not in snippet

    def test_highlight_escapes_everything_but_the_marks(self):
        snippet = "<script>x</script> \ue000a&b\ue001 <mark>"
        assert highlight(snippet) == (
            "&lt;script&gt;x&lt;/script&gt; <mark>a&amp;b</mark> &lt;mark&gt;"
        )

    def test_query_is_escaped_everywhere(self, client, make_post):
        html = search(client, '<img src=x onerror="alert(1)">')
        assert "<img src=x" not in html
        assert "Search: &lt;img src=x" in html


class TestPage:
    def test_empty_query_shows_only_the_form(self, client, author, django_assert_num_queries):
        SiteSettings.load()
        with django_assert_num_queries(0):
            response = client.get("/search/")
        html = response.content.decode()
        assert response.status_code == 200
        assert "<title>Search · Alex Navarro</title>" in html
        assert 'id="search-page-q"' in html
        assert "result" not in html and "noindex" not in html
        assert html.count("<h1") == 1

    def test_whitespace_query_is_an_empty_query(self, client, author):
        html = search(client, "   \t ")
        assert "result" not in html

    def test_result_page_furniture(self, client, make_post):
        post = make_post(
            title="Pricing advice", published_at=timezone.datetime(2026, 3, 5, tzinfo=timezone.UTC)
        )
        html = search(client, "  pricing  ")
        assert "<title>Search: pricing · Alex Navarro</title>" in html
        assert '<meta name="robots" content="noindex">' in html
        assert html.count("<h1") == 1
        assert "1 result for “pricing”" in html
        assert f'<a href="{post.get_absolute_url()}">Pricing advice</a>' in html
        assert '<time datetime="2026-03-05T00:00:00+00:00">Mar 5, 2026</time>' in html
        assert 'value="pricing"' in html  # the form keeps the query

    def test_no_results(self, client, make_post):
        make_post()
        html = search(client, "xylophone")
        assert "0 results for “xylophone”" in html and "Nothing matches" in html

    def test_public_caching(self, client, make_post):
        make_post(title="Pricing")
        response = client.get("/search/", {"q": "pricing"})
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    @pytest.mark.parametrize("count", [3, 12])
    def test_query_count_is_fixed(
        self, client, make_post, make_tag, count, django_assert_num_queries
    ):
        tags = [make_tag(f"Topic {i}") for i in range(3)]
        for _ in range(count):
            make_post(title="Pricing advice", tags=tags)
        SiteSettings.load()  # cached site-wide
        with django_assert_num_queries(2):  # the count, the page of results
            html = search(client, "pricing")
        assert len(result_urls(html)) == min(count, 10)


class TestPagination:
    @pytest.fixture
    def many(self, make_post):
        for _ in range(25):
            make_post(title="Pricing advice")

    def test_ten_per_page_and_links_keep_the_query(self, client, many):
        first = search(client, "pricing")
        assert len(result_urls(first)) == 10
        assert "25 results for" in first and "Page 1 of 3" in first
        assert 'href="?q=pricing&amp;page=2" rel="next"' in first
        last = search(client, "pricing", page=3)
        assert len(result_urls(last)) == 5
        assert 'href="?q=pricing&amp;page=2" rel="prev"' in last
        assert "(page 3)" in last
        pages = [first, search(client, "pricing", page=2), last]
        urls = [url for page in pages for url in result_urls(page)]
        assert len(set(urls)) == 25

    def test_last_page(self, client, many):
        assert len(result_urls(search(client, "pricing", page="last"))) == 5

    @pytest.mark.parametrize("page", ["0", "-1", "4", "abc", "1.5", "9" * 30, "", "\x00"])
    def test_bad_page_numbers_are_404(self, client, many, page):
        if page == "":
            # An empty page parameter is the first page.
            assert len(result_urls(search(client, "pricing", page=page))) == 10
        else:
            assert client.get("/search/", {"q": "pricing", "page": page}).status_code == 404


HOSTILE_QUERIES = [
    '"',
    '""',
    '"unterminated phrase',
    'a"b"c',
    "*",
    "pricing*",
    "NEAR(pricing advice)",
    "pricing NEAR advice",
    "NEAR/2",
    "AND",
    "OR",
    "NOT",
    "pricing OR",
    "pricing AND NOT",
    "-",
    "--",
    "-pricing",
    "pricing -",
    "- - -",
    "(",
    "())",
    "^pricing",
    "title:pricing",
    "{title body}:pricing",
    "pricing:*",
    ":*",
    "!",
    "!!!???",
    "&&",
    "||",
    "<->",
    "pricing <-> advice",
    "\\",
    "%",
    "_",
    "'",
    "'; DROP TABLE blog_post; --",
    "\x00",
    "pric\x00ing",
    "\x1b[31m",
    "\ue000pricing\ue001",
    "\u202e",
    "💥",
    "naïve café",
    "日本語のテキスト",
    "مرحبا",
    "ﷺ",
    "x" * 5000,
    "pricing " * 400,
    "the",
    "a",
    "...",
    "@#$%^&*()",
]


class TestHostileQueries:
    @pytest.mark.parametrize("query", HOSTILE_QUERIES)
    def test_odd_queries_give_a_normal_page(self, client, make_post, query):
        make_post(title="Pricing advice", body="Naïve café pricing. 日本語のテキスト")
        html = search(client, query)
        assert html.count("<h1") == 1
        assert "Search:" in html or 'id="search-page-q"' in html

    def test_long_queries_are_capped(self, client, make_post):
        make_post(title="Pricing advice")
        html = search(client, "pricing " + "x" * 5000)
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert len(title) < MAX_QUERY_LENGTH + 50

    def test_phrase_search_survives_operators(self, make_post):
        make_post(slug="match", title="Pricing advice")
        for query in ["pricing*", "(pricing)", "^pricing", "'pricing'", "pricing!"]:
            assert found(query) == ["match"], query
        assert found("pric\x00ing advice") == []  # the NUL splits the word


class TestQueryCleaning:
    def test_clean_query(self):
        assert clean_query("  a\x00b\tc\n ") == "a b c"
        assert clean_query("\ue000x\ue001") == "x"
        assert clean_query(None) == ""
        assert len(clean_query("y" * 1000)) == MAX_QUERY_LENGTH

    @pytest.mark.parametrize(
        ("query", "match"),
        [
            ("pricing advice", '"pricing" AND "advice"'),
            ("NEAR(a b)", '"NEAR a" AND "b"'),
            ('"head of" sales', '"head of" AND "sales"'),
            ("tea -milk -sugar", '("tea") NOT ("milk" OR "sugar")'),
            ('say "hi', '"say" AND "hi"'),
            ("title:x^y*", '"title x y"'),
            ("-only", ""),
            ('*** "" ---', ""),
        ],
    )
    def test_fts5_query_quotes_every_term(self, query, match):
        assert fts5_query(query) == match


class TestSearchBoxes:
    def test_header_has_a_small_accessible_search_form(self, client, author):
        html = client.get("/").content.decode()
        form = re.search(r'<form class="search-form site-search".*?</form>', html, re.S).group(0)
        assert 'role="search"' in form and 'action="/search/"' in form and 'method="get"' in form
        assert '<label class="visually-hidden" for="site-search-q">' in form
        assert 'id="site-search-q" name="q"' in form

    def test_search_and_404_pages_have_one_search_box_not_two(self, client, author, settings):
        settings.DEBUG = False
        for path in ("/search/", "/no-such-page/"):
            html = client.get(path).content.decode()
            assert len(re.findall(r'role="search" aria-label="([^"]+)"', html)) == 1, path
            assert "site-search-q" not in html, path

    def test_404_page_has_a_search_form(self, client, db, settings):
        settings.DEBUG = False
        html = client.get("/no-such-page/").content.decode()
        assert 'id="not-found-q" name="q"' in html and 'action="/search/"' in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN index")
def test_postgres_searches_use_the_gin_index(make_post):
    make_post(title="Pricing advice")
    with connection.cursor() as cursor:
        # Tiny test tables are cheaper to scan; forbid that to see whether the index fits.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = matching_documents(postgres_query("pricing")).explain()
    assert "Bitmap Index Scan on search_document_vector" in plan
