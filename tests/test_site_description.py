"""The site's meta description is never empty (issue 17): a site made only of imported
posts has no tagline, and an empty description costs it in search results."""

import re

import pytest

from pages.models import DESCRIPTION_LENGTH, SiteSettings


def description_of(client, path):
    html = client.get(path).content.decode()
    return re.search(r'<meta name="description" content="([^"]*)">', html)[1]


@pytest.fixture
def site(author):
    # After the author fixture, which makes its author the owner and names the site.
    settings = SiteSettings.load()
    settings.tagline = settings.introduction = ""
    settings.owner = None
    settings.site_name = "Field Notes"
    settings.save()
    SiteSettings.forget()
    return SiteSettings.objects.get()


def test_the_tagline_comes_first(client, site):
    site.tagline = "Hiring and leading AI engineers"
    site.save()
    SiteSettings.forget()
    assert description_of(client, "/") == "Hiring and leading AI engineers"


def test_without_a_tagline_the_owner_bio_is_cut_at_a_word(client, site, author):
    author.bio = "I help teams hire **AI engineers**. " + "Long words again and again. " * 20
    author.save()
    site.owner = author
    site.save()
    SiteSettings.forget()
    description = description_of(client, "/")
    assert description.startswith("I help teams hire AI engineers.")
    assert len(description) <= DESCRIPTION_LENGTH
    assert description.endswith("…") and not description.endswith(" …")
    # Pages without a description of their own use the site's.
    assert description_of(client, "/work-with-me/").startswith("I help teams hire")


def test_a_site_of_imported_posts_only_names_its_latest_posts(client, site, make_post):
    make_post(title="Migrating from WordPress")
    make_post(title="A second imported post")
    description = description_of(client, "/")
    assert description.startswith("Field Notes: ")
    assert "Migrating from WordPress" in description and "A second imported post" in description
    # Pages without their own description fall back to the site's, never to nothing.
    assert description_of(client, "/work-with-me/") == "Field Notes"
    assert description_of(client, "/blog/") == "Articles by Field Notes."


def test_an_empty_site_is_described_by_its_name(client, site):
    assert description_of(client, "/") == "Field Notes"
