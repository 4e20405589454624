"""No anonymous request can empty the page cache or push the site's state out of a cache.

Only a real edit of something readers see starts a new content version (core/signals.py,
``PAGE_CACHE_VISIBLE``); pages live in a cache of their own, so storing many of them
never evicts the content version or the enquiry rate limits (site_config/settings.py).
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache, caches
from django.test import Client
from django.urls import reverse

from core.http import page_cache
from core.signals import visible
from enquiries.models import Enquiry, Need

pytestmark = pytest.mark.django_db


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


def test_a_failed_sign_in_leaves_the_cached_pages(client, page_cache_on, make_post):
    make_post()
    assert client.get("/blog/")["X-Page-Cache"] == "miss"
    version = page_cache.content_version()
    Client().post(reverse("admin:login"), {"username": "nobody", "password": "wrong"})
    assert page_cache.content_version() == version
    assert client.get("/blog/")["X-Page-Cache"] == "hit"


def test_only_what_readers_see_starts_a_new_version(make_post):
    version = page_cache.content_version()
    SessionStore().save()
    User.objects.create_user("someone", password="pw-123456!")
    Enquiry.objects.create(name="A", email="a@example.com", message="Hello")
    assert page_cache.content_version() == version
    Need.objects.create(label="A new need")  # a choice on the Work with me form
    assert page_cache.content_version() != version


def test_every_model_of_the_sites_apps_is_visible_unless_listed(settings):
    from django.apps import apps

    ours = {"blog", "pages", "books", "praise", "search"}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in ours and label not in settings.PAGE_CACHE_INVISIBLE:
            assert visible(model), label
    assert not visible(apps.get_model("axes", "AccessAttempt"))
    assert not visible(apps.get_model("admin", "LogEntry"))


def test_many_distinct_urls_never_evict_the_site_state(settings, client, make_post):
    settings.PAGE_CACHE_SECONDS = 3600
    # Both bounded, as the file caches are; far more distinct pages than either holds.
    settings.CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": alias,
            "OPTIONS": {"MAX_ENTRIES": 20, "CULL_FREQUENCY": 2},
        }
        for alias in ("default", "pages")
    }
    make_post()
    version = page_cache.content_version()
    cache.set("enquiries:rate:203.0.113.7", 4, timeout=600)
    for number in range(200):
        assert client.get(f"/blog/?utm_source={number}").status_code == 200
    assert len(caches["pages"]._cache) <= 20  # pages were culled…
    assert page_cache.content_version() == version  # …and the state was not
    assert cache.get("enquiries:rate:203.0.113.7") == 4
