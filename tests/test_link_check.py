"""The admin reports links inside posts that lead nowhere."""

import pytest
from django.test import Client

from blog.models import Post
from books.models import Book

pytestmark = pytest.mark.django_db


@pytest.fixture
def linking_post(make_post):
    make_post(slug="live-post")
    make_post(slug="draft-post", status=Post.Status.DRAFT)
    renamed = make_post(slug="old-name")
    renamed.slug = "new-name"
    renamed.save()
    Book.objects.create(title="A book", slug="a-book")
    return make_post(
        title="The linking post",
        body=(
            "[ok](post:live-post) [draft](post:draft-post) [gone](post:no-such-post) "
            "[renamed](/blog/old-name/) [book](book:a-book) [no book](/books/missing/) "
            "[tag](/blog/tag/anything/)"
        ),
    )


def test_report_lists_exactly_the_dead_links(staff_client, linking_post):
    response = staff_client.get("/admin/blog/post/broken-links/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The linking post" in html
    assert "/blog/draft-post/: no published post" in html
    assert "/blog/no-such-post/: no published post" in html
    assert "/books/missing/: no published book" in html
    for fine in ["/blog/live-post/:", "/blog/old-name/:", "/books/a-book/:", "/blog/tag/anything/"]:
        assert fine not in html


def test_report_is_linked_from_the_post_list_and_staff_only(staff_client, db):
    changelist = staff_client.get("/admin/blog/post/").content.decode()
    assert "/admin/blog/post/broken-links/" in changelist
    anonymous = Client()
    assert anonymous.get("/admin/blog/post/broken-links/").status_code == 302  # to the login


def test_post_form_shows_its_own_link_problems_once(staff_client, linking_post, make_post):
    # In "Before you publish" only: a second panel listed the same link again, under its
    # address (/blog/slug/) after the first had named it as written (post:slug).
    html = staff_client.get(f"/admin/blog/post/{linking_post.pk}/change/").content.decode()
    assert html.count("post:no-such-post: no published post has this address") == 1
    assert "/blog/no-such-post/" not in html
    clean = make_post(body="[ok](post:live-post)")
    html = staff_client.get(f"/admin/blog/post/{clean.pk}/change/").content.decode()
    assert "no published post has this address" not in html


def test_report_with_no_problems(staff_client, make_post):
    make_post(body="No links at all.")
    html = staff_client.get("/admin/blog/post/broken-links/").content.decode()
    assert "Every link to a post or book on this site works." in html
