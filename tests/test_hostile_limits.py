"""Size limits: enforced by the models, shown by the admin as a message on the field, and a
request too large to read at all gets a 400 page that says so (not a 500)."""

import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client

from blog.models import FAQItem, Post
from core.limits import (
    FAQ_ANSWER_MAX_CHARS,
    PAGE_TEXT_MAX_CHARS,
    POST_BODY_MAX_CHARS,
    QUOTE_MAX_CHARS,
)
from tests.test_admin import post_form

pytestmark = pytest.mark.django_db


def field_errors(response, field):
    soup = BeautifulSoup(response.content, "html5lib")
    errors = soup.find(id=f"id_{field}_error")
    return errors.get_text(" ", strip=True) if errors else ""


def test_the_model_refuses_a_body_over_the_limit(make_post):
    post = make_post()
    post.body = "x" * (POST_BODY_MAX_CHARS + 1)
    with pytest.raises(ValidationError) as excinfo:
        post.full_clean()
    assert excinfo.value.message_dict["body"] == [
        "This is 200,001 characters long; the limit is 200,000. "
        "Split it into a series of posts, or move long listings to a linked page."
    ]


def test_a_body_at_the_limit_is_fine(make_post):
    post = make_post(body="x" * POST_BODY_MAX_CHARS)
    post.full_clean()


def test_the_admin_shows_the_body_limit_on_the_field(staff_client, author):
    data = post_form(author, body="word " * 40_001)
    response = staff_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 200
    assert "the limit is 200,000" in field_errors(response, "body")
    assert not Post.objects.exists()


def test_the_admin_shows_the_faq_answer_limit(staff_client, author):
    data = post_form(author, **{"faq_items-0-answer": "a" * (FAQ_ANSWER_MAX_CHARS + 1)})
    response = staff_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 200
    assert "the limit is 10,000" in response.content.decode()
    assert not Post.objects.exists() and not FAQItem.objects.exists()


def test_the_admin_shows_the_bio_limit(staff_client):
    response = staff_client.post(
        "/admin/blog/author/add/",
        {
            "name": "Sam",
            "slug": "sam",
            "bio": "b" * 10_001,
            "links-TOTAL_FORMS": "0",
            "links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "the limit is 10,000" in field_errors(response, "bio")


def test_a_request_too_large_to_read_gets_a_friendly_400(staff_client, author, settings):
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB): Django refuses to read it at all.
    data = post_form(author, body="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10))
    staff_client.raise_request_exception = False
    response = staff_client.post("/admin/blog/post/add/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "too much to send at once" in html and "5 MB" in html
    assert not Post.objects.exists()


def test_too_many_fields_gets_the_same_page(author, settings):
    client = Client(raise_request_exception=False)
    fields = {f"f{i}": "x" for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post("/work-with-me/", fields)
    assert response.status_code == 400
    assert b"too much to send at once" in response.content


def test_another_bad_request_gets_a_plain_400_page(client):
    # A host header the site does not serve: DisallowedHost is a 400 too.
    response = Client(raise_request_exception=False).get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert b"could not understand that request" in response.content


@pytest.mark.parametrize(
    ("model_path", "field", "limit"),
    [
        ("books.Book", "description", PAGE_TEXT_MAX_CHARS),
        ("pages.SiteSettings", "introduction", PAGE_TEXT_MAX_CHARS),
        ("pages.SiteSettings", "offer", PAGE_TEXT_MAX_CHARS),
        ("pages.Service", "summary", PAGE_TEXT_MAX_CHARS),
        ("praise.Testimonial", "quote", QUOTE_MAX_CHARS),
    ],
)
def test_every_other_markdown_text_has_a_limit(model_path, field, limit):
    model = apps.get_model(model_path)
    validators = model._meta.get_field(field).validators
    with pytest.raises(ValidationError, match=f"the limit is {limit:,}"):
        for validator in validators:
            validator("x" * (limit + 1))
    for validator in validators:
        validator("x" * limit)
