"""Error pages and machine-readable article markup."""

import mf2py
import pytest
from django.test import Client
from django.urls import path

from tests.conftest import add_faq

pytestmark = pytest.mark.django_db


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]


def test_404_suggests_the_closest_posts(client, make_post, settings):
    settings.DEBUG = False
    make_post(title="Hiring AI engineers", slug="hiring-ai-engineers")
    make_post(title="Unrelated", slug="gardening-tips")
    response = client.get("/blog/hiring-ai-engineer/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "This page isn" in html and html.count("<h1") == 1
    assert 'href="/blog/hiring-ai-engineers/"' in html
    assert "gardening-tips" not in html
    assert "no-cache" in response["Cache-Control"]
    assert html.count('role="search"') == 1  # the page's own box, not also the header's


def test_404_for_odd_paths_is_still_a_404(client, db, settings):
    settings.DEBUG = False
    for url in ["/" + "x" * 3000 + "/", "/blog/%00/", "/blog/ü-ñ/", "/blog//"]:
        assert client.get(url).status_code == 404, url


def test_500_page_in_the_site_style(db, settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_article_is_an_h_entry_with_an_h_card_author(client, make_post, make_tag):
    post = make_post(
        title="Readable by IndieWeb", description="The lede.", tags=[make_tag("Hiring")]
    )
    add_faq(post, 1)
    html = client.get(post.get_absolute_url()).content.decode()
    parsed = mf2py.parse(doc=html, url="http://testserver" + post.get_absolute_url())
    entry = next(item for item in parsed["items"] if "h-entry" in item["type"])
    props = entry["properties"]
    assert props["name"] == ["Readable by IndieWeb"]
    assert props["summary"] == ["The lede."]
    assert props["published"][0].startswith(post.published_at.date().isoformat())
    assert props["category"] == ["Hiring"]
    assert props["url"] == ["http://testserver" + post.get_absolute_url()]
    assert "Body of post" in props["content"][0]["value"]
    author = props["author"][0]
    assert "h-card" in author["type"] and author["properties"]["name"] == ["Alex Navarro"]


def test_article_social_meta(client, make_post):
    html = client.get(make_post(title="Shared title").get_absolute_url()).content.decode()
    assert '<meta name="twitter:title" content="Shared title">' in html
    assert '<meta property="og:title" content="Shared title">' in html
