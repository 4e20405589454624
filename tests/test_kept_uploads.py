"""A featured image chosen with an error elsewhere in the form is kept (issue 16, bug 5)."""

import re

import pytest
from django.core import signing
from django.core.files.storage import default_storage

from blog.models import Post
from core.images import kept_uploads
from tests.conftest import image_upload
from tests.test_admin import post_form

pytestmark = pytest.mark.django_db


def kept_field(html):
    match = re.search(r'name="featured_image-kept" value="([^"]+)"', html)
    return match and match[1]


def test_an_image_chosen_with_an_error_elsewhere_is_saved_on_the_next_try(staff_client, author):
    data = post_form(
        author, title="x" * 201, featured_image=image_upload("cover.png"), featured_image_alt="A"
    )
    first = staff_client.post("/admin/blog/post/add/", data)
    assert first.status_code == 200 and not Post.objects.exists()
    html = first.content.decode()
    assert "Kept from your last try: <strong>cover.png</strong>" in html
    signed = kept_field(html)
    assert signed
    # The author fixes the title and saves again, without choosing the file again.
    data = post_form(author, featured_image_alt="A", **{"featured_image-kept": signed})
    second = staff_client.post("/admin/blog/post/add/", data)
    assert second.status_code == 302
    post = Post.objects.get()
    assert post.featured_image.name.startswith("post/")
    assert post.featured_image.name.endswith(".png") and post.featured_image_width


def test_a_new_file_chosen_replaces_the_kept_one(staff_client, author):
    data = post_form(
        author, title="", featured_image=image_upload("one.png"), featured_image_alt="A"
    )
    signed = kept_field(staff_client.post("/admin/blog/post/add/", data).content.decode())
    data = post_form(
        author,
        featured_image=image_upload("two.jpg", "JPEG", "image/jpeg"),
        featured_image_alt="A",
        **{"featured_image-kept": signed},
    )
    assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
    assert Post.objects.get().featured_image.name.endswith(".jpg")


def test_a_forged_or_foreign_kept_value_is_ignored(staff_client, author):
    default_storage.save("post/someone-elses.png", image_upload("x.png"))
    forged = signing.dumps({"name": "post/someone-elses.png"}, salt="another salt")
    outside = signing.dumps({"name": "post/someone-elses.png"}, salt=kept_uploads.SALT)
    for value in (forged, outside, "garbage"):
        data = post_form(author, **{"featured_image-kept": value})
        assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
        assert not Post.objects.get().featured_image
        Post.objects.all().delete()


def test_an_invalid_upload_is_not_kept(staff_client, author):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"<script>", "image/png")
    data = post_form(author, featured_image=fake, featured_image_alt="A")
    html = staff_client.post("/admin/blog/post/add/", data).content.decode()
    assert kept_field(html) is None and "Kept from your last try" not in html
