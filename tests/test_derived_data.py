"""Every stored derivative follows what it depends on (docs/architecture.md, "Derived data").

The share card's dependencies are in test_social_cards.py, the page cache's in
test_page_cache.py, the search index's single-save cases in test_search.py; here are
the bulk changes that no model signal sees, and the one derivation shared by save,
preview and rerender.
"""

import io

import pytest
from django.core.management import call_command

from blog import derivation
from blog.models import KeepReading, Post, Tag, TagListing
from blog.pending_edits import show_draft
from blog.revisions import apply_content, content_of
from blog.suggestions import refresh_suggestions
from core.changes import announce
from search.backends import search_posts
from tests.conftest import add_faq

pytestmark = pytest.mark.django_db

UNRELATED = "Sourdough needs flour, water, salt and a patient baker."


def found(query):
    return set(search_posts(query).values_list("pk", flat=True))


def suggested(post):
    links = KeepReading.objects.filter(post=post, suggested=True).order_by("position")
    return list(links.values_list("target", flat=True))


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 3600


class TestRerenderLeavesNothingBehind:
    """A body changed in SQL, then ``manage.py rerender``: everything matches a fresh save."""

    @pytest.fixture
    def posts(self, make_post):
        harbour = make_post(title="Port cranes", description="", body="Ships and containers.")
        spice = make_post(
            title="Zanzibar spice routes",
            description="",
            body="Zanzibar cloves, zanzibar pepper and the zanzibar trade.",
        )
        make_post(title="Bread", body=UNRELATED, description="")
        refresh_suggestions()
        Post.objects.filter(pk=harbour.pk).update(
            body="Zanzibar, zanzibar: the spice island, its zanzibar cloves and its cranes."
        )
        return harbour, spice

    def test_search_finds_the_new_text(self, posts):
        harbour, _ = posts
        assert harbour.pk not in found("island")
        call_command("rerender", stdout=io.StringIO())
        assert harbour.pk in found("island")

    def test_stored_fields_are_what_a_save_derives(self, posts):
        harbour, _ = posts
        call_command("rerender", stdout=io.StringIO())
        harbour.refresh_from_db()
        fresh = derivation.derive(harbour)
        assert "island" in harbour.body_html
        stored = {name: getattr(harbour, name) for name in derivation.FIELDS}
        assert stored == fresh.fields()

    def test_suggestions_are_what_a_full_refresh_computes(self, posts):
        harbour, spice = posts
        before = suggested(harbour)
        call_command("rerender", stdout=io.StringIO())
        after = suggested(harbour)
        assert before[:1] != [spice.pk] and after[:1] == [spice.pk]  # the shared words count now
        refresh_suggestions()
        assert suggested(harbour) == after

    def test_cached_pages_show_the_new_html(self, client, posts, page_cache_on):
        harbour, _ = posts
        client.get(harbour.get_absolute_url())  # cached with the old body
        call_command("rerender", stdout=io.StringIO())
        assert "spice island" in client.get(harbour.get_absolute_url()).content.decode()


class TestAnnouncedBulkChanges:
    def test_a_status_changed_in_sql_reaches_tag_pages_once_announced(
        self, client, make_post, make_tag, page_cache_on
    ):
        tag = make_tag("Hiring")
        post = make_post(title="Withdrawn later", tags=[tag])
        assert "Withdrawn later" in client.get(tag.get_absolute_url()).content.decode()
        Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)
        # Unannounced, the listing copy and the cached page both still say published.
        assert "Withdrawn later" in client.get(tag.get_absolute_url()).content.decode()
        announce(Post, [post.pk])
        assert TagListing.objects.get(post=post).status == Post.Status.DRAFT
        assert "Withdrawn later" not in client.get(tag.get_absolute_url()).content.decode()

    def test_a_tag_renamed_in_sql_is_searchable_once_announced(self, make_post, make_tag):
        tag = make_tag("Hiring")
        post = make_post(tags=[tag])
        Tag.objects.filter(pk=tag.pk).update(name="Recruitment")
        assert post.pk not in found("recruitment")
        announce(Tag, [tag.pk])
        assert post.pk in found("recruitment")

    def test_announcing_every_post_rebuilds_listings_and_index(self, make_post, make_tag):
        tag = make_tag("Hiring")
        post = make_post(title="Quasar notes", tags=[tag])
        TagListing.objects.all().delete()
        Post.objects.filter(pk=post.pk).update(title="Pulsar notes")
        announce(Post)
        assert TagListing.objects.filter(post=post, tag=tag).exists()
        assert post.pk in found("pulsar")


class TestOneDerivation:
    def test_the_faq_counts_toward_reading_time_through_every_change(self, make_post):
        post = make_post()
        alone = post.word_count
        add_faq(post, 3)
        post.refresh_from_db()
        assert post.word_count > alone
        post.faq_items.all().delete()  # a queryset delete: no FAQItem.delete() runs
        post.refresh_from_db()
        assert post.word_count == alone

    def test_a_pending_edit_previews_what_saving_it_would_store(self, make_post):
        post = make_post()
        content = {
            **content_of(post),
            "body": "## Costs\n\nA new body, [a link](https://example.com).\n\n## Risks\n\nMore.",
            "faq": [{"question": "Why?", "answer": "Because **it** matters."}],
        }
        preview = Post.objects.get(pk=post.pk)
        show_draft(preview, content)
        apply_content(post, content, user=None, comment="test")
        post.refresh_from_db()
        assert (preview.body_html, preview.toc_html) == (post.body_html, post.toc_html)
        assert (preview.word_count, preview.reading_minutes) == (
            post.word_count,
            post.reading_minutes,
        )
