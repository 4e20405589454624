"""Generated link-preview cards for posts without a featured image."""

import pytest
from PIL import Image

from tests.conftest import image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_post(make_post, django_capture_on_commit_callbacks):
    """Posts saved as in production: cards are drawn once the save commits."""

    def make(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            post = make_post(**fields)
        post.refresh_from_db()
        return post

    return make


def save(post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post.save()
    post.refresh_from_db()


def card_size(post):
    with Image.open(post.social_card.path) as image:
        return image.size, image.format


def test_post_without_image_gets_a_1200x630_png_card_used_for_previews(client, make_post):
    post = make_post(title="A post worth sharing")
    assert card_size(post) == ((1200, 630), "PNG")
    html = client.get(post.get_absolute_url()).content.decode()
    card_url = f"http://testserver{post.social_card.url}"
    assert f'<meta property="og:image" content="{card_url}">' in html
    assert '<meta property="og:image:width" content="1200">' in html
    assert '<meta property="og:image:height" content="630">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_card_is_redrawn_when_the_title_changes_and_kept_otherwise(
    make_post, media_root, django_capture_on_commit_callbacks
):
    post = make_post(title="First title")
    first = post.social_card.name
    post.body = "A new body does not change the card."
    save(post, django_capture_on_commit_callbacks)
    assert post.social_card.name == first
    post.title = "Second title"
    save(post, django_capture_on_commit_callbacks)
    assert post.social_card.name != first
    cards = list((media_root / "cards").iterdir())
    assert [card.name for card in cards] == [post.social_card.name.split("/")[-1]]


def test_posts_with_a_featured_image_use_it_instead(client, make_post):
    post = make_post(featured_image=image_upload(size=(800, 400)), featured_image_alt="A chart")
    assert not post.social_card
    html = client.get(post.get_absolute_url()).content.decode()
    assert f"{post.featured_image.url}" in html
    assert '<meta property="og:image:alt" content="A chart">' in html
    assert '<meta property="og:image:width" content="800">' in html
    assert 'width="800" height="400"' in html  # the stored size, not read from the file


def test_very_long_titles_still_fit(make_post):
    post = make_post(title=("An extremely long title " * 12)[:200], description="word " * 60)
    assert card_size(post) == ((1200, 630), "PNG")


def test_no_card_is_drawn_for_a_save_that_rolls_back(
    make_post, media_root, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from blog.models import Post

    author = make_post().author
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Post.objects.create(title="Never saved", slug="never", body="x", author=author)
        raise RuntimeError
    assert callbacks == []
    assert not any(card.name.startswith("never-") for card in (media_root / "cards").iterdir())
