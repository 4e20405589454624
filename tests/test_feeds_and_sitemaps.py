"""Feeds, the sitemap and robots.txt: what feed readers and crawlers are given."""

import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from blog.models import Post
from books.models import Book

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def posts(make_post, make_tag):
    tag = make_tag("Hiring")
    public = make_post(
        title="Public & <escaped>",
        body="See [the other post](/blog/post-2/) and ![a chart](/media/uploads/c.png).",
        tags=[tag],
    )
    draft = make_post(title="Secret draft", status=Post.Status.DRAFT, tags=[tag])
    future = make_post(
        title="Scheduled post", published_at=timezone.now() + timedelta(days=1), tags=[tag]
    )
    return public, draft, future


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/blog/tag/hiring/feed/", "/blog/tag/hiring/feed/atom/"]
)
def test_feeds_parse_cleanly_and_list_only_public_posts(client, posts, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["Public & <escaped>"]
    entry = feed.entries[0]
    assert entry.link == "http://testserver/blog/post-1/"
    assert entry.author == "Alex Navarro"
    assert [tag.term for tag in entry.tags] == ["Hiring"]
    content = entry.content[0].value if "content" in entry else entry.summary
    assert 'href="http://testserver/blog/post-2/"' in content
    assert 'src="http://testserver/media/uploads/c.png"' in content


def test_feed_holds_the_twenty_newest(client, make_post):
    for _ in range(25):
        make_post()
    feed = feedparser.parse(client.get("/feed/").content)
    assert len(feed.entries) == 20
    assert feed.entries[0].title == "Post number 1"  # the newest


def test_feed_query_count_is_fixed(client, make_post, make_tag, django_assert_num_queries):
    tags = [make_tag(f"T{i}") for i in range(5)]
    for _ in range(10):
        make_post(tags=tags)
    client.get("/feed/?warm-up")  # the cached site settings; not this page in the page cache
    with django_assert_num_queries(2):  # posts with authors, their tags
        client.get("/feed/")


def test_unknown_tag_feed_is_404(client, db):
    assert client.get("/blog/tag/nope/feed/").status_code == 404


def test_pages_advertise_their_feeds(client, posts):
    html = client.get("/blog/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/feed/"' in html
    assert 'href="/feed/atom/"' in html
    assert 'href="/blog/tag/hiring/feed/"' in client.get("/blog/tag/hiring/").content.decode()


def test_sitemap_lists_exactly_the_public_urls(client, posts, make_tag):
    make_tag("Empty")  # no posts: not worth a crawler's visit
    Book.objects.create(title="The book", slug="the-book")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)}
    base = "http://testserver"
    assert locations == {
        f"{base}/", f"{base}/blog/", f"{base}/books/", f"{base}/praise/", f"{base}/about/",
        f"{base}/work-with-me/", f"{base}/blog/post-1/", f"{base}/blog/tag/hiring/",
        f"{base}/books/the-book/",
    }  # fmt: skip
    lastmod = {
        url.find("s:loc", SITEMAP_NS).text: url.find("s:lastmod", SITEMAP_NS)
        for url in root.findall("s:url", SITEMAP_NS)
    }
    assert lastmod[f"{base}/blog/post-1/"].text.startswith(posts[0].updated_at.date().isoformat())


def test_robots_points_to_the_sitemap_and_keeps_out_of_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
