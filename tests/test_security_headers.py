"""Security headers on every response: pages, admin, media, static files, errors."""

import base64
import hashlib
import re

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import path

from core.http.csp import INLINE_SCRIPTS, inline_script_source, source_hash

pytestmark = pytest.mark.django_db


def sha256_source(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values for name, *values in (directive.split() for directive in policy.split(";"))
    }


def assert_security_headers(response, media=False):
    if media:
        assert_media_policy(response)
    else:
        assert_site_policy(response)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    for feature in ("camera", "microphone", "geolocation", "payment", "browsing-topics"):
        assert f"{feature}=()" in response["Permissions-Policy"]


def assert_media_policy(response):
    # Uploads get a stricter policy than pages: nothing may run or load, even opened directly.
    policy = directives(response)
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "sandbox" in policy


def assert_site_policy(response):
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "nonce" not in response["Content-Security-Policy"]


def test_public_pages_carry_every_header(client, make_post):
    post = make_post()
    for url in ("/", "/blog/", post.get_absolute_url(), "/work-with-me/", "/search/?q=x"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)
    assert_security_headers(client.get("/no-such-page/"))
    assert_security_headers(client.get("/feed/"))


def test_the_inline_script_is_allowed_by_its_hash_and_nothing_else(client, make_post):
    response = client.get(make_post().get_absolute_url())
    inline = [
        body
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
        if "src=" not in attributes and "application/ld+json" not in attributes
    ]
    assert inline == [inline_script_source("js/theme-boot.js")]
    assert directives(response)["script-src"] == ["'self'", sha256_source(inline[0])]


def test_the_hash_follows_the_file(tmp_path, monkeypatch):
    """The hash is computed from the file the page inlines, so an edit cannot leave it stale."""
    import core.http.csp as csp

    (tmp_path / "js").mkdir()
    (tmp_path / "js" / "theme-boot.js").write_text("  console.log('changed')\n")
    monkeypatch.setattr(csp, "STATIC_DIR", tmp_path)
    csp.inline_script_source.cache_clear()
    try:
        expected = sha256_source("console.log('changed')")
        assert csp.site_policy()["script-src"] == ["'self'", expected]
    finally:
        csp.inline_script_source.cache_clear()


def test_only_listed_scripts_may_be_inlined():
    assert INLINE_SCRIPTS == ("js/theme-boot.js",)
    template = Template('{% load site_tags %}{% inline_script "js/theme.js" %}')
    with pytest.raises(ValueError, match="not in core.http.csp.INLINE_SCRIPTS"):
        template.render(Context())


def test_the_policy_is_the_same_on_every_response(client):
    """No per-request nonce: a cached page's header still matches its content."""
    first, second = client.get("/"), client.get("/")
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]


def test_admin_pages_carry_every_header(client, admin_client):
    assert_security_headers(client.get("/admin/login/"))
    for url in ("/admin/", "/admin/blog/post/", "/admin/blog/post/add/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_security_headers(response)


def test_media_carries_every_header(client, media_root):
    (media_root / "uploads").mkdir(parents=True)
    (media_root / "uploads" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get("/media/uploads/photo.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert_security_headers(response, media=True)


def test_static_files_carry_every_header(settings):
    # WhiteNoise answers static requests itself; the header middleware sits outside it.
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/site.css")
    assert response.status_code == 200
    assert_security_headers(response)


def broken_view(request):
    raise RuntimeError("boom")


urlpatterns = [path("broken/", broken_view)]
handler500 = "core.http.errors.server_error"


@pytest.mark.urls(__name__)
def test_the_error_page_may_use_its_own_inline_styles_only():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    styles = re.findall(r"<style>(.*?)</style>", response.text, re.S)
    assert len(styles) == 1
    policy = directives(response)
    assert policy["style-src"] == ["'self'", source_hash(styles[0])]
    assert policy["script-src"][0] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
