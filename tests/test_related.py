"""Keep-reading suggestions when the author curated none: scored, stored, filtered, outranked."""

import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from blog import suggestions as related
from blog.io.markdown_files import export_site
from blog.models import KeepReading, Post
from blog.suggestions import refresh_suggestions
from pages.models import SiteSettings
from tests.conftest import add_faq, link_keep_reading

pytestmark = pytest.mark.django_db

HOUR = timedelta(hours=1)
UNRELATED = "Sourdough needs flour, water, salt and a patient baker."


def suggested_titles(post):
    links = KeepReading.objects.filter(post=post, suggested=True).select_related("target")
    return [link.target.title for link in links]


def keep_reading_titles(client, post):
    """The card titles in the article's Keep reading section, in order."""
    html = client.get(post.get_absolute_url()).content.decode()
    section = html.split('id="keep-reading-heading"', 1)
    if len(section) == 1:
        return []
    return re.findall(r'class="post-card-title"><a href="[^"]+">([^<]+)</a>', section[1])


@pytest.fixture
def tags(make_tag):
    return {name: make_tag(name) for name in ["Hiring", "Evaluation", "Leadership", "Baking"]}


class TestScoring:
    def test_more_shared_tags_rank_higher(self, make_post, tags):
        post = make_post(title="Subject", tags=[tags["Hiring"], tags["Evaluation"]])
        one = make_post(title="One shared tag", tags=[tags["Hiring"]])
        two = make_post(title="Two shared tags", tags=[tags["Hiring"], tags["Evaluation"]])
        make_post(title="Baking", body=UNRELATED, description="", tags=[tags["Baking"]])

        refresh_suggestions()

        assert suggested_titles(post)[:2] == [two.title, one.title]
        assert "Baking" not in suggested_titles(post)  # nothing in common: never suggested

    def test_similar_words_rank_higher_without_tags(self, make_post):
        text = "Build an evaluation harness with golden datasets before any LLM launch."
        post = make_post(title="Evaluate before launch", body=text)
        similar = make_post(title="Golden datasets for evaluation", body=text + " Regression.")
        loose = make_post(title="Launch checklists", body="A launch needs a checklist.")
        make_post(title="Bread", body=UNRELATED, description="")

        refresh_suggestions()

        assert suggested_titles(post) == [similar.title, loose.title]

    def test_similarity_works_for_japanese_too(self, make_post):
        post = make_post(title="機械学習の評価", body="機械学習モデルの評価方法。", description="")
        similar = make_post(title="機械学習の基礎", body="機械学習モデルの作り方。", description="")
        make_post(title="Bread", body=UNRELATED, description="")
        refresh_suggestions()
        assert suggested_titles(post) == [similar.title]

    def test_newer_posts_are_included_and_break_ties(self, make_post, tags):
        post = make_post(title="Subject", tags=[tags["Hiring"]])
        older = make_post(title="Older", tags=[tags["Hiring"]])
        newer = make_post(
            title="Newer", tags=[tags["Hiring"]], published_at=timezone.now() - timedelta(hours=1)
        )
        refresh_suggestions()
        assert suggested_titles(post)[:2] == [newer.title, older.title]
        assert newer.published_at > post.published_at

    def test_never_itself_nor_a_draft(self, make_post, tags):
        post = make_post(title="Subject", tags=[tags["Hiring"]])
        make_post(title="Draft", tags=[tags["Hiring"]], status=Post.Status.DRAFT)
        refresh_suggestions()
        assert "Subject" not in suggested_titles(post) and "Draft" not in suggested_titles(post)

    def test_stores_at_most_six(self, make_post, tags):
        post = make_post(tags=[tags["Hiring"]])
        for _ in range(8):
            make_post(tags=[tags["Hiring"]])
        refresh_suggestions()
        assert len(suggested_titles(post)) == 6

    def test_drafts_get_suggestions_for_their_preview(self, make_post, tags):
        draft = make_post(title="Draft", tags=[tags["Hiring"]], status=Post.Status.DRAFT)
        related = make_post(title="Related", tags=[tags["Hiring"]])
        refresh_suggestions(Post.objects.filter(pk=draft.pk))
        assert suggested_titles(draft) == [related.title]
        assert suggested_titles(related) == []  # only the posts asked for


class TestOnTheArticle:
    @pytest.fixture
    def post_with_five_related(self, make_post, tags):
        post = make_post(title="Subject", tags=[tags["Hiring"], tags["Evaluation"]])
        # Just older than the post, so its "Next" (which Keep reading leaves out).
        make_post(title="Neighbour", body=UNRELATED, published_at=post.published_at - HOUR)
        best = make_post(title="Best match", tags=[tags["Hiring"], tags["Evaluation"]])
        others = [make_post(title=f"Match {i}", tags=[tags["Hiring"]]) for i in range(4)]
        refresh_suggestions()
        return post, best, others

    def test_shows_the_three_best_suggestions(self, client, post_with_five_related):
        post, best, others = post_with_five_related
        titles = keep_reading_titles(client, post)
        assert len(titles) == 3 and titles[0] == best.title

    def test_the_next_post_is_not_also_under_keep_reading(self, client, post_with_five_related):
        # The best match is also the post published just before: it is shown once, as
        # "Next", and Keep reading still shows three others.
        post, best, others = post_with_five_related
        Post.objects.filter(title="Neighbour").delete()
        html = client.get(post.get_absolute_url()).content.decode()
        next_link = re.search(r'class="next-post".*?href="([^"]+)"', html, re.S)[1]
        assert next_link == best.get_absolute_url()
        titles = keep_reading_titles(client, post)
        assert len(titles) == 3 and best.title not in titles

    def test_a_curated_next_post_is_shown_once(self, client, make_post, post_with_five_related):
        post, best, others = post_with_five_related
        Post.objects.filter(title="Neighbour").delete()
        link_keep_reading(post, [best, others[0]])
        assert keep_reading_titles(client, post) == [others[0].title]

    def test_curated_links_always_win(self, client, make_post, post_with_five_related):
        post, best, _ = post_with_five_related
        chosen = make_post(title="Chosen by the author", body=UNRELATED)
        link_keep_reading(post, [chosen])
        assert keep_reading_titles(client, post) == [chosen.title]

    def test_hidden_posts_are_skipped_at_render_time(self, client, post_with_five_related):
        post, best, others = post_with_five_related
        best.status = Post.Status.DRAFT
        best.save()  # suggestions stay stored as they were (no commit in this test)
        others[0].published_at = timezone.now() + timedelta(days=1)
        others[0].save()
        assert best.title in suggested_titles(post)
        titles = keep_reading_titles(client, post)
        assert len(titles) == 3
        assert best.title not in titles and others[0].title not in titles

    def test_a_curated_link_to_a_hidden_post_falls_back_to_suggestions(
        self, client, make_post, post_with_five_related
    ):
        post, best, _ = post_with_five_related
        link_keep_reading(post, [make_post(title="Secret", status=Post.Status.DRAFT)])
        titles = keep_reading_titles(client, post)
        assert "Secret" not in titles and titles[0] == best.title

    @pytest.mark.parametrize("count", [1, 8])
    def test_query_count_is_unchanged(
        self, client, make_post, make_tag, django_assert_num_queries, count
    ):
        tag = make_tag("Shared")
        post = make_post(tags=[tag], show_toc=True, body="## One\n\nA.\n\n## Two\n\nB.")
        add_faq(post, count)
        for _ in range(count):
            make_post(tags=[tag])
        refresh_suggestions()
        assert KeepReading.objects.filter(post=post, suggested=True).count() == min(count, 6)
        # Its "Next", not among the suggestions: Keep reading still has cards.
        make_post(title="Sourdough", body=UNRELATED, published_at=post.published_at - HOUR)
        SiteSettings.load()
        # post, tags, author links, FAQ items, keep-reading links with their posts, next post
        with django_assert_num_queries(6):
            response = client.get(post.get_absolute_url())
        assert response.status_code == 200 and "Keep reading" in response.content.decode()


class TestWhenComputed:
    def test_saving_a_post_refreshes_its_own_and_others_suggestions(
        self, make_post, tags, django_capture_on_commit_callbacks
    ):
        older = make_post(title="Older", tags=[tags["Hiring"]])
        with django_capture_on_commit_callbacks(execute=True):
            new = make_post(title="New", tags=[tags["Hiring"]])
            # The tags are set after the post row is saved: the refresh waits for the commit.
        assert suggested_titles(new) == [older.title]
        assert suggested_titles(older) == [new.title]

    def test_saving_a_draft_refreshes_only_its_own(
        self, make_post, tags, django_capture_on_commit_callbacks
    ):
        published = make_post(title="Published", tags=[tags["Hiring"]])
        with django_capture_on_commit_callbacks(execute=True):
            draft = make_post(title="Draft", tags=[tags["Hiring"]], status=Post.Status.DRAFT)
        assert suggested_titles(draft) == [published.title]
        assert suggested_titles(published) == []

    def test_management_command_refreshes_every_post(self, make_post, tags):
        first = make_post(title="First", tags=[tags["Hiring"]])
        second = make_post(title="Second", tags=[tags["Hiring"]])
        out = io.StringIO()
        call_command("refresh_related_posts", stdout=out)
        assert "2 post(s)" in out.getvalue()
        assert suggested_titles(first) == ["Second"] and suggested_titles(second) == ["First"]

    def test_refreshing_replaces_old_suggestions(self, make_post, tags):
        post = make_post(title="Subject", tags=[tags["Hiring"]])
        other = make_post(title="Was related", tags=[tags["Hiring"]])
        refresh_suggestions()
        other.tags.set([tags["Baking"]])
        other.body = UNRELATED
        other.title = "Bread"
        other.description = ""
        other.save()
        refresh_suggestions()
        assert suggested_titles(post) == []


class TestLargeSites:
    """Past ``POOL`` published posts, each post is compared with a bounded pool."""

    @pytest.fixture(autouse=True)
    def small_pool(self, monkeypatch):
        monkeypatch.setattr(related, "POOL", 3)
        monkeypatch.setattr(related, "NEIGHBOURS", 2)

    def test_posts_sharing_the_most_tags_are_compared_first(self, make_post, tags):
        post = make_post(title="Subject", tags=[tags["Hiring"], tags["Evaluation"]])
        # Older than five newer posts with nothing in common: only the pool finds it.
        ancient = make_post(
            title="Ancient", tags=[tags["Hiring"], tags["Evaluation"]],
            published_at=timezone.now() - timedelta(days=3000),
        )  # fmt: skip
        for n in range(5):
            make_post(title=f"Bread {n}", body=UNRELATED, description="", tags=[tags["Baking"]])
        refresh_suggestions(Post.objects.filter(pk=post.pk))
        assert suggested_titles(post) == [ancient.title]

    def test_a_pool_holds_at_most_pool_posts(self, make_post, tags):
        post = make_post(tags=[tags["Hiring"]])
        for _ in range(6):
            make_post(tags=[tags["Hiring"]])
        assert len(related.pool_ids(post)) == 3
        refresh_suggestions(Post.objects.filter(pk=post.pk))
        assert len(suggested_titles(post)) == 3

    def test_publishing_refreshes_the_closest_posts_lists_not_everyones(
        self, make_post, tags, django_capture_on_commit_callbacks
    ):
        close = [make_post(title=f"Close {n}", tags=[tags["Hiring"]]) for n in range(2)]
        far = [make_post(title=f"Far {n}", body=UNRELATED, tags=[tags["Baking"]]) for n in range(4)]
        with django_capture_on_commit_callbacks(execute=True):
            new = make_post(title="New", tags=[tags["Hiring"]])
        assert set(suggested_titles(new)) == {"Close 0", "Close 1"}
        assert all("New" in suggested_titles(post) for post in close)
        assert all(suggested_titles(post) == [] for post in far)  # never recomputed

    def test_posts_that_listed_a_changed_post_are_refreshed(
        self, make_post, tags, django_capture_on_commit_callbacks
    ):
        subject = make_post(title="Subject", tags=[tags["Hiring"]])
        changing = make_post(title="Changing", tags=[tags["Hiring"]])
        for n in range(4):
            make_post(title=f"Bread {n}", body=UNRELATED, description="", tags=[tags["Baking"]])
        refresh_suggestions(Post.objects.filter(pk=subject.pk))
        assert suggested_titles(subject) == ["Changing"]
        with django_capture_on_commit_callbacks(execute=True):
            changing.title = "Bread too"
            changing.body = UNRELATED
            changing.description = ""
            changing.save()
            changing.tags.set([tags["Baking"]])
        assert "Bread too" not in suggested_titles(subject)

    def test_word_counts_are_stored_on_save_and_filled_in_for_older_posts(self, make_post):
        post = make_post(title="Evaluation harness", body="Golden datasets for evaluation.")
        assert post.terms["evaluation"] >= 2 and "golden" in post.terms
        Post.objects.filter(pk=post.pk).update(terms={})  # as saved before the field existed
        related.load(Post.objects.filter(pk=post.pk))
        post.refresh_from_db()
        assert post.terms["golden"] == 1


class TestAuthorsSide:
    def test_admin_lists_suggestions_but_only_lets_the_author_edit_curated_links(
        self, staff_client, make_post, tags
    ):
        post = make_post(title="Subject", tags=[tags["Hiring"]])
        make_post(title="Suggested read", tags=[tags["Hiring"]])
        refresh_suggestions()
        html = staff_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
        assert "Suggested keep reading" in html and "Suggested read" in html
        assert 'name="keep_reading_links-INITIAL_FORMS" value="0"' in html

    def test_author_may_curate_a_post_that_is_already_suggested(
        self, staff_client, author, make_post, tags
    ):
        post = make_post(title="Subject", slug="subject", tags=[tags["Hiring"]])
        target = make_post(title="Suggested read", tags=[tags["Hiring"]])
        refresh_suggestions()
        data = {
            "title": "Subject",
            "slug": "subject",
            "description": "",
            "body": post.body,
            "status": "published",
            "published_at_0": "2026-04-24",
            "published_at_1": "09:00:00",
            "author": author.pk,
            "tags": [tags["Hiring"].pk],
            "featured_image_alt": "",
            "faq_items-TOTAL_FORMS": "0",
            "faq_items-INITIAL_FORMS": "0",
            "keep_reading_links-TOTAL_FORMS": "1",
            "keep_reading_links-INITIAL_FORMS": "0",
            "keep_reading_links-0-target": target.pk,
            "keep_reading_links-0-position": "0",
        }
        response = staff_client.post(f"/admin/blog/post/{post.pk}/change/", data)
        assert response.status_code == 302, response.content.decode()[:3000]
        curated = post.keep_reading_links.curated()
        assert [link.target for link in curated] == [target]
        assert suggested_titles(post) == ["Suggested read"]

    def test_export_carries_only_curated_links(self, make_post, tags, tmp_path):
        post = make_post(title="Subject", slug="subject", tags=[tags["Hiring"]])
        make_post(title="Suggested read", tags=[tags["Hiring"]])
        refresh_suggestions()
        export_site(tmp_path)
        assert "keep_reading: []" in (tmp_path / "posts" / "subject.md").read_text()
        assert suggested_titles(post) == ["Suggested read"]
