"""Keep-reading links in the post form: the database's rules told beside the row, and a
picker that finds titles (issue 16, bugs 1 and 3)."""

import json

import pytest

from blog.models import KeepReading, Post
from tests.test_admin import post_form

pytestmark = pytest.mark.django_db


def with_links(author, targets, initial=(), **overrides):
    """The add or change form with keep-reading rows: ``initial`` are (pk, target) rows."""
    data = post_form(author, **overrides)
    rows = [(pk, target) for pk, target in initial] + [(None, target) for target in targets]
    data["keep_reading_links-TOTAL_FORMS"] = str(len(rows))
    data["keep_reading_links-INITIAL_FORMS"] = str(len(initial))
    for i, (pk, target) in enumerate(rows):
        data[f"keep_reading_links-{i}-target"] = str(target.pk)
        data[f"keep_reading_links-{i}-position"] = str(i)
        if pk:
            data[f"keep_reading_links-{i}-id"] = str(pk)
    return data


def errors_of(response):
    formset = next(
        f for f in response.context["inline_admin_formsets"] if f.formset.prefix.startswith("keep")
    )
    return [form.errors.get("target") for form in formset.formset.forms]


def test_the_same_post_twice_is_told_beside_the_second_row(staff_client, author, make_post):
    other = make_post(title="Build vs buy")
    data = with_links(author, [other, other], title="My new post with words")
    response = staff_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 200
    errors = errors_of(response)
    assert errors[0] is None
    assert "“Build vs buy” is already in this list" in errors[1][0]
    # Nothing was saved, and nothing typed is lost: the form comes back as posted.
    assert not Post.objects.filter(title="My new post with words").exists()
    assert 'value="My new post with words"' in response.content.decode()


def test_a_post_already_linked_added_again_is_told(staff_client, author, make_post):
    post, other = make_post(), make_post(title="Already there")
    link = KeepReading.objects.create(post=post, target=other)
    data = with_links(author, [other], initial=[(link.pk, other)], title=post.title, slug=post.slug)
    response = staff_client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 200
    assert "already in this list" in errors_of(response)[1][0]
    assert post.keep_reading_links.count() == 1


def test_a_post_linking_to_itself_is_told_in_plain_words(staff_client, author, make_post):
    post = make_post()
    data = with_links(author, [post], title=post.title, slug=post.slug)
    response = staff_client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A post cannot be its own keep-reading link." in html
    assert "violated" not in html
    assert not post.keep_reading_links.exists()


def test_removing_a_link_and_adding_it_back_in_one_save_works(staff_client, author, make_post):
    post, other = make_post(), make_post()
    link = KeepReading.objects.create(post=post, target=other)
    data = with_links(author, [other], initial=[(link.pk, other)], title=post.title, slug=post.slug)
    data["keep_reading_links-0-DELETE"] = "on"
    response = staff_client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302, errors_of(response)
    assert list(post.keep_reading_links.curated().values_list("target", flat=True)) == [other.pk]


def test_a_curated_link_may_repeat_a_suggestion(staff_client, author, make_post):
    post, other = make_post(), make_post()
    KeepReading.objects.create(post=post, target=other, suggested=True)
    data = with_links(author, [other], title=post.title, slug=post.slug)
    response = staff_client.post(f"/admin/blog/post/{post.pk}/change/", data)
    assert response.status_code == 302


def picker(client, term, referer=""):
    response = client.get(
        "/admin/autocomplete/",
        {"term": term, "app_label": "blog", "model_name": "keepreading", "field_name": "target"},
        HTTP_REFERER=referer,
    )
    assert response.status_code == 200
    return [row["text"] for row in json.loads(response.content)["results"]]


def test_the_picker_finds_titles_starting_with_the_words_first(staff_client, make_post):
    make_post(title="Hiring: build vs buy in year one", body="Nothing here.")
    make_post(title="Build vs buy", body="Nothing here.")
    make_post(title="Unrelated", body="Build vs buy appears only in this body.")
    assert picker(staff_client, "Build vs") == ["Build vs buy", "Hiring: build vs buy in year one"]


def test_the_picker_leaves_out_the_post_being_edited(staff_client, make_post):
    editing, other = make_post(title="Build vs buy"), make_post(title="Build a team")
    referer = f"http://testserver/admin/blog/post/{editing.pk}/change/"
    assert picker(staff_client, "Build", referer) == [other.title]
    # Elsewhere (the Post list's own search) bodies are still searched.
    listing = staff_client.get("/admin/blog/post/", {"q": "Body of post"})
    assert "Build vs buy" in listing.content.decode()
