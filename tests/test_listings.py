"""Tag listings (blog.tag_listings) stay an exact copy of posts' tags, status and dates."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from blog.models import Post
from blog.tag_listings import TagListing
from pages.models import SiteSettings
from tests.scratch import scratch_database

pytestmark = pytest.mark.django_db


def expected():
    pairs = Post.tags.through.objects.values_list(
        "post", "tag", "post__status", "post__published_at"
    )
    return set(pairs)


def listed():
    return set(TagListing.objects.values_list("post", "tag", "status", "published_at"))


@pytest.fixture
def tags(make_tag):
    return [make_tag(name) for name in ("Hiring", "Evaluation", "Leadership")]


class TestKeptInStep:
    def test_tags_set_from_the_post(self, make_post, tags):
        post = make_post(tags=tags[:2])
        assert listed() == expected() and len(listed()) == 2
        post.tags.set(tags[1:])
        assert listed() == expected() and len(listed()) == 2
        post.tags.remove(tags[1])
        assert listed() == expected() and len(listed()) == 1
        post.tags.clear()
        assert listed() == expected() == set()

    def test_posts_set_from_the_tag(self, make_post, tags):
        first, second = make_post(), make_post()
        tags[0].posts.add(first, second)
        assert listed() == expected() and len(listed()) == 2
        tags[0].posts.remove(first)
        assert listed() == expected() and len(listed()) == 1
        tags[0].posts.clear()
        assert listed() == expected() == set()

    def test_status_and_date_follow_every_save(self, make_post, tags):
        post = make_post(tags=tags, status=Post.Status.DRAFT, published_at=None)
        assert listed() == expected()
        post.status = Post.Status.PUBLISHED
        post.save()
        assert listed() == expected()
        post.published_at = timezone.now() + timedelta(days=3)
        post.save()
        assert listed() == expected()

    def test_the_unpublish_action(self, make_post, tags, admin_client):
        post = make_post(tags=tags)
        admin_client.post(
            "/admin/blog/post/",
            {"action": "unpublish", "_selected_action": [post.pk], "confirmed": "yes"},
        )
        assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT
        assert listed() == expected()

    def test_deleting_a_post_or_a_tag(self, make_post, tags):
        post = make_post(tags=tags)
        make_post(tags=tags)
        post.delete()
        tags[0].delete()
        assert listed() == expected() and len(listed()) == 2

    def test_generated_posts(self, db):
        call_command("generate_posts", "30", stdout=None)
        assert listed() == expected() and len(listed()) >= 30

    def test_imported_posts(self, tmp_path, author):
        (tmp_path / "post.md").write_text(
            "---\ntitle: Imported\nslug: imported\ndate: 2025-01-02T09:00:00Z\n"
            f"author: {author.slug}\ntags: [Hiring, Evaluation]\n---\nText.\n"
        )
        call_command("import_markdown", str(tmp_path), stdout=None)
        assert listed() == expected() and len(listed()) == 2

    def test_rebuilt_after_changes_made_in_sql(self, make_post, tags):
        post = make_post(tags=tags[:2])
        Post.objects.filter(pk=post.pk).update(status=Post.Status.DRAFT)  # no signal
        TagListing.objects.filter(tag=tags[0]).delete()
        assert listed() != expected()
        out = io.StringIO()
        call_command("rebuild_tag_listings", stdout=out)
        assert listed() == expected() and "Rebuilt 2 tag listing(s)" in out.getvalue()


class TestTagPages:
    def test_only_published_posts_that_are_live(self, client, make_post, tags):
        make_post(title="Live", tags=[tags[0]])
        make_post(title="Draft", tags=[tags[0]], status=Post.Status.DRAFT, published_at=None)
        make_post(title="Later", tags=[tags[0]], published_at=timezone.now() + timedelta(days=1))
        make_post(title="Elsewhere", tags=[tags[1]])
        html = client.get(tags[0].get_absolute_url()).content.decode()
        assert "Live" in html
        assert "Draft" not in html and "Later" not in html and "Elsewhere" not in html

    def test_a_page_reads_its_ids_from_the_listing_index(self, client, make_post, tags):
        for _ in range(25):
            make_post(tags=[tags[0]])
        SiteSettings.load()  # cached, as on any site that has served a page
        with CaptureQueriesContext(connection) as queries:
            response = Client().get(tags[0].get_absolute_url(), {"page": 2})
        assert response.status_code == 200
        assert len(queries) == 3
        page = next(q["sql"] for q in queries if '"blog_taglisting"' in q["sql"])
        assert '"blog_post_tags"' not in page  # the posts' tags are the prefetch's business


def test_the_migration_fills_listings_for_posts_saved_before_it(tmp_path):
    count_listings = (
        "from blog.tag_listings import TagListing; from blog.models import Post; "
        "print(TagListing.objects.count(), Post.tags.through.objects.count())"
    )
    with scratch_database(tmp_path, "listings") as site:
        site.manage("migrate", "--noinput")
        site.manage("setup_demo")
        site.manage("migrate", "blog", "0014", "--noinput")  # drops the table
        site.manage("migrate", "--noinput")
        listings, pairs = site.manage("shell", "--no-imports", "-c", count_listings).stdout.split()
        assert int(pairs) > 0 and listings == pairs
