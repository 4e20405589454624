"""The media library (issue 16): every editor upload listed with its description, size and
where it is used; the editor's picker endpoint; alt text entered once, reused.

Usage is stored (``ImageUse``, ``blog.media.record_uses``): the tests change each thing it
depends on (a body, a bio, a book's description, a title, a deletion, a bulk update, an image
that arrives after the Markdown naming it) and watch it follow.
"""

import hashlib
import io
import re
from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from blog import media, roles
from blog.models import BodyImage, FAQItem, ImageUse, Post
from books.models import Book
from core.changes import announce
from pages.models import Service, SiteSettings
from tests.conftest import image_bytes, image_upload
from tests.test_hostile_uploads import POLYGLOTS, REFUSED, stored_files

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/blog/bodyimage/"
LIBRARY_URL = "/markdownx/library/"


def add(name="photo.png", size=(40, 30), color=(200, 80, 40), **details):
    """An image added as the editor adds one, with ``details`` (alt, caption…) set after."""
    image, _ = media.add_upload(image_upload(name, size=size, color=color))
    if details:
        BodyImage.objects.filter(pk=image.pk).update(**details)
        image.refresh_from_db()
    return image


def uses_of(image):
    return sorted(ImageUse.objects.filter(image=image).values_list("label", flat=True))


# Measurements -----------------------------------------------------------------------------


def test_an_upload_is_measured_from_the_file_it_stored(media_root):
    image = add(size=(123, 45))
    data = default_storage.open(image.name).read()
    assert (image.width, image.height) == (123, 45)
    assert image.file_size == len(data) == default_storage.size(image.name)
    assert image.sha256 == hashlib.sha256(data).hexdigest()


def test_rows_stored_before_the_library_are_measured_through_storage(media_root):
    image = add(size=(64, 20))
    BodyImage.objects.filter(pk=image.pk).update(width=None, height=None, file_size=None, sha256="")
    call_command("record_image_uses", stdout=io.StringIO())
    image.refresh_from_db()
    assert (image.width, image.height) == (64, 20)
    assert image.file_size == default_storage.size(image.name)


def test_an_image_restored_without_measurements_is_measured_on_save(media_root):
    image = add(size=(30, 70))
    name = image.name
    image.delete()
    restored = BodyImage.objects.create(name=name, renditions={})  # as transfer.site_data does
    restored.refresh_from_db()
    assert (restored.width, restored.height, restored.file_size) == (
        30,
        70,
        len(default_storage.open(name).read()),
    )


# Alt text entered once ------------------------------------------------------------------


def test_the_same_file_uploaded_again_is_the_library_copy_with_its_alt(staff_client, media_root):
    first = staff_client.post("/markdownx/upload/", {"image": image_upload("a.png")}).json()
    assert first["reused"] is False
    assert first["image_code"].startswith("![Describe this image](/media/uploads/")
    BodyImage.objects.update(alt="A red square")
    files = len(stored_files(media_root))
    again = staff_client.post("/markdownx/upload/", {"image": image_upload("b.png")}).json()
    assert again["reused"] is True and again["alt"] == "A red square"
    assert again["image_code"] == f"![A red square]({first['url']})"
    assert BodyImage.objects.count() == 1 and len(stored_files(media_root)) == files
    other = staff_client.post(
        "/markdownx/upload/", {"image": image_upload("c.png", color=(1, 2, 3))}
    ).json()
    assert other["reused"] is False and BodyImage.objects.count() == 2


def test_a_copy_whose_file_is_gone_is_not_reused(staff_client, media_root):
    image = add()
    default_storage.delete(image.name)
    answer = staff_client.post("/markdownx/upload/", {"image": image_upload()}).json()
    assert answer["reused"] is False and BodyImage.objects.count() == 2


def test_alt_written_in_a_body_is_recorded_on_an_image_without_one(make_post, media_root):
    image = add()
    post = make_post(body=f"Intro.\n\n![Describe this image]({image.url})\n")
    image.refresh_from_db()
    assert image.alt == ""  # the placeholder is never kept
    post.body = f"Intro.\n\n![A heron \\[grey\\] at dawn]({image.url})\n"
    post.save()
    image.refresh_from_db()
    assert image.alt == "A heron [grey] at dawn"
    post.body = f"![Something else]({image.url})"
    post.save()
    image.refresh_from_db()
    assert image.alt == "A heron [grey] at dawn"  # an image's own alt is the author's to change


def test_markdown_for_an_image_escapes_its_alt_and_never_leaves_it_empty(media_root):
    image = add(alt="A [bracketed] note")
    assert media.markdown_for(image) == f"![A \\[bracketed\\] note]({image.url})"
    assert media.markdown_for(add(name="x.png", color=(9, 9, 9))).startswith(
        "![Describe this image]("
    )
    assert media.usable_alt("  describe THIS image ") == ""
    assert media.usable_alt(" Two\n  lines ") == "Two lines"


# Usage follows the Markdown ---------------------------------------------------------------


def test_usage_follows_a_posts_body_and_title(make_post, media_root):
    image, other = add(), add(name="o.png", color=(0, 0, 255))
    post = make_post(title="Herons", body="No images yet.")
    assert uses_of(image) == []
    post.body = f'Before.\n\n![Heron]({image.url})\n\nAfter, also <img src="{other.url}">.'
    post.save()
    assert uses_of(image) == ["Herons"] and uses_of(other) == ["Herons"]
    post.title = "Grey herons"
    post.save()
    assert uses_of(image) == ["Grey herons"]
    post.body = f"Only the other: ![x]({other.url})"
    post.save()
    assert uses_of(image) == [] and uses_of(other) == ["Grey herons"]
    post.delete()
    assert uses_of(other) == []


def test_usage_follows_bios_and_book_descriptions(author, media_root):
    image = add()
    author.bio = f"Me.\n\n![Portrait]({image.url})"
    author.save()
    book = Book.objects.create(title="A book", slug="a-book", description=f"![c]({image.url})")
    assert uses_of(image) == ["A book", "Alex Navarro"]
    book.description = "No picture."
    book.save()
    assert uses_of(image) == ["Alex Navarro"]


def test_usage_follows_faq_answers_and_the_sites_own_pages(make_post, media_root):
    image = add()
    faq = FAQItem.objects.create(
        post=make_post(), question="Why?", answer=f"![x]({image.url})", position=0
    )
    settings = SiteSettings.load()
    settings.introduction = f"Hello.\n\n![me]({image.url})"
    settings.save()
    service = Service.objects.create(
        settings=settings, title="Advice", summary=f"![a]({image.url})"
    )
    assert uses_of(image) == ["Advice", "Alex Navarro", "Why?"]
    faq.delete()
    service.summary = "Words only."
    service.save()
    assert uses_of(image) == ["Alex Navarro"]


def test_usage_follows_bulk_updates_that_are_announced(make_post, media_root):
    image = add()
    post = make_post(body="Nothing.")
    Post.objects.filter(pk=post.pk).update(body=f"![a]({image.url})")
    announce(Post, [post.pk])
    assert uses_of(image) == [post.title]


def test_an_image_arriving_after_the_markdown_finds_its_uses(make_post, media_root):
    image = add()
    name, url = image.name, image.url
    image.delete()
    post = make_post(body=f"![a]({url})")
    assert not ImageUse.objects.exists()
    restored = BodyImage.objects.create(name=name, renditions={})
    assert uses_of(restored) == [post.title]


def test_the_command_records_uses_of_existing_posts(make_post, media_root):
    image = add()
    post = make_post(body=f"![a]({image.url})")
    ImageUse.objects.all().delete()
    call_command("record_image_uses", stdout=io.StringIO())
    assert uses_of(image) == [post.title]


def test_the_data_migration_measures_and_records_on_historical_models(
    make_post, author, media_root
):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    image = add(size=(50, 25))
    post = make_post(body=f"![a]({image.url})")
    author.bio = f"![b]({image.url})"
    author.save()
    ImageUse.objects.all().delete()
    BodyImage.objects.update(width=None, height=None, file_size=None, sha256="")
    migration = import_module("blog.migrations.0020_media_library_data")
    state = MigrationExecutor(connection).loader.project_state(("blog", "0020_media_library_data"))
    migration.measure_images(state.apps, None)
    migration.record_uses(state.apps, None)
    image.refresh_from_db()
    assert (image.width, image.height, image.file_size) == (
        50,
        25,
        default_storage.size(image.name),
    )
    assert uses_of(image) == ["Alex Navarro", post.title]


# The admin list -------------------------------------------------------------------------


def test_the_list_shows_thumbnail_size_and_where_each_image_is_used(
    staff_client, make_post, media_root
):
    image = add(size=(1200, 800), alt="Harbour at night")
    post = make_post(title="Harbour notes", body=f"![x]({image.url})")
    html = staff_client.get(LIST_URL).text
    thumb = image.renditions["sources"][0]["files"][0][1]
    assert f'class="media-thumb" src="/media/{thumb}"' in html
    assert "Harbour at night" in html and "1200×800 px" in html
    assert f"{image.file_size / 1024:,.0f} KB" in html
    change = reverse("admin:blog_post_change", args=[post.pk])
    assert re.search(rf'<a href="{change}">post “Harbour notes”</a>', html)
    assert "style=" not in html.split("<body")[1]


def test_the_unused_filter_finds_images_nothing_shows(staff_client, make_post, media_root):
    used, unused = add(name="used.png"), add(name="unused.png", color=(0, 99, 0))
    make_post(body=f"![x]({used.url})")
    listed = staff_client.get(LIST_URL, {"usage": "unused"}).text
    assert str(unused) in listed and str(used) not in listed
    listed = staff_client.get(LIST_URL, {"usage": "used"}).text
    assert str(used) in listed and str(unused) not in listed


def test_search_looks_at_name_alt_and_caption(staff_client, media_root):
    add(name="a.png", alt="A lighthouse")
    add(name="b.png", color=(1, 1, 1), caption="Taken from the ferry")
    third = add(name="c.png", color=(2, 2, 2))
    assert "A lighthouse" in staff_client.get(LIST_URL, {"q": "lighthouse"}).text
    assert "Taken from the ferry" not in staff_client.get(LIST_URL, {"q": "lighthouse"}).text
    assert "1 image\n" in staff_client.get(LIST_URL, {"q": "ferry"}).text
    assert "3 images" in staff_client.get(LIST_URL).text
    assert str(third) in staff_client.get(LIST_URL, {"q": third.name[8:20]}).text


def test_the_list_costs_the_same_queries_for_any_number_of_images_and_uses(
    staff_client, make_post, media_root, django_assert_num_queries
):
    made = iter(range(100))

    def grow(count):
        for _ in range(count):
            n = next(made)
            image = add(name=f"{n}.png", color=(n, 3 * n, 200))
            make_post(body=f"![x]({image.url})\n\n![again](<{image.url}>)")
            make_post(body=f"![x]({image.url})")

    grow(2)
    staff_client.get(LIST_URL)  # warm the content-type cache, as a running site has it
    # session, user, count, full count, page of images, their uses (content types joined)
    with django_assert_num_queries(6):
        staff_client.get(LIST_URL)
    grow(8)
    with django_assert_num_queries(6):
        html = staff_client.get(LIST_URL).text
    assert html.count('class="media-thumb"') == 10


# The change form and deleting -----------------------------------------------------------


def test_the_change_form_edits_the_description_and_shows_preview_and_uses(
    staff_client, make_post, media_root
):
    image = add()
    make_post(title="Herons", body=f"![x]({image.url})")
    url = reverse("admin:blog_bodyimage_change", args=[image.pk])
    html = staff_client.get(url).text
    assert f'class="media-preview" src="{image.url}"' in html and "Herons" in html
    assert 'name="name"' not in html  # the file is not the author's to rename
    response = staff_client.post(
        url, {"alt": "A heron", "caption": "At dawn", "credit": "Jo", "_save": "Save"}
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert (image.alt, image.caption, image.credit) == ("A heron", "At dawn", "Jo")
    staff_client.post(url, {"alt": "Describe this image", "caption": "", "credit": ""})
    image.refresh_from_db()
    assert image.alt == ""


def test_deleting_an_image_in_use_names_the_posts_first(staff_client, make_post, media_root):
    image = add()
    post = make_post(title="Herons", body=f"![x]({image.url})")
    url = reverse("admin:blog_bodyimage_delete", args=[image.pk])
    html = staff_client.get(url).text
    change = reverse("admin:blog_post_change", args=[post.pk])
    assert "Still in use" in html and f'<a href="{change}">post “Herons”</a>' in html
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert not BodyImage.objects.exists() and not ImageUse.objects.exists()
    post.refresh_from_db()
    assert post.title == "Herons"  # the post itself stays


def test_deleting_selected_images_names_the_posts_first(staff_client, make_post, media_root):
    used, unused = add(), add(name="u.png", color=(5, 5, 5))
    make_post(title="Herons", body=f"![x]({used.url})")
    data = {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]}
    html = staff_client.post(LIST_URL, data).text
    assert "Still in use" in html and "post “Herons”" in html
    assert staff_client.post(LIST_URL, {**data, "post": "yes"}).status_code == 302
    assert not BodyImage.objects.exists()
    unused_only = add(name="z.png", color=(7, 7, 7))
    html = staff_client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [unused_only.pk]}
    ).text
    assert "Still in use" not in html


def test_deleting_an_image_that_does_not_exist_is_not_a_500(staff_client):
    assert staff_client.get(reverse("admin:blog_bodyimage_delete", args=[999])).status_code < 500
    assert staff_client.get(LIST_URL + "abc/delete/").status_code < 500


# Uploads through the admin --------------------------------------------------------------

SOME_REFUSED = ["zero bytes", "svg with script", "html renamed .png", "decompression bomb"]


def admin_add(client, name, content, **fields):
    data = {"file": SimpleUploadedFile(name, content, "image/png"), "alt": "", "caption": ""}
    return client.post(reverse("admin:blog_bodyimage_add"), {**data, "credit": "", **fields})


@pytest.mark.parametrize("case", SOME_REFUSED)
def test_a_hostile_file_added_in_the_admin_is_refused_beside_the_field(
    staff_client, media_root, case
):
    name, content, words = REFUSED[case]
    response = admin_add(staff_client, name, content)
    assert response.status_code == 200 and words in response.text
    assert not BodyImage.objects.exists() and stored_files(media_root) == []


def test_a_polyglot_added_in_the_admin_is_stored_clean(staff_client, media_root):
    name, content = POLYGLOTS["png named .html"]
    assert admin_add(staff_client, name, content, alt="A dot").status_code == 302
    image = BodyImage.objects.get()
    assert image.name.endswith(".png") and image.alt == "A dot" and image.width


def test_the_same_file_added_twice_in_the_admin_is_stored_once(staff_client, media_root):
    admin_add(staff_client, "a.png", image_bytes(), alt="First")
    response = admin_add(staff_client, "b.png", image_bytes(), alt="Second", caption="New")
    assert response.status_code == 302
    image = BodyImage.objects.get()
    assert (image.alt, image.caption) == ("First", "New")  # blanks filled, alt kept
    messages = staff_client.get(LIST_URL).text
    assert "already in the library" in messages


# The editor's library endpoint ----------------------------------------------------------


def test_the_library_answers_staff_who_may_use_the_editor_only(
    client, django_user_model, media_root
):
    add()
    assert client.get(LIBRARY_URL).status_code == 403
    nobody = django_user_model.objects.create_user("n", password="pw-123456!", is_staff=True)
    client.force_login(nobody)
    assert client.get(LIBRARY_URL).status_code == 403
    reader = django_user_model.objects.create_user("r", password="pw-123456!")
    client.force_login(reader)
    assert client.get(LIBRARY_URL).status_code == 403
    writer = django_user_model.objects.create_user("w", password="pw-123456!", is_staff=True)
    writer.groups.add(Group.objects.get(name=roles.AUTHOR))
    client.force_login(writer)
    assert client.get(LIBRARY_URL).status_code == 200
    assert client.post(LIBRARY_URL).status_code == 405


def test_the_library_lists_searches_and_pages(staff_client, media_root):
    for n in range(30):
        add(name=f"{n}.png", color=(n, 0, 0), alt=f"Photo {n}" if n % 2 else "")
    add(name="h.png", color=(0, 0, 99), alt="A grey heron", caption="At dawn")
    first = staff_client.get(LIBRARY_URL).json()
    assert first["count"] == 31 and len(first["results"]) == 24 and first["has_next"]
    newest = BodyImage.objects.first()
    item = first["results"][0]
    assert item["url"] == newest.url and item["width"] == 40 and item["height"] == 30
    assert item["thumbnail"].startswith("/media/uploads/") and item["markdown"].endswith(
        f"({newest.url})"
    )
    second = staff_client.get(LIBRARY_URL, {"page": 2}).json()
    assert len(second["results"]) == 7 and not second["has_next"]
    found = staff_client.get(LIBRARY_URL, {"q": "HERON dawn"}).json()
    assert [r["alt"] for r in found["results"]] == ["A grey heron"]
    assert found["results"][0]["markdown"] == f"![A grey heron]({found['results'][0]['url']})"


@pytest.mark.parametrize(
    "params",
    [
        {"page": "999999999999999999999999"},
        {"page": "-3"},
        {"page": "abc"},
        {"page": "1e9"},
        {"q": "\x00"},
        {"q": "x" * 100_000},
        {"q": "%' OR 1=1 --"},
        {"q": "a b c d e f g h i j k l m n o p"},
        {"q": ["a", "b"]},
    ],
)
def test_hostile_query_strings_never_fail_the_library(staff_client, media_root, params):
    add()
    response = staff_client.get(LIBRARY_URL, params)
    assert response.status_code == 200 and "results" in response.json()


def test_the_library_costs_the_same_queries_for_any_page(
    staff_client, media_root, django_assert_num_queries
):
    for n in range(5):
        add(name=f"{n}.png", color=(n, 0, 0))
    # session, user, count, page (a superuser's permission check costs none)
    with django_assert_num_queries(4):
        assert staff_client.get(LIBRARY_URL).status_code == 200


def test_an_author_may_describe_images_but_not_delete_them(client, django_user_model, media_root):
    image = add()
    writer = django_user_model.objects.create_user("w", password="pw-123456!", is_staff=True)
    writer.groups.add(Group.objects.get(name=roles.AUTHOR))
    client.force_login(writer)
    assert client.get(LIST_URL).status_code == 200
    change = reverse("admin:blog_bodyimage_change", args=[image.pk])
    assert client.post(change, {"alt": "Mine", "caption": "", "credit": ""}).status_code == 302
    delete = reverse("admin:blog_bodyimage_delete", args=[image.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert BodyImage.objects.filter(alt="Mine").exists()
