"""The post editor's page preview (blog/admin/preview.py): who may ask, what it answers,
and that its body is the published page's, byte for byte."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from blog.admin.preview import NOT_MARKDOWNX
from blog.models import FAQItem, Post
from core.limits import FAQ_ANSWER_MAX_CHARS, POST_BODY_MAX_CHARS

URL = "/admin/blog/post/preview/"

# Headings, a table, a footnote, an image and code: what the preview must draw as the page does.
BODY = """Opening paragraph with a note.[^why]

## First section

| Stage | Share |
|:--|--:|
| Screen | 40% |
| Offer | 5% |

![A chart of the pipeline](/media/uploads/chart.png "Where candidates drop out | Source: us")

### A smaller heading

```python
def hello():
    return "world"
```

## Second section

A [link to another post](post:some-post) and a list:

- one
- two

[^why]: Because it matters.
"""

BODY_CONTAINER = re.compile(r'<div class="prose e-content">\n      (.*?)\n    </div>', re.S)


def body_of(html):
    """The article body container's inner HTML, as the article include writes it."""
    return BODY_CONTAINER.search(html)[1]


def form_fields(saved, **changes):
    fields = {
        "title": saved.title,
        "description": saved.description,
        "body": saved.body,
        "author": str(saved.author_id or ""),
        "show_toc": "on" if saved.show_toc else "",
        "post": str(saved.pk or ""),
        "faq_items-TOTAL_FORMS": "0",
    }
    return {**fields, **changes}


def faq_fields(*items):
    fields = {"faq_items-TOTAL_FORMS": str(len(items))}
    for index, (question, answer) in enumerate(items):
        fields |= {
            f"faq_items-{index}-question": question,
            f"faq_items-{index}-answer": answer,
            f"faq_items-{index}-position": str(index),
        }
    return fields


@pytest.fixture
def post(make_post):
    return make_post(title="Preview me", slug="preview-me", body=BODY, show_toc=True)


class TestWhoMayAsk:
    def test_anonymous_is_sent_to_sign_in(self, client, post):
        response = client.post(URL, form_fields(post))
        assert response.status_code == 302
        assert "/login/" in response["Location"]

    def test_staff_without_post_permissions_is_refused(self, client, django_user_model, post):
        user = django_user_model.objects.create_user("clerk", password="pw-123456!", is_staff=True)
        client.force_login(user)
        assert client.post(URL, form_fields(post)).status_code == 403

    def test_an_author_may(self, client, django_user_model, post):
        user = django_user_model.objects.create_user("writer", password="pw-123456!", is_staff=True)
        user.groups.add(Group.objects.get(name="Author"))
        client.force_login(user)
        assert client.post(URL, form_fields(post)).status_code == 200

    def test_get_is_not_allowed(self, staff_client):
        assert staff_client.get(URL).status_code == 405

    def test_csrf_is_checked(self, django_user_model, post):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(
            django_user_model.objects.create_superuser("boss", "b@example.com", "pw-123456!")
        )
        assert client.post(URL, form_fields(post)).status_code == 403

    def test_never_cached(self, staff_client, post):
        response = staff_client.post(URL, form_fields(post))
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


class TestTheAnswer:
    def test_the_body_is_the_published_pages_byte_for_byte(self, client, staff_client, post):
        page = client.get(post.get_absolute_url()).content.decode()
        answer = staff_client.post(URL, form_fields(post)).json()
        published = body_of(page)
        assert "<table" in published and 'class="highlight"' in published
        assert 'id="fn:why"' in published and "<img" in published and "<h3" in published
        assert body_of(answer["document"]) == published == Post.objects.get(pk=post.pk).body_html

    def test_a_new_post_renders_as_saving_it_would(self, client, staff_client, author, make_post):
        answer = staff_client.post(
            URL, {"title": "New", "body": BODY, "author": str(author.pk), "show_toc": "on"}
        ).json()
        saved = make_post(title="New", slug="new", body=BODY, show_toc=True)
        assert body_of(answer["document"]) == body_of(
            client.get(saved.get_absolute_url()).content.decode()
        )

    def test_title_lede_contents_and_faq_as_typed(self, staff_client, post):
        fields = form_fields(post, title="A new title", description="The lede, typed just now.")
        fields |= faq_fields(("Why preview?", "So it *looks* right."), ("", ""))
        document = staff_client.post(URL, fields).json()["document"]
        assert '<h1 class="p-name">A new title</h1>' in document
        assert '<p class="lede p-summary">The lede, typed just now.</p>' in document
        assert 'class="toc"' in document and 'href="#first-section"' in document
        assert "<summary>Why preview?</summary>" in document
        assert "<em>looks</em>" in document
        assert document.count("<details") == 1  # the empty row is not shown
        assert 'href="/static/css/site.css"' in document
        assert "<script" not in document

    def test_contents_follow_show_toc(self, staff_client, post):
        document = staff_client.post(URL, form_fields(post, show_toc="")).json()["document"]
        assert 'class="toc"' not in document

    def test_deleted_faq_rows_are_left_out(self, staff_client, post):
        fields = form_fields(post) | faq_fields(("Kept?", "Yes."), ("Gone?", "Yes."))
        fields["faq_items-1-DELETE"] = "on"
        document = staff_client.post(URL, fields).json()["document"]
        assert "Kept?" in document and "Gone?" not in document

    def test_the_saved_featured_image_is_shown_until_cleared(self, staff_client, make_post):
        from tests.conftest import image_upload

        post = make_post(featured_image=image_upload(), featured_image_alt="A photo")
        document = staff_client.post(URL, form_fields(post, featured_image_alt="A photo")).json()[
            "document"
        ]
        assert 'class="featured-image"' in document and 'alt="A photo"' in document
        cleared = staff_client.post(URL, form_fields(post, **{"featured_image-clear": "on"}))
        assert 'class="featured-image"' not in cleared.json()["document"]

    def test_a_featured_image_chosen_and_not_saved_is_shown(self, staff_client, post):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from tests.conftest import image_upload

        fields = form_fields(post, featured_image_alt="Chosen just now")
        answer = staff_client.post(URL, {**fields, "featured_image": image_upload()}).json()
        assert 'src="/media/kept-uploads/' in answer["document"]
        assert 'alt="Chosen just now"' in answer["document"]
        # Later requests name it instead of sending it again.
        again = staff_client.post(
            URL, {**fields, "featured_image-kept": answer["featured_image_kept"]}
        ).json()
        assert 'src="/media/kept-uploads/' in again["document"]
        forged = staff_client.post(URL, {**fields, "featured_image-kept": "kept-uploads/x.png"})
        assert forged.status_code == 200
        assert 'class="featured-image"' not in forged.json()["document"]
        not_an_image = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
        refused = staff_client.post(URL, {**fields, "featured_image": not_an_image})
        assert refused.status_code == 400 and "featured image" in refused.json()["error"]
        post.refresh_from_db()
        assert not post.featured_image

    def test_nothing_is_saved(self, staff_client, post):
        staff_client.post(URL, form_fields(post, title="Changed", body="Changed."))
        post.refresh_from_db()
        assert (post.title, post.body) == ("Preview me", BODY)

    def test_blocks_name_each_top_level_blocks_first_line(self, staff_client, post):
        blocks = staff_client.post(URL, form_fields(post)).json()["blocks"]
        lines = BODY.split("\n")
        # A table is drawn in its scrolling region, a div (core.markdown.tables).
        assert [tag for _, tag in blocks][:4] == ["p", "h2", "div", "p"]
        for line, tag in blocks:
            if tag == "h2":
                assert lines[line].startswith("## ")
        assert lines[blocks[2][0]].startswith("|")


class TestTheNumbers:
    def test_word_count_and_minutes_are_the_saved_posts(self, staff_client, post):
        for index in range(2):
            FAQItem.objects.create(
                post=post, question=f"Question {index}?", answer="An answer " * 40, position=index
            )
        post.refresh_from_db()
        fields = form_fields(post) | faq_fields(
            *((f"Question {index}?", "An answer " * 40) for index in range(2))
        )
        answer = staff_client.post(URL, fields).json()
        assert (answer["word_count"], answer["reading_minutes"]) == (
            post.word_count,
            post.reading_minutes,
        )

    def test_they_follow_the_typing(self, staff_client, post):
        short = staff_client.post(URL, form_fields(post, body="One two three.")).json()
        long = staff_client.post(URL, form_fields(post, body="word " * 1000)).json()
        assert short["word_count"] == 3
        assert long["word_count"] == 1000 and long["reading_minutes"] == 4


class TestHostileInput:
    @pytest.mark.parametrize(
        "changes",
        [
            {"faq_items-TOTAL_FORMS": "lots"},
            {"faq_items-TOTAL_FORMS": "-5"},
            {"faq_items-TOTAL_FORMS": "99999999999999999999"},
            {"author": "nobody"},
            {"author": "999999"},
            {"post": "999999"},
            {"post": "-1"},
            {"body": "<script>alert(1)</script>\x00\ud800"[:-1] + "[x](javascript:alert(1))"},
            {"title": "<img src=x onerror=alert(1)>"},
            {
                "faq_items-TOTAL_FORMS": "1",
                "faq_items-0-question": "Q",
                "faq_items-0-position": "x",
            },
        ],
    )
    def test_no_5xx(self, staff_client, post, changes):
        response = staff_client.post(URL, form_fields(post, **changes))
        assert response.status_code == 200
        document = response.json()["document"]
        assert "<script" not in document and "<img src=x" not in document
        assert 'href="javascript:' not in document

    def test_an_empty_form(self, staff_client, db):
        assert staff_client.post(URL, {}).status_code == 200

    def test_a_body_over_the_limit_is_refused_with_a_message(self, staff_client, post):
        response = staff_client.post(URL, form_fields(post, body="x" * (POST_BODY_MAX_CHARS + 1)))
        assert response.status_code == 400
        assert "200,000 characters" in response.json()["error"]

    def test_an_answer_over_the_limit_is_refused(self, staff_client, post):
        fields = form_fields(post) | faq_fields(("Q?", "x" * (FAQ_ANSWER_MAX_CHARS + 1)))
        assert staff_client.post(URL, fields).status_code == 400

    def test_a_title_too_long_is_refused(self, staff_client, post):
        assert staff_client.post(URL, form_fields(post, title="x" * 5000)).status_code == 400


class TestTheForm:
    def test_the_body_is_left_to_the_page_preview(self, staff_client, post):
        page = staff_client.get(reverse("admin:blog_post_change", args=[post.pk])).content.decode()
        assert f'data-markdownx-init="{NOT_MARKDOWNX["data-markdownx-init"]}"' in page
        assert f'data-preview-url="{URL}"' in page
        assert "blog/editor-preview.js" in page

    def test_the_author_bio_keeps_markdownx(self, staff_client, author):
        page = staff_client.get(reverse("admin:blog_author_change", args=[author.pk])).content
        assert b"data-markdownx-init" not in page

    def test_the_query_count_does_not_grow_with_the_faq(
        self, staff_client, post, django_assert_max_num_queries
    ):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as one:
            staff_client.post(URL, form_fields(post) | faq_fields(("Q?", "A.")))
        with django_assert_max_num_queries(len(one)):
            staff_client.post(URL, form_fields(post) | faq_fields(*[("Q?", "A.")] * 10))
