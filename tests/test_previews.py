"""Share a draft: links a reviewer without an account can open, until they expire or are revoked."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from blog import revisions
from blog.models import Post
from blog.pending_edits import save_draft
from previews.models import PreviewLink

pytestmark = pytest.mark.django_db

A_MOMENT = timedelta(seconds=5)


@pytest.fixture
def draft(make_post):
    return make_post(
        title="Work in progress",
        body="## Costs\n\nThe unfinished argument.",
        status=Post.Status.DRAFT,
        published_at=None,
    )


@pytest.fixture
def link(draft):
    return PreviewLink.create_for(draft)


class TestOpeningALink:
    def test_a_reviewer_without_an_account_sees_the_draft(self, client, link):
        response = client.get(link.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert '<h1 class="p-name">Work in progress</h1>' in html
        assert "The unfinished argument." in html
        assert "<strong>Draft preview</strong>" in html
        assert "/admin/" not in html  # no staff banner, no edit link

    def test_never_cached_never_indexed(self, client, link):
        response = client.get(link.get_absolute_url())
        cache_control = response["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "public" not in cache_control
        assert response["X-Robots-Tag"] == "noindex"
        assert response["Referrer-Policy"] == "no-referrer"
        assert '<meta name="robots" content="noindex' in response.content.decode()

    def test_shows_the_post_as_last_saved(self, client, draft, link):
        draft.body = "A rewritten opening."
        draft.save()
        assert "A rewritten opening." in client.get(link.get_absolute_url()).content.decode()

    def test_shows_a_published_posts_pending_draft_revision(self, client, make_post, make_tag):
        live = make_post(title="Live title", body="Live words.")
        tag = make_tag("Hiring")
        faq = [{"question": "Why now?", "answer": "Because **budgets** reset."}]
        content = {
            **revisions.content_of(live),
            "title": "Draft title",
            "body": "## New section\n\nDraft words.",
            "tags": [tag.pk],
            "faq": faq,
        }
        save_draft(live, content, user=None)

        html = client.get(PreviewLink.create_for(live).get_absolute_url()).content.decode()

        assert "Draft title" in html and "Draft words." in html and "Live words." not in html
        assert "Because <strong>budgets</strong> reset." in html and "Hiring" in html
        assert "pending changes" in html
        # Readers still get the live article, and nothing was saved.
        assert "Live words." in client.get(live.get_absolute_url()).content.decode()
        live.refresh_from_db()
        assert live.title == "Live title" and not live.faq_items.exists()

    def test_works_for_scheduled_posts_too(self, client, make_post):
        scheduled = make_post(title="Soon", published_at=timezone.now() + timedelta(days=1))
        response = client.get(PreviewLink.create_for(scheduled).get_absolute_url())
        assert response.status_code == 200 and "<strong>Draft preview</strong>" in response.text

    def test_drafts_stay_hidden_at_their_own_address(self, client, draft, link):
        assert client.get(draft.get_absolute_url()).status_code == 404


class TestDeadLinks:
    def test_expired(self, client, link):
        with mock.patch(
            "django.utils.timezone.now", return_value=link.expires_at + timedelta(seconds=1)
        ):
            response = client.get(link.get_absolute_url())
        assert response.status_code == 410
        assert "This preview link has expired." in response.text
        assert "The unfinished argument." not in response.text

    def test_valid_until_just_before_expiry(self, client, link):
        with mock.patch(
            "django.utils.timezone.now", return_value=link.expires_at - timedelta(seconds=1)
        ):
            assert client.get(link.get_absolute_url()).status_code == 200

    def test_default_lifetime_is_seven_days(self, link):
        assert link.expires_at - link.created_at == pytest.approx(timedelta(days=7), abs=A_MOMENT)

    def test_revoked(self, client, link):
        link.revoked_at = timezone.now()
        link.save()
        response = client.get(link.get_absolute_url())
        assert response.status_code == 410
        assert "This preview link has been revoked." in response.text

    @pytest.mark.parametrize(
        "tamper",
        [
            lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature
            lambda token: "9999" + token[token.index(":") :],  # someone else's id
            lambda token: token.split(":")[0],  # no signature
            lambda token: "not-a-token",
            lambda token: "%00:%ff",
        ],
    )
    def test_tampered_tokens_are_404(self, client, link, tamper):
        response = client.get(f"/preview/{tamper(link.token)}/")
        assert response.status_code == 404
        assert "This preview link is not valid." in response.text
        assert "The unfinished argument." not in response.text

    def test_another_links_signature_does_not_fit(self, client, draft, link):
        other = PreviewLink.create_for(draft)
        forged = f"{link.pk}:{other.token.split(':', 1)[1]}"
        assert client.get(f"/preview/{forged}/").status_code == 404

    def test_deleted_post(self, client, draft, link):
        url = link.get_absolute_url()
        draft.delete()
        response = client.get(url)
        assert response.status_code == 404
        assert "X-Robots-Tag" in response and "no-store" in response["Cache-Control"]

    def test_dead_link_pages_are_not_cached_or_indexed(self, client, link):
        link.revoked_at = timezone.now()
        link.save()
        response = client.get(link.get_absolute_url())
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex"
        assert response.text.count("<h1") == 1


def change_url(post):
    return f"/admin/blog/post/{post.pk}/change/"


class TestAdmin:
    def test_create_with_a_chosen_lifetime(self, staff_client, draft):
        response = staff_client.post(
            f"/admin/blog/post/{draft.pk}/preview-links/new/", {"lifetime": "3"}
        )
        assert response.status_code == 302
        assert response["Location"] == change_url(draft) + "#preview-links"
        link = PreviewLink.objects.get(post=draft)
        assert link.created_by.username == "editor"
        assert link.expires_at - link.created_at == pytest.approx(timedelta(days=3), abs=A_MOMENT)

    @pytest.mark.parametrize("lifetime", ["", "365", "abc"])
    def test_a_bad_lifetime_is_refused_cleanly(self, staff_client, draft, lifetime):
        response = staff_client.post(
            f"/admin/blog/post/{draft.pk}/preview-links/new/", {"lifetime": lifetime}, follow=True
        )
        assert response.status_code == 200
        assert "Choose how long the link should work." in response.text
        assert not PreviewLink.objects.exists()

    def test_change_form_lists_active_links_only(self, staff_client, draft, link):
        revoked = PreviewLink.create_for(draft)
        revoked.revoked_at = timezone.now()
        revoked.save()
        expired = PreviewLink.create_for(draft, days=1)
        expired.expires_at = timezone.now() - timedelta(minutes=1)
        expired.save()
        html = staff_client.get(change_url(draft)).content.decode()
        assert link.get_absolute_url() in html
        assert revoked.get_absolute_url() not in html
        assert expired.get_absolute_url() not in html
        assert "Create preview link" in html and "blog/preview-links.js" in html

    def test_revoke(self, staff_client, client, draft, link):
        response = staff_client.post(f"/admin/blog/post/{draft.pk}/preview-links/{link.pk}/revoke/")
        assert response.status_code == 302
        link.refresh_from_db()
        assert link.revoked_at is not None
        assert client.get(link.get_absolute_url()).status_code == 410

    def test_revoke_needs_the_links_own_post(self, staff_client, make_post, link):
        other = make_post()
        response = staff_client.post(f"/admin/blog/post/{other.pk}/preview-links/{link.pk}/revoke/")
        assert response.status_code == 404
        link.refresh_from_db()
        assert link.revoked_at is None

    def test_get_is_not_allowed(self, staff_client, draft, link):
        response = staff_client.get(f"/admin/blog/post/{draft.pk}/preview-links/new/")
        assert response.status_code == 405

    def test_anonymous_cannot_create_or_revoke(self, client, draft, link):
        client.post(f"/admin/blog/post/{draft.pk}/preview-links/new/", {"lifetime": "7"})
        client.post(f"/admin/blog/post/{draft.pk}/preview-links/{link.pk}/revoke/")
        assert PreviewLink.objects.count() == 1
        link.refresh_from_db()
        assert link.revoked_at is None

    def test_staff_without_change_permission_is_refused(self, client, django_user_model, draft):
        viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
        client.force_login(viewer)
        response = client.post(f"/admin/blog/post/{draft.pk}/preview-links/new/", {"lifetime": "7"})
        assert response.status_code == 403
        assert not PreviewLink.objects.exists()

    def test_new_post_form_explains_saving_first(self, staff_client, author):
        html = staff_client.get("/admin/blog/post/add/").content.decode()
        assert "Save the post first, then share a preview of it." in html
