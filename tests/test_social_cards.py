"""Link-preview cards for posts without a featured image.

A card's address names what it shows (title, summary, author's initials, site name), so
each of those changes gives the article a new card on its next request; the image is
drawn on its first request and kept.
"""

import io
import re

import pytest
from PIL import Image

from blog.share_cards import card_fingerprint
from pages.models import SiteSettings
from tests.conftest import image_upload

pytestmark = pytest.mark.django_db

OG_IMAGE = re.compile(r'<meta property="og:image" content="http://testserver([^"]+)">')


def card_url(client, post):
    html = client.get(post.get_absolute_url()).content.decode()
    return OG_IMAGE.search(html)[1]


def test_post_without_image_gets_a_1200x630_png_card_used_for_previews(client, make_post):
    post = make_post(title="A post worth sharing")
    html = client.get(post.get_absolute_url()).content.decode()
    url = OG_IMAGE.search(html)[1]
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "immutable" in response["Cache-Control"]
    with Image.open(io.BytesIO(response.content)) as image:
        assert (image.size, image.format) == ((1200, 630), "PNG")


def test_a_card_is_drawn_once_then_served_from_storage(client, make_post, media_root):
    post = make_post()
    url = card_url(client, post)
    first = client.get(url).content
    stored = list((media_root / "cards").iterdir())
    assert [path.read_bytes() for path in stored] == [first]
    assert client.get(url).content == first
    assert list((media_root / "cards").iterdir()) == stored


def test_renaming_the_site_changes_every_card_on_the_next_request(client, make_post):
    posts = [make_post(), make_post()]
    before = [card_url(client, post) for post in posts]
    site = SiteSettings.objects.get()
    site.site_name = "Navarro Advisory"
    site.save()
    after = [card_url(client, post) for post in posts]
    for post, old, new in zip(posts, before, after, strict=True):
        assert old != new
        assert card_fingerprint(post, "Navarro Advisory") in new
        assert client.get(old).status_code == 404  # no longer what the post shows
        assert client.get(new).status_code == 200


def test_renaming_the_author_changes_the_card(client, make_post):
    post = make_post()
    before = card_url(client, post)
    post.author.name = "Sam Rivera"  # new initials on the card
    post.author.save()
    assert card_url(client, post) != before


def test_retitling_the_post_changes_the_card_and_a_body_edit_does_not(client, make_post):
    post = make_post(title="First title")
    first = card_url(client, post)
    post.body = "A new body does not change the card."
    post.save()
    assert card_url(client, post) == first
    post.title = "Second title"
    post.save()
    assert card_url(client, post) != first


def test_only_the_current_fingerprint_is_drawn(client, make_post, media_root):
    post = make_post()
    response = client.get(f"/blog/{post.slug}/card-0123456789ab.png")
    assert response.status_code == 404
    assert not (media_root / "cards").exists()


def test_drafts_have_no_public_card(client, make_post):
    post = make_post(status="draft", published_at=None)
    url = f"/blog/{post.slug}/card-{card_fingerprint(post, SiteSettings.load().site_name)}.png"
    assert client.get(url).status_code == 404


def test_posts_with_a_featured_image_use_it_instead(client, make_post):
    post = make_post(featured_image=image_upload(size=(800, 400)), featured_image_alt="A chart")
    html = client.get(post.get_absolute_url()).content.decode()
    assert f'content="http://testserver{post.featured_image.url}"' in html
    assert "/card-" not in html
    assert '<meta property="og:image:alt" content="A chart">' in html
    assert '<meta property="og:image:width" content="800">' in html
    assert 'width="800" height="400"' in html  # the stored size, not read from the file


def test_very_long_titles_still_fit(client, make_post):
    post = make_post(title=("An extremely long title " * 12)[:200], description="word " * 60)
    with Image.open(io.BytesIO(client.get(card_url(client, post)).content)) as image:
        assert image.size == (1200, 630)
