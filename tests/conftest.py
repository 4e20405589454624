"""Shared fixtures: isolated media, a clean cache, and small content factories."""

import io
from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from blog.models import Author, FAQItem, KeepReading, Post, Tag
from core.http import page_cache
from pages.models import SiteSettings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # The test client's host, so absolute URLs in feeds and sitemaps match it.
    with django_db_blocker.unblock():
        Site.objects.filter(pk=1).update(domain="testserver", name="testserver")
        Site.objects.clear_cache()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ADMIN_LOGIN_FILE = tmp_path / "admin-login.txt"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache(settings):
    # Each test gets its own empty in-memory cache, whatever the site is configured with.
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "pages")
    }
    cache.clear()
    page_cache.local_pages.clear()
    yield
    cache.clear()
    page_cache.local_pages.clear()
    Site.objects.clear_cache()  # a test may have changed the domain, then rolled it back


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    # Tests render templates without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def image_bytes(fmt="PNG", size=(40, 30), color=(200, 80, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def image_upload(name="photo.png", fmt="PNG", content_type="image/png", **kwargs):
    return SimpleUploadedFile(name, image_bytes(fmt, **kwargs), content_type=content_type)


@pytest.fixture
def author(db):
    """The site owner, as the demo site has it."""
    owner = Author.objects.create(name="Alex Navarro", slug="alex-navarro", role="Advisor")
    SiteSettings.objects.filter(pk=1).update(site_name="Alex Navarro", owner=owner)
    SiteSettings.forget()
    return owner


@pytest.fixture
def make_post(author):
    counter = iter(range(1, 10_000))

    def make(**fields):
        n = next(counter)
        tags = fields.pop("tags", [])
        fields.setdefault("title", f"Post number {n}")
        fields.setdefault("slug", f"post-{n}")
        fields.setdefault("body", f"Body of post {n}.\n\n## A section\n\nMore words here.")
        fields.setdefault("description", f"Description of post {n}.")
        fields.setdefault("status", Post.Status.PUBLISHED)
        fields.setdefault("published_at", timezone.now() - timedelta(days=n))
        fields.setdefault("author", author)
        post = Post.objects.create(**fields)
        post.tags.set(tags)
        return post

    return make


@pytest.fixture
def make_tag(db):
    def make(name):
        from django.utils.text import slugify

        return Tag.objects.create(name=name, slug=slugify(name))

    return make


def add_faq(post, count):
    for i in range(count):
        FAQItem.objects.create(
            post=post, question=f"Question {i}?", answer=f"Answer **{i}**.", position=i
        )


def link_keep_reading(post, targets):
    for i, target in enumerate(targets):
        KeepReading.objects.create(post=post, target=target, position=i)


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "pw-123456!")
    client.force_login(user)
    return client


def pytest_report_header(config):
    from django.db import connection

    return f"database: {connection.vendor} ({connection.settings_dict['NAME']})"
