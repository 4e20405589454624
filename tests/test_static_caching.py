"""Static files in production mode: hashed names, compressed copies, cached for a year.

collectstatic runs once into a temporary STATIC_ROOT with the production storage
(WhiteNoise's CompressedManifestStaticFilesStorage), over the site's own files
only (the admin's would take long and prove nothing more).
"""

import re

import brotli
import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

YEARS = "max-age=315360000"


PRODUCTION = {
    "STATICFILES_FINDERS": ["django.contrib.staticfiles.finders.FileSystemFinder"],
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
}


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, **PRODUCTION):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(settings, static_root):
    settings.STATIC_ROOT = static_root
    for name, value in PRODUCTION.items():
        setattr(settings, name, value)
    return Client()  # a new client loads WhiteNoise, which reads STATIC_ROOT once


def stylesheet_url(client):
    html = client.get("/about/").content.decode()
    return re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)[1]


def test_pages_link_hashed_names(production_static, author):
    assert stylesheet_url(production_static)


def test_hashed_files_are_cached_for_good(production_static, author):
    response = production_static.get(stylesheet_url(production_static))
    assert response.status_code == 200
    cache_control = response["Cache-Control"]
    assert "public" in cache_control and YEARS in cache_control and "immutable" in cache_control


def test_hashed_files_are_sent_compressed(production_static, author):
    url = stylesheet_url(production_static)
    plain = b"".join(production_static.get(url).streaming_content)
    response = production_static.get(url, headers={"accept-encoding": "gzip, br"})
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(response.streaming_content)) == plain


def test_unhashed_names_are_kept_briefly(production_static, author):
    response = production_static.get("/static/css/site.css")
    assert response.status_code == 200
    assert (
        "max-age=60" in response["Cache-Control"] and "immutable" not in response["Cache-Control"]
    )
