"""Authoring in the admin, and the markdownx editor endpoints behind it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from blog.models import Post
from tests.conftest import image_bytes, image_upload

pytestmark = pytest.mark.django_db


def post_form(author, **overrides):
    """The add-post form as the admin submits it, with empty inlines."""
    data = {
        "title": "A post with a table",
        "slug": "a-post-with-a-table",
        "description": "Short lede.",
        "body": "## Numbers\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n![Chart](/media/uploads/c.png)",
        "status": "published",
        "published_at_0": "2026-04-24",
        "published_at_1": "09:00:00",
        "author": author.pk,
        "featured_image_alt": "",
        "faq_items-TOTAL_FORMS": "1",
        "faq_items-INITIAL_FORMS": "0",
        "faq_items-0-question": "Why?",
        "faq_items-0-answer": "Because **reasons**.",
        "faq_items-0-position": "0",
        "keep_reading_links-TOTAL_FORMS": "0",
        "keep_reading_links-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


class TestPostAdmin:
    def test_changelist_and_add_form_render_with_the_markdownx_editor(
        self, staff_client, make_post
    ):
        make_post(title="Listed post")
        changelist = staff_client.get("/admin/blog/post/")
        assert changelist.status_code == 200 and "Listed post" in changelist.content.decode()
        add = staff_client.get("/admin/blog/post/add/").content.decode()
        assert 'class="markdownx"' in add and "markdownx-editor" in add
        assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in add
        assert "markdownx/js/markdownx" in add

    def test_author_writes_and_publishes_a_post(self, staff_client, author, client):
        response = staff_client.post("/admin/blog/post/add/", post_form(author))
        assert response.status_code == 302, response.content.decode()[:3000]
        post = Post.objects.get(slug="a-post-with-a-table")
        assert '<th scope="col">A</th>' in post.body_html
        assert post.faq_items.get().answer_html == "<p>Because <strong>reasons</strong>.</p>"
        assert post.word_count > 0 and post.reading_minutes == 1
        html = client.get("/blog/a-post-with-a-table/").content.decode()
        assert '<th scope="col">A</th>' in html and 'alt="Chart"' in html

    def test_featured_image_needs_alt_text(self, staff_client, author):
        data = post_form(author, featured_image=image_upload())
        response = staff_client.post("/admin/blog/post/add/", data)
        assert response.status_code == 200
        assert "Describe the image" in response.content.decode()
        assert not Post.objects.exists()

    def test_featured_image_must_be_a_real_image(self, staff_client, author):
        fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", "image/png")
        data = post_form(author, featured_image=fake, featured_image_alt="alt")
        response = staff_client.post("/admin/blog/post/add/", data)
        assert response.status_code == 200 and not Post.objects.exists()

    def test_featured_image_is_stored_under_a_random_name(self, staff_client, author):
        data = post_form(
            author, featured_image=image_upload("My Holiday.png"), featured_image_alt="A chart"
        )
        assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
        name = Post.objects.get().featured_image.name
        assert name.startswith("post/") and "Holiday" not in name and name.endswith(".png")

    def test_duplicate_slug_is_a_form_error(self, staff_client, author, make_post):
        make_post(slug="a-post-with-a-table")
        response = staff_client.post("/admin/blog/post/add/", post_form(author))
        assert response.status_code == 200
        assert "already exists" in response.content.decode()
        assert Post.objects.count() == 1

    def test_publish_and_unpublish_actions(self, staff_client, make_post):
        draft = make_post(status=Post.Status.DRAFT, published_at=None)
        staff_client.post(
            "/admin/blog/post/", {"action": "publish", "_selected_action": [draft.pk]}
        )
        draft.refresh_from_db()
        assert draft.status == "published" and draft.published_at is not None
        # Unpublishing asks first, listing what will go offline.
        asked = staff_client.post(
            "/admin/blog/post/", {"action": "unpublish", "_selected_action": [draft.pk]}
        )
        assert asked.status_code == 200 and "will go back to draft" in asked.content.decode()
        draft.refresh_from_db()
        assert draft.status == "published"
        staff_client.post(
            "/admin/blog/post/",
            {"action": "unpublish", "_selected_action": [draft.pk], "confirmed": "yes"},
        )
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_view_on_site_works_for_drafts(self, staff_client, make_post):
        draft = make_post(status=Post.Status.DRAFT)
        change = staff_client.get(f"/admin/blog/post/{draft.pk}/change/").content.decode()
        assert "View on site" in change
        assert staff_client.get(draft.get_absolute_url()).status_code == 200

    def test_keep_reading_autocomplete(self, staff_client, make_post):
        make_post(title="Findable post")
        response = staff_client.get(
            "/admin/autocomplete/",
            {
                "term": "Findable",
                "app_label": "blog",
                "model_name": "keepreading",
                "field_name": "target",
            },
        )
        assert response.status_code == 200
        assert "Findable post" in response.content.decode()

    def test_author_and_tag_admins(self, staff_client, author, make_tag):
        make_tag("Hiring")
        assert "Alex Navarro" in staff_client.get("/admin/blog/author/").content.decode()
        assert "Hiring" in staff_client.get("/admin/blog/tag/").content.decode()


class TestPreviewEndpoint:
    def test_renders_the_same_sanitized_html_as_the_site(self, staff_client):
        response = staff_client.post(
            "/markdownx/markdownify/",
            {
                "content": "| A |\n|---|\n| 1 |\n\n"
                "<script>alert(1)</script><img src=x onerror=alert(1)>"
            },
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert '<th scope="col">A</th>' in html
        assert "<script" not in html and "onerror" not in html

    def test_anonymous_and_non_staff_are_refused(self, client, django_user_model):
        assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403
        user = django_user_model.objects.create_user("reader", password="pw-123456!")
        client.force_login(user)
        assert client.post("/markdownx/markdownify/", {"content": "x"}).status_code == 403

    def test_missing_content_is_not_a_server_error(self, staff_client):
        assert staff_client.post("/markdownx/markdownify/", {}).status_code == 200

    def test_get_is_not_allowed(self, staff_client):
        assert staff_client.get("/markdownx/markdownify/").status_code == 405


class TestImageUpload:
    def upload(self, client, name, content, content_type):
        return client.post(
            "/markdownx/upload/",
            {"image": SimpleUploadedFile(name, content, content_type)},
            headers={"x-requested-with": "XMLHttpRequest"},
        )

    @pytest.mark.parametrize(
        "fmt, ext", [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp"), ("GIF", "gif")]
    )
    def test_real_images_are_stored_with_the_detected_extension(
        self, staff_client, media_root, fmt, ext
    ):
        # The browser's name and type lie; the bytes decide.
        response = self.upload(staff_client, "photo.html", image_bytes(fmt), "text/html")
        assert response.status_code == 200
        code = response.json()["image_code"]
        assert code.startswith("![Describe this image](/media/uploads/") and code.endswith(
            f".{ext})"
        )
        # The original, beside its renditions (named -<width>w, tested in test_images.py).
        stored = [p for p in (media_root / "uploads").iterdir() if "w." not in p.name]
        assert len(stored) == 1 and stored[0].suffix == f".{ext}" and "photo" not in stored[0].name

    @pytest.mark.parametrize(
        "name, content, content_type",
        [
            ("evil.gif", b"<html><script>alert(document.cookie)</script></html>", "image/gif"),
            (
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
                "image/svg+xml",
            ),
            ("junk.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50, "image/png"),
            ("empty.jpg", b"", "image/jpeg"),
            ("bitmap.bmp", None, "image/bmp"),
        ],
    )
    def test_everything_else_is_refused_with_a_clear_400(
        self, staff_client, media_root, name, content, content_type
    ):
        if content is None:
            content = image_bytes("BMP")
        response = self.upload(staff_client, name, content, content_type)
        assert response.status_code == 400
        assert response.json()["image"]
        assert not (media_root / "uploads").exists()

    def test_oversized_file_is_refused(self, staff_client, settings, media_root):
        settings.MARKDOWNX_UPLOAD_MAX_SIZE = 1000
        response = self.upload(
            staff_client, "big.png", image_bytes(size=(400, 400)) + b"\0" * 2000, "image/png"
        )
        assert response.status_code == 400 and "limit" in response.json()["image"][0]

    def test_too_many_pixels_is_refused(self, staff_client, settings):
        settings.IMAGE_MAX_PIXELS = 100
        response = self.upload(staff_client, "wide.png", image_bytes(size=(50, 50)), "image/png")
        assert response.status_code == 400 and "pixels" in response.json()["image"][0]

    def test_plain_form_post_also_gets_json(self, staff_client):
        response = staff_client.post(
            "/markdownx/upload/", {"image": SimpleUploadedFile("x.png", b"nope", "image/png")}
        )
        assert response.status_code == 400

    def test_anonymous_upload_is_refused(self, client, media_root):
        response = self.upload(client, "photo.png", image_bytes(), "image/png")
        assert response.status_code == 403
        assert not (media_root / "uploads").exists()
