"""The admin under a path of the operator's choosing (DJANGO_ADMIN_URL)."""

import importlib
import re

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse

from blog.models import Post

pytestmark = pytest.mark.django_db


def reload_urls():
    importlib.reload(importlib.import_module("site_config.urls"))
    clear_url_caches()


@pytest.fixture
def backstage(settings):
    """The site as settings.py builds it with DJANGO_ADMIN_URL=backstage/."""
    original = settings.ADMIN_URL
    settings.ADMIN_URL = "backstage/"
    reload_urls()
    yield
    settings.ADMIN_URL = original
    reload_urls()


def test_the_admin_moves_to_the_configured_path(backstage, staff_client):
    anonymous = Client()
    assert reverse("admin:index") == "/backstage/"
    assert anonymous.get("/admin/").status_code == 404
    response = anonymous.get("/backstage/blog/post/")
    assert response.status_code == 302
    assert response["Location"].startswith("/backstage/login/?next=/backstage/blog/post/")
    assert staff_client.get("/backstage/blog/post/").status_code == 200


def test_links_to_the_admin_follow_it(backstage, staff_client, make_post):
    post = make_post(status=Post.Status.DRAFT, published_at=None)
    article = staff_client.get(post.get_absolute_url()).text
    assert f'href="/backstage/blog/post/{post.pk}/change/"' in article
    change_form = staff_client.get(f"/backstage/blog/post/{post.pk}/change/").text
    assert f'data-url="/backstage/blog/post/{post.pk}/autosave/"' in change_form
    assert not re.search(r'(href|action|src|data-url)="/admin/', change_form)


def test_robots_txt_does_not_give_a_chosen_path_away(backstage, client):
    text = client.get("/robots.txt").text
    assert "backstage" not in text and "/admin/" not in text
    assert "Disallow: /markdownx/" in text


def test_robots_txt_keeps_crawlers_out_of_the_default_admin(client):
    assert "Disallow: /admin/\n" in client.get("/robots.txt").text


def test_sign_in_protection_guards_the_moved_login(backstage, client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post("/backstage/login/", {"username": "alex", "password": "wrong"})
    response = client.post("/backstage/login/", {"username": "alex", "password": "wrong"})
    assert response.status_code == 429
    assert 'href="/backstage/login/"' in response.text
