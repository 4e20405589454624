"""The site's archive: ``manage.py export`` then ``manage.py import`` into an empty site.

The round trip of issue 15: a site with every kind of content an author makes → export →
every content row and media file deleted → import → export again. The two archives are
byte-identical, and so is every public page.

What legitimately differs, and is left out of the comparison: nothing in the pages
compared (they carry no CSRF token and no database id); the Work with me page (its form
carries a CSRF token, and its choices are the running site's, not in the archive) and
search (derived from the posts, compared through the pages that list them) are not compared.
"""

import shutil
import zipfile
from datetime import datetime, timedelta

import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from blog.models import Author, AuthorLink, BodyImage, FAQItem, KeepReading, OldSlug, Post, Tag
from books.models import Book, BuyLink
from core.images.renditions import make_renditions
from pages.models import NavItem, Service, SiteSettings, SocialProfile
from praise.models import Testimonial as Praise
from transfer import readers
from transfer.archive import ArchiveReader

from .conftest import image_bytes, image_upload

PARIS = "Europe/Paris"


@pytest.fixture
def full_site(settings, author, make_tag, django_capture_on_commit_callbacks):
    """A site with one of everything: what an author makes in the admin."""
    settings.TIME_ZONE = PARIS
    with django_capture_on_commit_callbacks(execute=True):
        author.bio = "I write about [the long post](post:a-long-post).\r\n\r\nAnd books."
        author.website = "https://alex.example"
        author.avatar = image_upload("me.png", color=(10, 20, 30))
        author.save()
        AuthorLink.objects.create(author=author, label="GitHub", url="https://github.com/x")
        AuthorLink.objects.create(author=author, label="Mastodon", url="https://m.example/@x")
        guest = Author.objects.create(name="Guest Writer", slug="guest", bio="A *guest*.")

        python = make_tag("Python")
        python.description = "Posts about **Python**."
        python.save()
        cpp = Tag.objects.create(name="C++", slug="cpp", description="Templates.")
        ios = Tag.objects.create(name="iOS", slug="ios")

        upload = default_storage.save("uploads/diagram.png", ContentFile(image_bytes()))
        BodyImage.objects.create(name=upload, renditions=make_renditions(upload))
        unused = default_storage.save(
            "uploads/unused.png", ContentFile(image_bytes(color=(1, 2, 3)))
        )
        BodyImage.objects.create(name=unused, renditions=make_renditions(unused))

        paris = timezone.get_fixed_timezone(120)
        long_post = Post.objects.create(
            title="A long post",
            slug="first-name",
            body=(
                "Intro.\n\n## One\n\nText with a diagram:\n\n"
                f"![A diagram]({default_storage.url(upload)})\n\n## Two\n\n"
                "See [the guest post](post:guest-post) and [the book](book:the-book)."
            ),
            description="The lede.",
            meta_description="For search engines.",
            canonical_url="https://elsewhere.example/original",
            status=Post.Status.PUBLISHED,
            published_at=datetime(2024, 5, 1, 10, 30, tzinfo=paris),
            author=author,
            show_toc=True,
            featured_image=image_upload("cover.jpg", fmt="JPEG", content_type="image/jpeg"),
            featured_image_alt="A red square",
            featured_image_caption="The caption",
            featured_image_credit="Photo: Jane Doe",
        )
        long_post.tags.set([python, cpp, ios])
        long_post.slug = "a-long-post"  # renamed: the old slug keeps answering
        long_post.save()
        FAQItem.objects.create(post=long_post, question="Why?", answer="Because **so**.")
        FAQItem.objects.create(
            post=long_post,
            question="How?",
            answer="Slowly.\r\n\r\n---\r\n\r\nThen fast.",
            position=1,
        )
        guest_post = Post.objects.create(
            title="Guest post",
            slug="guest-post",
            body="A guest's words.\r\n\r\n## Section\r\n\r\nMore.",  # as a browser sends it
            status=Post.Status.PUBLISHED,
            published_at=datetime(2025, 1, 2, 8, 0, tzinfo=timezone.get_fixed_timezone(-300)),
            author=guest,
        )
        guest_post.tags.set([python])
        KeepReading.objects.create(post=guest_post, target=long_post, position=0)
        Post.objects.create(
            title="A draft",
            slug="a-draft",
            body="Not yet.",
            status=Post.Status.DRAFT,
            author=author,
        )
        Post.objects.create(
            title="Coming soon",
            slug="coming-soon",
            body="Scheduled.",
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() + timedelta(days=30),
            author=author,
        )

        book = Book.objects.create(
            title="The Book",
            slug="old-book-slug",
            subtitle="A subtitle",
            summary="A summary.",
            description="About [the long post](post:a-long-post).",
            cover=image_upload("book.png", size=(60, 90)),
            cover_alt="The cover",
            isbn="978-3-16-148410-0",
            published_on=datetime(2023, 3, 4).date(),
            featured=True,
            position=10,
        )
        book.slug = "the-book"
        book.save()
        BuyLink.objects.create(book=book, label="Shop", url="https://shop.example/b")
        Praise.objects.create(
            quote="Great.\n\nReally.",
            name="Sam Client",
            role="CTO",
            organisation="Acme",
            photo=image_upload("sam.png", size=(80, 80)),
            photo_alt="Sam",
            source_url="https://linkedin.example/sam",
            featured=True,
            position=10,
        )
        Praise.objects.create(quote="Good.", name="Kim", position=20)

        site = SiteSettings.objects.get(pk=1)
        site.tagline = "Notes on systems"
        site.introduction = "Hello. Start with [this](post:a-long-post)."
        site.footer_text = "© Alex"
        site.default_share_image = image_upload("share.png", size=(120, 63))
        site.default_share_image_alt = "The site's card"
        site.offer = "I help teams."
        site.save()
        NavItem.objects.create(settings=site, label="Blog", url="/blog/", position=0)
        NavItem.objects.create(settings=site, label="Books", url="/books/", position=1)
        SocialProfile.objects.create(settings=site, label="LinkedIn", url="https://li.example/a")
        Service.objects.create(settings=site, title="Advice", summary="An *hour*.")
        SiteSettings.forget()

        Redirect.objects.create(
            site=Site.objects.get_current(), old_path="/old-page/", new_path="/about/"
        )
    return long_post


def public_pages():
    """Every public address of the site, as a reader finds them."""
    addresses = ["/", "/blog/", "/books/", "/praise/", "/about/", "/feed/", "/feed/atom/"]
    addresses += ["/sitemap.xml", "/robots.txt"]
    addresses += [post.get_absolute_url() for post in Post.objects.published()]
    for tag in Tag.objects.all():
        url = tag.get_absolute_url()
        addresses += [url, f"{url}feed/", f"{url}feed/atom/"]
    addresses += [book.get_absolute_url() for book in Book.objects.all()]
    # Old addresses: answered by a redirect, whose target must survive too.
    addresses += ["/blog/first-name/", "/books/old-book-slug/", "/old-page/"]
    return sorted(addresses)


def snapshot(client):
    pages = {}
    for address in public_pages():
        response = client.get(address)
        pages[address] = (response.status_code, response.get("Location"), response.content)
    return pages


def empty_the_site(media_root):
    """Every content row and media file gone: the empty site an archive is imported into."""
    KeepReading.objects.all().delete()
    Post.objects.all().delete()
    OldSlug.objects.all().delete()
    for model in [Tag, BodyImage, Book, Praise, Redirect, NavItem, SocialProfile, Service]:
        model.objects.all().delete()
    SiteSettings.objects.all().delete()
    Author.objects.all().delete()
    SiteSettings.forget()
    shutil.rmtree(media_root, ignore_errors=True)
    from django.core.cache import cache

    cache.clear()


def test_export_import_export_is_identical_and_every_page_too(
    full_site, client, tmp_path, media_root
):
    before = snapshot(client)
    article = before["/blog/a-long-post/"][2].decode()
    for shown in [
        "The caption",
        "Photo: Jane Doe",
        "/media/uploads/diagram.png",
        "Because <strong>so</strong>",
    ]:
        assert shown in article, shown  # what must survive is on the page compared
    assert "Templates." in before["/blog/tag/cpp/"][2].decode()
    assert 'href="/blog/a-long-post/"' in before["/books/the-book/"][2].decode()
    assert before["/blog/first-name/"][0] == 301
    first = tmp_path / "first.zip"
    call_command("export", str(first))
    assert call_command_bytes(first) == call_command_bytes_again(first, tmp_path)

    empty_the_site(media_root)
    assert not Post.objects.exists() and not media_root.exists()
    call_command("import", str(first))

    second = tmp_path / "second.zip"
    call_command("export", str(second))
    assert_same_archives(first, second)
    after = snapshot(client)
    assert after.keys() == before.keys()
    for address in before:
        assert after[address] == before[address], address


def call_command_bytes(path):
    return path.read_bytes()


def call_command_bytes_again(first, tmp_path):
    """A second export of the same site, untouched: the same bytes."""
    again = tmp_path / "again.zip"
    call_command("export", str(again))
    return again.read_bytes()


def assert_same_archives(first, second):
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            assert a.read(name) == b.read(name), name
    assert first.read_bytes() == second.read_bytes()


def test_the_archive_keeps_everything_an_author_wrote(full_site, tmp_path):
    folder = tmp_path / "site"
    call_command("export", str(folder))
    post = (folder / "posts" / "a-long-post.md").read_text()
    for expected in [
        "date: '2024-05-01T10:30:00+02:00'",  # Paris in May: the offset the site gives
        "caption: The caption",
        "credit: 'Photo: Jane Doe'",
        "- C++",
        "- iOS",
        "- first-name",  # the old slug
        "toc: true",
        "![A diagram](/media/uploads/diagram.png)",
    ]:
        assert expected in post, expected
    guest = (folder / "posts" / "guest-post.md").read_text()
    assert "date: '2025-01-02T14:00:00+01:00'" in guest
    assert "keep_reading:\n- a-long-post" in guest
    site = (folder / "site.yaml").read_text()
    for expected in ["description: Templates.", "old_path: /old-page/", "uploads/unused.png"]:
        assert expected in site
    media = sorted(p.relative_to(folder / "media").as_posix() for p in folder.rglob("media/**/*"))
    assert "uploads/diagram.png" in media and "uploads/unused.png" in media
    assert not [name for name in media if "w." in name.rsplit("-", 1)[-1]]  # no renditions
    assert {p.split("/")[0] for p in media if p.endswith((".png", ".jpg"))} >= {
        "post", "author", "book", "testimonial", "sitesettings", "uploads",
    }  # fmt: skip


def test_the_archive_is_recognised_by_its_manifest(full_site, tmp_path):
    call_command("export", str(tmp_path / "site.zip"))
    call_command("export", str(tmp_path / "folder"))
    assert isinstance(readers.detect(tmp_path / "site.zip"), ArchiveReader)
    assert isinstance(readers.detect(tmp_path / "folder"), ArchiveReader)
    assert readers.READERS[0].name == "Archive"


def test_importing_the_archive_again_changes_nothing(full_site, tmp_path, capsys):
    call_command("export", str(tmp_path / "site.zip"))
    updated = dict(Post.objects.values_list("slug", "updated_at"))
    call_command("import", str(tmp_path / "site.zip"))
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 4 unchanged" in out
    assert "restored" not in out  # authors, tags, books, settings... not written again
    assert dict(Post.objects.values_list("slug", "updated_at")) == updated
    assert Praise.objects.count() == 2 and Tag.objects.count() == 3


def test_a_dry_run_of_an_archive_writes_nothing(full_site, tmp_path, media_root, capsys):
    call_command("export", str(tmp_path / "site.zip"))
    empty_the_site(media_root)
    call_command("import", str(tmp_path / "site.zip"), "--dry-run")
    out = capsys.readouterr().out
    assert "4 would be created" in out and "2 authors to restore" in out
    assert not Author.objects.exists() and not Tag.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.*"))


def test_export_refuses_a_folder_that_is_not_empty(tmp_path, db):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export", str(tmp_path / "full"))


def test_an_archive_with_an_unsafe_name_is_refused(tmp_path, db):
    path = tmp_path / "evil.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("manifest.json", '{"format": "site-archive", "version": 1}')
        archive.writestr("../outside.txt", "x")
    with pytest.raises(CommandError, match="unsafe name"):
        call_command("import", str(path))
    assert not (tmp_path.parent / "outside.txt").exists()


def test_tags_differing_only_in_case_stay_apart(make_post, tmp_path, media_root):
    go = Tag.objects.create(name="Go", slug="go")
    caps = Tag.objects.create(name="GO", slug="go-caps", description="The game.")
    make_post(slug="language", tags=[go])
    make_post(slug="game", tags=[caps])
    make_post(slug="both", tags=[go, caps])
    call_command("export", str(tmp_path / "site.zip"))
    empty_the_site(media_root)
    call_command("import", str(tmp_path / "site.zip"))
    tagged = {
        post.slug: sorted(tag.name for tag in post.tags.all())
        for post in Post.objects.prefetch_related("tags")
    }
    assert tagged == {"language": ["Go"], "game": ["GO"], "both": ["GO", "Go"]}
    assert Tag.objects.get(slug="go-caps").description == "The game."


def test_a_site_file_the_site_refuses_is_reported_and_posts_still_import(
    full_site, tmp_path, media_root, capsys
):
    folder = tmp_path / "site"
    call_command("export", str(folder))
    site = folder / "site.yaml"
    site.write_text(site.read_text().replace("website: https://alex.example", "website: nope"))
    empty_the_site(media_root)
    with pytest.raises(CommandError, match="1 file"):
        call_command("import", str(folder))
    err = capsys.readouterr().err
    assert "site.yaml" in err and "Enter a valid URL" in err
    assert Post.objects.count() == 4 and not Book.objects.exists()
