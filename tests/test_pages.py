"""Reader pages through HTTP: what each page shows, who may see drafts, and what it costs."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from blog.models import Post
from pages.models import SiteSettings
from tests.conftest import add_faq, link_keep_reading

pytestmark = pytest.mark.django_db


def json_ld(response):
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def by_type(graph, kind):
    return next(node for node in graph["@graph"] if node["@type"] == kind)


class TestArticle:
    def test_has_every_element_of_the_reference_page(self, client, make_post, make_tag):
        older = make_post(
            title="The older one", published_at=timezone.datetime(2026, 3, 1, tzinfo=timezone.UTC)
        )
        related = make_post(title="A related read", description="Why it matters.")
        post = make_post(
            title="Hiring AI engineers",
            description="The lede.",
            body="## Section\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n> Quote\n> {: .pullquote }",
            published_at=timezone.datetime(2026, 4, 24, 9, tzinfo=timezone.UTC),
            tags=[make_tag("Hiring")],
        )
        add_faq(post, 2)
        link_keep_reading(post, [related])

        response = client.get(f"/blog/{post.slug}/")
        html = response.content.decode()

        assert response.status_code == 200
        assert html.count("<h1") == 1 and ">Hiring AI engineers</h1>" in html
        assert '<span class="brand-mark" aria-hidden="true">AN</span>' in html
        for nav in ["Blog", "Books", "Praise", "About"]:
            assert f">{nav}</a>" in html
        assert "Work with me" in html
        assert "Back to the blog" in html
        published = '<time class="dt-published" datetime="2026-04-24T09:00:00+00:00">'
        assert f"{published}Apr 24, 2026</time> · 1 min" in html
        assert '<p class="lede p-summary">The lede.</p>' in html
        assert '<blockquote class="pullquote">' in html and '<th scope="col">A</th>' in html
        assert "Frequently asked questions" in html and "Question 1?" in html
        assert "linkedin.com/sharing" in html and "x.com/intent/post" in html and "mailto:?" in html
        assert "Copy link" in html
        assert f'href="{older.get_absolute_url()}"' in html  # Next: the next older post
        assert "Keep reading" in html and "A related read" in html and "Why it matters." in html
        assert "View all blogs" in html
        assert '<meta name="description" content="The lede.">' in html
        assert f'<link rel="canonical" href="http://testserver/blog/{post.slug}/">' in html
        assert '<meta property="og:type" content="article">' in html
        assert f"?from={post.slug}" in html  # the call to action says which article sent the lead

    def test_structured_data(self, client, make_post, make_tag):
        post = make_post(title="Title with </script> in it", tags=[make_tag("Hiring")])
        add_faq(post, 2)
        post.refresh_from_db()  # the FAQ recounted its reading time (blog.signals)
        response = client.get(post.get_absolute_url())
        assert (
            "</script> in it" not in response.content.decode().split("</h1>")[0].split("ld+json")[1]
        )
        graph = json_ld(response)
        posting = by_type(graph, "BlogPosting")
        assert posting["headline"] == "Title with </script> in it"
        person = by_type(graph, "Person")
        assert posting["author"] == {"@id": person["@id"]}
        assert person["name"] == "Alex Navarro" and person["jobTitle"] == "Advisor"
        website = by_type(graph, "WebSite")
        assert posting["isPartOf"] == {"@id": website["@id"]}
        assert posting["mainEntityOfPage"]["@id"] == posting["url"]
        for key in ["headline", "description", "datePublished", "dateModified", "wordCount"]:
            assert posting[key], key
        assert posting["keywords"] == ["Hiring"]
        assert posting["timeRequired"] == f"PT{post.reading_minutes}M"
        assert posting["wordCount"] == post.word_count
        crumbs = by_type(graph, "BreadcrumbList")["itemListElement"]
        assert [c["name"] for c in crumbs] == ["Blog", post.title]
        faq = by_type(graph, "FAQPage")["mainEntity"]
        assert [q["name"] for q in faq] == ["Question 0?", "Question 1?"]
        assert faq[1]["acceptedAnswer"]["text"] == "Answer 1."

    def test_author_person_lists_profiles_as_same_as(self, client, author, make_post):
        author.website = "https://alex.example.com"
        author.save()
        author.links.create(label="GitHub", url="https://github.com/example", position=0)
        graph = json_ld(client.get(make_post().get_absolute_url()))
        assert by_type(graph, "Person")["sameAs"] == [
            "https://alex.example.com",
            "https://github.com/example",
        ]

    def test_no_faq_page_without_faq_items(self, client, make_post):
        graph = json_ld(client.get(make_post().get_absolute_url()))
        assert "FAQPage" not in [node["@type"] for node in graph["@graph"]]

    def test_public_article_is_cacheable(self, client, make_post):
        response = client.get(make_post().get_absolute_url())
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    def test_missing_post_is_404(self, client, db):
        assert client.get("/blog/no-such-post/").status_code == 404

    @pytest.mark.parametrize("count", [1, 8])
    def test_query_count_does_not_grow_with_tags_faq_or_keep_reading(
        self, client, make_post, make_tag, django_assert_num_queries, count
    ):
        post = make_post(tags=[make_tag(f"Tag {i}") for i in range(count)])
        add_faq(post, count)
        link_keep_reading(post, [make_post() for _ in range(count)])
        SiteSettings.load()  # cached site-wide; its cost is tested in tests/test_site.py
        # post, tags, author links, FAQ items, keep-reading links with their posts, next post
        with django_assert_num_queries(6):
            assert client.get(post.get_absolute_url()).status_code == 200


class TestDrafts:
    @pytest.fixture
    def hidden_posts(self, make_post):
        draft = make_post(title="Secret draft", status=Post.Status.DRAFT)
        scheduled = make_post(
            title="Scheduled post", published_at=timezone.now() + timedelta(hours=1)
        )
        return draft, scheduled

    def test_drafts_and_future_posts_are_404_for_readers(self, client, hidden_posts):
        for post in hidden_posts:
            assert client.get(post.get_absolute_url()).status_code == 404

    def test_drafts_appear_nowhere_public(self, client, make_post, make_tag, hidden_posts):
        tag = make_tag("Hiring")
        for post in hidden_posts:
            post.tags.add(tag)
        public = make_post(title="Public post", tags=[tag])
        link_keep_reading(public, hidden_posts)
        pages = ["/", "/blog/", f"/blog/tag/{tag.slug}/", public.get_absolute_url()]
        for url in pages:
            html = client.get(url).content.decode()
            assert "Secret draft" not in html and "Scheduled post" not in html, url

    def test_next_link_skips_hidden_posts(self, client, make_post, hidden_posts):
        newest = make_post(published_at=timezone.now() - timedelta(minutes=1))
        draft, _ = hidden_posts
        draft.published_at = timezone.now() - timedelta(minutes=2)  # dated, still a draft
        draft.save()
        html = client.get(newest.get_absolute_url()).content.decode()
        assert 'aria-label="Next post"' not in html

    def test_staff_see_drafts_with_banner_noindex_and_no_cache(self, staff_client, hidden_posts):
        draft, scheduled = hidden_posts
        response = staff_client.get(draft.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "<strong>Draft</strong>" in html
        assert '<meta name="robots" content="noindex, nofollow">' in html
        assert response["X-Robots-Tag"] == "noindex"
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert (
            "<strong>Scheduled</strong>"
            in staff_client.get(scheduled.get_absolute_url()).content.decode()
        )

    def test_staff_views_of_public_pages_are_not_publicly_cached(self, staff_client, make_post):
        response = staff_client.get(make_post().get_absolute_url())
        assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


class TestIndex:
    def test_lists_newest_first_with_details(self, client, make_post, make_tag):
        make_post(title="Older", published_at=timezone.now() - timedelta(days=5))
        make_post(
            title="Newer",
            description="Fresh lede.",
            tags=[make_tag("Leadership")],
            published_at=timezone.now() - timedelta(days=1),
        )
        html = client.get("/blog/").content.decode()
        assert html.index("Newer") < html.index("Older")
        assert "Fresh lede." in html and "Leadership" in html and " min" in html

    def test_paginates_by_ten(self, client, make_post):
        for _ in range(12):
            make_post()
        first = client.get("/blog/")
        assert first.content.decode().count('class="post-card"') == 10
        assert 'rel="next"' in first.content.decode()
        second = client.get("/blog/?page=2")
        assert second.content.decode().count('class="post-card"') == 2

    @pytest.mark.parametrize("page", ["abc", "99", "-1", "0", "1.5", "9" * 50])
    def test_bad_page_numbers_are_404(self, client, make_post, page):
        make_post()
        assert client.get(f"/blog/?page={page}").status_code == 404

    @pytest.mark.parametrize("posts", [3, 10])
    def test_query_count_is_fixed(
        self, client, make_post, make_tag, django_assert_num_queries, posts
    ):
        tags = [make_tag("One"), make_tag("Two")]
        for _ in range(posts):
            make_post(tags=tags)
        SiteSettings.load()
        # the page of posts with authors (no count: blog.pagination), their tags
        with django_assert_num_queries(2):
            client.get("/blog/")

    def test_tag_page(self, client, make_post, make_tag, django_assert_num_queries):
        tag, other = make_tag("Hiring"), make_tag("Other")
        make_post(title="Tagged", tags=[tag])
        make_post(title="Untagged", tags=[other])
        SiteSettings.load()
        with django_assert_num_queries(3):  # tag, posts, their tags
            html = client.get(f"/blog/tag/{tag.slug}/").content.decode()
        assert "Tagged" in html and "Untagged" not in html
        assert client.get("/blog/tag/unknown/").status_code == 404


class TestSitePages:
    @pytest.mark.parametrize("url", ["/", "/about/", "/books/", "/praise/", "/work-with-me/"])
    def test_renders_with_one_h1(self, client, make_post, url):
        make_post()
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1

    def test_home_shows_latest_posts_and_about_shows_bio(self, client, author, make_post):
        author.bio = "I help **teams** hire."
        author.save()
        make_post(title="Latest thinking")
        assert "Latest thinking" in client.get("/").content.decode()
        assert "<strong>teams</strong>" in client.get("/about/").content.decode()

    def test_friendly_404(self, client, db, settings):
        settings.DEBUG = False
        response = client.get("/definitely/not/here/")
        assert response.status_code == 404
        assert "This page isn" in response.content.decode()


class TestSearchAndSharingOverrides:
    def test_meta_description_override_and_cross_post_canonical(self, client, make_post):
        post = make_post(
            description="The lede.",
            meta_description="Short search text.",
            canonical_url="https://original.example.com/essay/",
        )
        html = client.get(post.get_absolute_url()).content.decode()
        assert '<meta name="description" content="Short search text.">' in html
        assert '<meta property="og:description" content="Short search text.">' in html
        assert '<p class="lede p-summary">The lede.</p>' in html
        assert '<link rel="canonical" href="https://original.example.com/essay/">' in html
        # Sharing and the permalink still point at this page.
        assert "url=http%3A%2F%2Ftestserver%2Fblog%2F" in html

    def test_without_overrides_the_lede_and_own_address_are_used(self, client, make_post):
        post = make_post(description="The lede.")
        html = client.get(post.get_absolute_url()).content.decode()
        assert '<meta name="description" content="The lede.">' in html
        assert f'<link rel="canonical" href="http://testserver{post.get_absolute_url()}">' in html
