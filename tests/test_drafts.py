"""Draft revisions of published posts and the editor's autosave: readers never see a draft."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone
from reversion.models import Revision

from blog import revisions
from blog.models import Post
from blog.pending_edits import PendingEdit
from tests.conftest import add_faq, link_keep_reading
from tests.workflow_helpers import change_data, change_url, opened_on_draft, without_marks

pytestmark = pytest.mark.django_db

LIVE_TITLE = "The published title"
DRAFT_TITLE = "A secret new title"
DRAFT_WORDS = "Unpublished paragraph nobody may read yet."


@pytest.fixture
def published(make_post, make_tag):
    post = make_post(
        title=LIVE_TITLE,
        slug="published-post",
        body="The published body.",
        tags=[make_tag("Hiring")],
    )
    add_faq(post, 1)
    return post


def public_pages(post):
    """Everything readers can fetch that shows a post, as they get it."""
    reader = Client()
    urls = [
        post.get_absolute_url(),
        "/blog/",
        "/",
        "/blog/tag/hiring/",
        "/feed/",
        "/feed/atom/",
        "/blog/tag/hiring/feed/",
        "/sitemap.xml",
    ]
    pages = {}
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def save_as_draft(client, post, **overrides):
    data = change_data(
        post,
        title=DRAFT_TITLE,
        body=f"The published body.\n\n{DRAFT_WORDS}",
        _save_draft="Save as draft revision",
        **{"faq_items-0-question": "A draft question?"},
    )
    data.update(overrides)
    return client.post(change_url(post), data)


class TestDraftRevision:
    def test_saving_a_draft_keeps_the_live_post_and_every_public_page_unchanged(
        self, staff_client, published
    ):
        before = public_pages(published)
        assert LIVE_TITLE in before[published.get_absolute_url()]

        response = save_as_draft(staff_client, published)
        assert response.status_code == 302
        assert response.url == change_url(published) + "?draft=load"

        live = Post.objects.get(pk=published.pk)
        assert (live.title, live.body, live.updated_at) == (
            LIVE_TITLE,
            "The published body.",
            published.updated_at,
        )
        assert [item.question for item in live.faq_items.all()] == ["Question 0?"]
        draft = PendingEdit.objects.get(post=published)
        assert draft.is_revision and draft.content["title"] == DRAFT_TITLE
        assert draft.content["faq"][0]["question"] == "A draft question?"

        after = public_pages(published)
        assert after == before
        for html in after.values():
            assert DRAFT_TITLE not in html and DRAFT_WORDS not in html

    def test_a_draft_save_is_not_a_revision_of_the_live_post(self, staff_client, published):
        save_as_draft(staff_client, published)
        assert not Revision.objects.exists()

    def test_change_form_shows_the_pending_draft_with_its_buttons(self, staff_client, published):
        save_as_draft(staff_client, published)
        html = staff_client.get(change_url(published)).content.decode()
        assert "This post has a pending draft revision" in html
        assert f"/admin/blog/post/{published.pk}/draft/publish/" in html
        assert f"/admin/blog/post/{published.pk}/draft/discard/" in html
        assert "Publish draft" in html and "Discard draft" in html
        # The editor itself still holds the live text, and autosave waits for a choice.
        assert f'value="{LIVE_TITLE}"' in html and 'data-enabled="0"' in html

    def test_the_draft_opens_in_the_editor_with_its_inlines(self, staff_client, published):
        save_as_draft(staff_client, published)
        html = staff_client.get(change_url(published) + "?draft=load").content.decode()
        assert "You are editing the pending draft" in html
        assert f'value="{DRAFT_TITLE}"' in html and DRAFT_WORDS in html
        assert 'value="A draft question?"' in html
        assert 'name="faq_items-INITIAL_FORMS" value="0"' in html
        assert 'data-enabled="1"' in html

    def test_publishing_the_draft_updates_the_post_as_a_new_revision(self, staff_client, published):
        save_as_draft(staff_client, published)
        response = staff_client.post(f"/admin/blog/post/{published.pk}/draft/publish/")
        assert response.status_code == 302 and response.url == change_url(published)
        live = Post.objects.get(pk=published.pk)
        assert live.title == DRAFT_TITLE and DRAFT_WORDS in live.body_html
        assert [item.question for item in live.faq_items.all()] == ["A draft question?"]
        assert [tag.name for tag in live.tags.all()] == ["Hiring"]
        assert not PendingEdit.objects.exists()
        (version,) = revisions.versions_of(live)
        assert version.revision.get_comment() == "Published the draft revision."
        assert revisions.content_of_version(version)["title"] == DRAFT_TITLE
        assert DRAFT_WORDS in Client().get(live.get_absolute_url()).content.decode()

    def test_a_draft_made_invalid_by_autosave_is_not_published(self, staff_client, published):
        save_as_draft(staff_client, published)
        autosave = f"/admin/blog/post/{published.pk}/autosave/"
        staff_client.post(autosave, {"title": "", "canonical_url": "not a url"})
        response = staff_client.post(f"/admin/blog/post/{published.pk}/draft/publish/", follow=True)
        html = response.content.decode()
        assert "The draft was not published." in html
        assert "Title: This field cannot be blank." in html and "Canonical url" in html
        assert Post.objects.get(pk=published.pk).title == LIVE_TITLE
        assert PendingEdit.objects.exists()

    def test_discarding_the_draft_leaves_the_post_alone(self, staff_client, published):
        save_as_draft(staff_client, published)
        response = staff_client.post(f"/admin/blog/post/{published.pk}/draft/discard/")
        assert response.status_code == 302
        assert not PendingEdit.objects.exists()
        assert Post.objects.get(pk=published.pk).title == LIVE_TITLE

    def test_publish_and_discard_are_post_only_and_need_change_permission(
        self, staff_client, published, django_user_model
    ):
        save_as_draft(staff_client, published)
        assert (
            staff_client.get(f"/admin/blog/post/{published.pk}/draft/publish/").status_code == 405
        )
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
        client = Client()
        client.force_login(viewer)
        for action in ["publish", "discard"]:
            assert (
                client.post(f"/admin/blog/post/{published.pk}/draft/{action}/").status_code == 403
            )
        assert PendingEdit.objects.exists()
        assert Post.objects.get(pk=published.pk).title == LIVE_TITLE

    def test_saving_the_opened_draft_publishes_it_without_duplicating_inlines(
        self, staff_client, published
    ):
        save_as_draft(staff_client, published)
        opened = opened_on_draft(staff_client, published)
        # The editor opened with ?draft=load posts back there; its inlines are new rows.
        data = change_data(published, title=DRAFT_TITLE)
        data.update(
            {
                "faq_items-INITIAL_FORMS": 0,
                "faq_items-0-id": "",
                "faq_items-0-question": "A draft question?",
            }
        )
        response = staff_client.post(change_url(published) + "?draft=load", data | opened)
        assert response.status_code == 302
        live = Post.objects.get(pk=published.pk)
        assert live.title == DRAFT_TITLE
        assert [item.question for item in live.faq_items.all()] == ["A draft question?"]
        assert not PendingEdit.objects.exists()

    def test_the_opened_draft_keeps_its_keep_reading_links(
        self, staff_client, published, make_post
    ):
        first, second = make_post(title="First link"), make_post(title="Second link")
        link_keep_reading(published, [first, second])
        save_as_draft(staff_client, published)
        opened = opened_on_draft(staff_client, published)
        assert PendingEdit.objects.get().content["keep_reading"] == [first.pk, second.pk]
        # Opened from the draft, the links come back as new rows that replace the live ones.
        data = change_data(published, title=DRAFT_TITLE)
        data.update(
            {
                "keep_reading_links-INITIAL_FORMS": 0,
                "keep_reading_links-0-id": "",
                "keep_reading_links-0-target": second.pk,
                "keep_reading_links-1-id": "",
                "keep_reading_links-1-target": first.pk,
            }
        )
        response = staff_client.post(change_url(published) + "?draft=load", data | opened)
        assert response.status_code == 302, response.content.decode()[:2000]
        links = Post.objects.get(pk=published.pk).keep_reading_links.all()
        assert [link.target for link in links] == [second, first]

    def test_the_opened_draft_still_refuses_a_link_to_itself(self, staff_client, published):
        save_as_draft(staff_client, published)
        opened = opened_on_draft(staff_client, published)
        data = change_data(published, title=DRAFT_TITLE)
        data.update(
            {
                "keep_reading_links-TOTAL_FORMS": 1,
                "keep_reading_links-0-target": published.pk,
                "keep_reading_links-0-position": 0,
            }
        )
        response = staff_client.post(change_url(published) + "?draft=load", data | opened)
        assert response.status_code == 200 and "errorlist" in response.content.decode()
        assert Post.objects.get(pk=published.pk).title == LIVE_TITLE
        # Shown again with its errors, it is still the draft's form.
        assert f'name="_draft_form" value="{opened["_draft_form"]}"' in response.content.decode()

    def test_saving_the_opened_draft_again_updates_only_the_draft(self, staff_client, published):
        save_as_draft(staff_client, published)
        opened = opened_on_draft(staff_client, published)
        data = change_data(published, title="Second draft title", _save_draft="1")
        data.update(
            {
                "faq_items-TOTAL_FORMS": 2,
                "faq_items-INITIAL_FORMS": 0,
                "faq_items-0-id": "",
                "faq_items-0-question": "A draft question?",
                "faq_items-1-question": "Another draft question?",
                "faq_items-1-answer": "Yes.",
                "faq_items-1-position": 1,
            }
        )
        response = staff_client.post(change_url(published) + "?draft=load", data | opened)
        assert response.status_code == 302
        content = PendingEdit.objects.get().content
        assert content["title"] == "Second draft title"
        assert [item["question"] for item in content["faq"]] == [
            "A draft question?",
            "Another draft question?",
        ]
        live = Post.objects.get(pk=published.pk)
        assert live.title == LIVE_TITLE
        assert [item.question for item in live.faq_items.all()] == ["Question 0?"]

    def test_opening_a_draft_that_is_gone_shows_the_saved_post(self, staff_client, published):
        response = staff_client.get(change_url(published) + "?draft=load")
        assert response.status_code == 302 and response.url == change_url(published)

    def test_saving_a_form_opened_on_a_draft_published_meanwhile_replaces_the_rows(
        self, staff_client, published
    ):
        save_as_draft(staff_client, published)
        opened = opened_on_draft(staff_client, published)
        staff_client.post(f"/admin/blog/post/{published.pk}/draft/publish/")
        data = change_data(published, title="Saved from the old tab")
        data.update(
            {
                "faq_items-INITIAL_FORMS": 0,
                "faq_items-0-id": "",
                "faq_items-0-question": "From the old tab?",
            }
        )
        response = staff_client.post(change_url(published) + "?draft=load", data | opened)
        assert response.status_code == 302
        live = Post.objects.get(pk=published.pk)
        assert [item.question for item in live.faq_items.all()] == ["From the old tab?"]

    @pytest.mark.parametrize("with_a_draft", [False, True])
    def test_a_form_not_opened_on_the_draft_cannot_replace_the_live_rows(
        self, staff_client, published, make_post, with_a_draft
    ):
        """A crafted POST to ?draft=load, the live form's rows left out (or sent as the live
        form has them), used to delete every FAQ item and keep-reading link."""
        link_keep_reading(published, [make_post(title="Linked")])
        if with_a_draft:
            save_as_draft(staff_client, published)
        crafted = [
            change_data(
                published,
                **{
                    "faq_items-TOTAL_FORMS": 0,
                    "faq_items-INITIAL_FORMS": 0,
                    "keep_reading_links-TOTAL_FORMS": 0,
                    "keep_reading_links-INITIAL_FORMS": 0,
                },
            ),
            change_data(published),
        ]
        for data in crafted:
            response = staff_client.post(change_url(published) + "?draft=load", data)
            live = Post.objects.get(pk=published.pk)
            assert [item.question for item in live.faq_items.all()] == ["Question 0?"]
            assert live.keep_reading_links.curated().count() == 1
            assert PendingEdit.objects.exists() is with_a_draft
            assert response.status_code == 400  # refused: nothing was saved

    def test_the_draft_form_of_one_post_cannot_replace_another_posts_rows(
        self, staff_client, published, make_post
    ):
        other = make_post(title="Another post")
        add_faq(other, 2)
        save_as_draft(staff_client, published)
        opened = opened_on_draft(staff_client, published)
        data = change_data(other, **{"faq_items-TOTAL_FORMS": 0, "faq_items-INITIAL_FORMS": 0})
        response = staff_client.post(change_url(other) + "?draft=load", data | opened)
        assert response.status_code == 400 and other.faq_items.count() == 2

    def test_a_live_save_keeps_a_draft_revision_it_did_not_open(self, staff_client, published):
        save_as_draft(staff_client, published)
        staff_client.post(change_url(published), change_data(published, body="Typo fixed."))
        assert Post.objects.get(pk=published.pk).body == "Typo fixed."
        assert PendingEdit.objects.get().content["title"] == DRAFT_TITLE

    def test_a_draft_keeps_content_only_and_says_what_it_left_out(self, staff_client, published):
        response = save_as_draft(staff_client, published, status="draft", slug="new-slug")
        assert response.status_code == 302
        live = Post.objects.get(pk=published.pk)
        assert (live.status, live.slug) == ("published", "published-post")
        messages = [str(m) for m in response.wsgi_request._messages]
        assert any("not saved: Slug, Status." in m for m in messages), messages

    def test_an_invalid_draft_is_a_form_error(self, staff_client, published):
        response = save_as_draft(staff_client, published, title="")
        assert response.status_code == 200 and "This field is required" in response.content.decode()
        assert not PendingEdit.objects.exists()

    def test_the_draft_button_is_offered_for_published_posts_only(self, staff_client, make_post):
        published = make_post()
        unpublished = make_post(status=Post.Status.DRAFT, published_at=None)
        assert 'name="_save_draft"' in staff_client.get(change_url(published)).content.decode()
        assert (
            'name="_save_draft"' not in staff_client.get(change_url(unpublished)).content.decode()
        )
        assert (
            'name="_save_draft"' not in staff_client.get("/admin/blog/post/add/").content.decode()
        )

    def test_diff_between_live_post_and_draft(self, staff_client, published):
        save_as_draft(staff_client, published)
        html = staff_client.get(
            f"/admin/blog/post/{published.pk}/revisions/compare/", {"old": "live", "new": "draft"}
        ).content.decode()
        html = without_marks(html)
        assert f"<del>− {LIVE_TITLE}</del>" in html and f"<ins>+ {DRAFT_TITLE}</ins>" in html
        assert f"<ins>+ {DRAFT_WORDS}</ins>" in html


class TestAutosave:
    def url(self, post):
        return f"/admin/blog/post/{post.pk}/autosave/"

    def test_autosave_stores_the_text_in_the_draft_never_in_the_post(self, staff_client, published):
        before = public_pages(published)
        response = staff_client.post(
            self.url(published), {"title": DRAFT_TITLE, "body": DRAFT_WORDS}
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "no-cache" in response["Cache-Control"]
        saved_at = json.loads(response.content)["saved_at"]
        draft = PendingEdit.objects.get(post=published)
        assert draft.saved_at.isoformat() == saved_at and not draft.is_revision
        assert draft.content["title"] == DRAFT_TITLE and draft.content["body"] == DRAFT_WORDS
        # Fields it was not sent come from the post: the draft is complete.
        assert draft.content["description"] == published.description
        assert draft.content["faq"] == [{"question": "Question 0?", "answer": "Answer **0**."}]
        live = Post.objects.get(pk=published.pk)
        assert (live.title, live.body, live.updated_at) == (
            LIVE_TITLE,
            "The published body.",
            published.updated_at,
        )
        assert public_pages(published) == before

    def test_autosave_of_a_draft_revision_keeps_its_inlines(self, staff_client, published):
        save_as_draft(staff_client, published)
        staff_client.post(self.url(published), {"body": "Typed on."})
        draft = PendingEdit.objects.get()
        assert draft.is_revision and draft.content["body"] == "Typed on."
        assert draft.content["title"] == DRAFT_TITLE
        assert draft.content["faq"][0]["question"] == "A draft question?"

    def test_autosave_works_for_unpublished_posts_too(self, staff_client, make_post):
        post = make_post(status=Post.Status.DRAFT, published_at=None, title="Working title")
        assert staff_client.post(self.url(post), {"title": "Better title"}).status_code == 200
        assert Post.objects.get(pk=post.pk).title == "Working title"
        assert PendingEdit.objects.get(post=post).content["title"] == "Better title"

    def test_reopening_offers_newer_autosaved_text(self, staff_client, published):
        staff_client.post(self.url(published), {"title": DRAFT_TITLE})
        html = staff_client.get(change_url(published)).content.decode()
        assert "Autosaved text is newer than the saved post" in html
        assert "Restore autosaved text" in html and ">Discard<" in html
        assert 'data-enabled="0"' in html
        restored = staff_client.get(change_url(published) + "?draft=load").content.decode()
        assert f'value="{DRAFT_TITLE}"' in restored and 'data-enabled="1"' in restored

    def test_a_live_save_clears_the_autosave(self, staff_client, published):
        staff_client.post(self.url(published), {"title": DRAFT_TITLE})
        staff_client.post(change_url(published), change_data(published, title="Saved for real"))
        assert not PendingEdit.objects.exists()
        assert Post.objects.get(pk=published.pk).title == "Saved for real"

    def test_an_autosave_older_than_the_post_is_not_offered(self, staff_client, published):
        PendingEdit.objects.create(
            post=published,
            content={"title": "Stale"},
            saved_at=published.updated_at - timedelta(minutes=5),
        )
        html = staff_client.get(change_url(published)).content.decode()
        assert "Restore autosaved text" not in html and 'data-enabled="1"' in html

    def test_change_form_loads_the_autosave_script(self, staff_client, published):
        html = staff_client.get(change_url(published)).content.decode()
        assert "blog/autosave.js" in html
        assert f'data-url="/admin/blog/post/{published.pk}/autosave/"' in html
        assert "autosave.js" not in staff_client.get("/admin/blog/post/add/").content.decode()

    def test_anonymous_and_non_staff_get_403(self, published, django_user_model):
        client = Client()
        response = client.post(self.url(published), {"title": "x"})
        assert response.status_code == 403 and response.json()["error"]
        reader = django_user_model.objects.create_user("reader", password="x")
        client.force_login(reader)
        assert client.post(self.url(published), {"title": "x"}).status_code == 403
        assert not PendingEdit.objects.exists()

    def test_staff_without_change_permission_get_403(self, published, django_user_model):
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
        client = Client()
        client.force_login(viewer)
        assert client.post(self.url(published), {"title": "x"}).status_code == 403
        assert not PendingEdit.objects.exists()

    def test_csrf_token_is_required(self, published, django_user_model):
        user = django_user_model.objects.create_superuser("boss", "b@example.com", "x")
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        assert client.post(self.url(published), {"title": "x"}).status_code == 403
        assert not PendingEdit.objects.exists()

    def test_get_is_not_allowed(self, staff_client, published):
        assert staff_client.get(self.url(published)).status_code == 405

    def test_unknown_post_is_404(self, staff_client, published):
        response = staff_client.post("/admin/blog/post/999999/autosave/", {"title": "x"})
        assert response.status_code == 404 and response.json()["error"]

    @pytest.mark.parametrize(
        "data",
        [
            {},
            {"unrelated": "field"},
            {"title": "x" * 201},
            {"description": "x" * 301},
            {"body": "x" * 500_001},
        ],
    )
    def test_bad_input_is_a_400(self, staff_client, published, data):
        response = staff_client.post(self.url(published), data)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/json"
        assert not PendingEdit.objects.exists()

    def test_oversized_request_is_a_400(self, staff_client, published):
        response = staff_client.post(self.url(published), {"body": "x" * 1_100_000})
        assert response.status_code == 400 and "Too much" in response.json()["error"]
        assert not PendingEdit.objects.exists()

    def test_autosave_time_moves_forward(self, staff_client, published):
        staff_client.post(self.url(published), {"title": "One"})
        first = PendingEdit.objects.get().saved_at
        staff_client.post(self.url(published), {"title": "Two"})
        draft = PendingEdit.objects.get()
        assert draft.saved_at >= first and draft.content["title"] == "Two"
        assert draft.saved_at <= timezone.now()
