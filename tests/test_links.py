"""Links never break: renamed posts, tags and books redirect; post:/book: links follow them."""

import pytest

from blog.models import FAQItem, Post
from books.models import Book

pytestmark = pytest.mark.django_db


def rename(obj, slug):
    obj.slug = slug
    obj.save()
    return obj


def test_renamed_post_answers_301_from_every_old_address(client, make_post):
    post = make_post(slug="first-name")
    rename(post, "second-name")
    rename(post, "third-name")
    for old in ["first-name", "second-name"]:
        response = client.get(f"/blog/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/blog/third-name/"  # one hop, however many renames
    assert client.get("/blog/third-name/").status_code == 200


def test_renaming_back_makes_the_slug_live_again(client, make_post):
    post = make_post(slug="original")
    rename(post, "renamed")
    rename(post, "original")
    assert client.get("/blog/original/").status_code == 200
    assert client.get("/blog/renamed/")["Location"] == "/blog/original/"


def test_a_new_post_may_take_a_retired_slug(client, make_post):
    rename(make_post(slug="taken"), "moved")
    newcomer = make_post(slug="taken", title="The newcomer")
    response = client.get("/blog/taken/")
    assert response.status_code == 200 and "The newcomer" in response.content.decode()
    assert newcomer.slug == "taken"


def test_renamed_draft_does_not_reveal_its_new_address(client, make_post):
    draft = make_post(slug="draft-one", status=Post.Status.DRAFT)
    rename(draft, "draft-two")
    assert client.get("/blog/draft-one/").status_code == 404


def test_renamed_tag_and_book_redirect(client, make_post, make_tag):
    tag = make_tag("Hiring")
    make_post(tags=[tag])
    rename(tag, "recruiting")
    assert client.get("/blog/tag/hiring/")["Location"] == "/blog/tag/recruiting/"
    book = Book.objects.create(title="A book", slug="a-book")
    rename(book, "the-book")
    assert client.get("/books/a-book/")["Location"] == "/books/the-book/"


def test_unknown_slugs_are_still_404(client, db):
    for url in ["/blog/nothing-here/", "/blog/tag/nothing/", "/books/nothing/"]:
        assert client.get(url).status_code == 404


def test_internal_links_resolve_to_the_current_address(client, make_post):
    target = make_post(slug="target-post")
    Book.objects.create(title="A book", slug="a-book")
    source = make_post(body="Read [this](post:target-post) and [the book](book:a-book).")
    assert '<a href="/blog/target-post/">this</a>' in source.body_html
    assert '<a href="/books/a-book/">the book</a>' in source.body_html

    rename(target, "target-renamed")
    source.save()  # re-rendered, e.g. on the next edit
    assert '<a href="/blog/target-renamed/">this</a>' in source.body_html
    html = client.get(source.get_absolute_url()).content.decode()
    assert 'href="/blog/target-renamed/"' in html


def test_renaming_updates_stored_links_without_another_edit(
    client, make_post, django_capture_on_commit_callbacks
):
    target = make_post(slug="target-post")
    book = Book.objects.create(title="A book", slug="a-book")
    source = make_post(body="Read [this](post:target-post) and [the book](book:a-book).")
    FAQItem.objects.create(post=source, question="Where?", answer="See [the book](book:a-book).")

    with django_capture_on_commit_callbacks(execute=True):
        rename(target, "target-renamed")
        rename(book, "the-book")

    source.refresh_from_db()
    assert 'href="/blog/target-renamed/"' in source.body_html
    assert 'href="/books/the-book/"' in source.body_html
    assert 'href="/books/the-book/"' in source.faq_items.get().answer_html
    html = client.get(source.get_absolute_url()).content.decode()
    assert "/blog/target-post/" not in html and "/books/a-book/" not in html


def test_a_link_to_a_missing_post_keeps_its_address(make_post):
    source = make_post(body="[gone](post:no-such-post)")
    assert '<a href="/blog/no-such-post/">gone</a>' in source.body_html
