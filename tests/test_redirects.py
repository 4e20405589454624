"""Redirects an author adds by hand (django.contrib.redirects) and the Site record behind them."""

import pytest
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site

from pages.sites import sync_site_domain

pytestmark = pytest.mark.django_db


def add_redirect(old_path, new_path):
    return Redirect.objects.create(site_id=1, old_path=old_path, new_path=new_path)


def test_hand_made_redirect_answers_301(client, make_post):
    post = make_post()
    add_redirect("/2019/05/old-wordpress-address/", post.get_absolute_url())

    response = client.get("/2019/05/old-wordpress-address/")

    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_redirect_to_nothing_answers_410_gone(client):
    add_redirect("/retired-page/", "")

    assert client.get("/retired-page/").status_code == 410


def test_redirect_never_hides_a_live_page(client, make_post):
    post = make_post()
    add_redirect(post.get_absolute_url(), "/elsewhere/")

    assert client.get(post.get_absolute_url()).status_code == 200


def test_unknown_paths_still_get_the_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"<h1" in response.content


def test_author_adds_a_redirect_in_the_admin(staff_client, make_post):
    post = make_post()
    response = staff_client.post(
        "/admin/redirects/redirect/add/",
        {"site": 1, "old_path": "/talks/", "new_path": post.get_absolute_url()},
    )
    assert response.status_code == 302

    assert staff_client.get("/talks/").status_code == 301


class TestSiteDomain:
    def test_placeholder_domain_becomes_the_first_allowed_host(self, settings):
        settings.SITE_DOMAIN = ""
        settings.ALLOWED_HOSTS = [".example.org", "www.example.org"]
        Site.objects.filter(pk=1).update(domain="example.com")

        sync_site_domain()

        assert Site.objects.get(pk=1).domain == "www.example.org"

    def test_configured_domain_wins(self, settings):
        settings.SITE_DOMAIN = "alexnavarro.com"

        sync_site_domain()

        assert Site.objects.get_current().domain == "alexnavarro.com"

    def test_domain_edited_in_the_admin_is_kept_without_configuration(self, settings):
        settings.SITE_DOMAIN = ""
        Site.objects.filter(pk=1).update(domain="writer.example")

        sync_site_domain()

        assert Site.objects.get(pk=1).domain == "writer.example"

    def test_feeds_use_the_site_domain(self, client, settings, make_post):
        settings.SITE_DOMAIN = "alexnavarro.com"
        sync_site_domain()
        post = make_post()

        feed = client.get("/feed/").content.decode()

        assert f"http://alexnavarro.com{post.get_absolute_url()}" in feed


class TestOldQueryAddresses:
    """WordPress's /?p=ID addresses, stored as redirects by the importer, answer."""

    def test_a_stored_query_address_redirects_from_the_home_page(self, client, make_post):
        post = make_post()
        Redirect.objects.create(site_id=1, old_path="/?p=101", new_path=post.get_absolute_url())
        response = client.get("/?p=101")
        assert response.status_code == 301
        assert response["Location"] == post.get_absolute_url()
        # An id no redirect names, and other queries, get the home page.
        assert client.get("/?p=999").status_code == 200
        assert client.get("/?utm_source=x").status_code == 200
