"""Project-wide guards: the demo site renders cleanly, link by link."""

import gzip
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from blog.models import Post, Tag
from books.models import Book

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="(/[^"#?]*)')


@pytest.fixture
def demo_site(db):
    """The whole demo site, as `make run` loads it."""
    call_command("setup_demo", stdout=StringIO())


def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", stdout=StringIO())


def public_urls():
    urls = ["/", "/blog/", "/about/", "/books/", "/praise/", "/work-with-me/", "/search/?q=ai"]
    urls += [post.get_absolute_url() for post in Post.objects.published()]
    urls += [tag.get_absolute_url() for tag in Tag.objects.all()]
    urls += [book.get_absolute_url() for book in Book.objects.all()]
    return urls


def test_every_public_page_renders_with_exactly_one_h1(client, demo_site):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.content.decode().count("<h1") == 1, url


def test_no_internal_link_on_the_demo_site_is_broken(client, demo_site):
    seen = set()
    for url in public_urls():
        for href in HREF.findall(client.get(url).content.decode()):
            if href.startswith(("/static/", "/admin/")) or href in seen:
                continue
            seen.add(href)
            assert client.get(href).status_code == 200, f"{href} (linked from {url})"
    assert len(seen) > 10


def test_demo_content_is_complete(demo_site):
    article = Post.objects.get(slug="hiring-ai-engineers")
    assert article.faq_items.count() >= 2 and article.keep_reading_links.count() >= 2
    assert '<blockquote class="pullquote">' in article.body_html
    assert "<table" in article.body_html and 'class="highlight"' in article.body_html
    assert Post.objects.filter(status=Post.Status.DRAFT).exists()


ASSET = re.compile(r'(?:href|src)="/static/([^"]+\.(?:css|js))"')


def test_article_page_weighs_under_50_kb_compressed(client, demo_site):
    """HTML, CSS and JS of the longest demo article, gzipped as they are served."""
    article = Post.objects.published().order_by("-word_count").first()
    html = client.get(article.get_absolute_url()).content
    assets = ASSET.findall(html.decode())
    assert "css/site.css" in assets
    sizes = {"html": len(gzip.compress(html, 9))}
    for name in assets:
        sizes[name] = len(gzip.compress(Path(finders.find(name)).read_bytes(), 9))
    assert sum(sizes.values()) < 50_000, sizes
