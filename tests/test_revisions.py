"""Revisions of posts, kept by django-reversion: history, diff and restore, through the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from reversion.models import Revision, Version

from blog import revisions
from blog.models import FAQItem, Post
from tests.conftest import add_faq, link_keep_reading
from tests.test_admin import post_form
from tests.workflow_helpers import change_data, change_url, without_marks

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_post(staff_client, author, make_post, make_tag):
    """A post written in the admin, then edited once: two revisions."""
    other = make_post(title="Another article", slug="another-article")
    tag = make_tag("Hiring")
    data = post_form(author, title="First title", body="First paragraph.\n\nSecond paragraph.")
    data["tags"] = [tag.pk]
    assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
    post = Post.objects.get(slug="a-post-with-a-table")
    edit = change_data(
        post,
        title="Second title",
        body="First paragraph.\n\nA rewritten second paragraph.",
        tags=[],
        **{
            "faq_items-0-answer": "Because of **better** reasons.",
            "keep_reading_links-TOTAL_FORMS": 1,
            "keep_reading_links-0-target": other.pk,
            "keep_reading_links-0-position": 0,
        },
    )
    assert staff_client.post(change_url(post), edit).status_code == 302
    post.refresh_from_db()
    return post


def test_each_admin_save_keeps_a_revision_of_the_content_and_its_inlines(edited_post):
    newest, oldest = revisions.versions_of(edited_post)
    first = revisions.content_of_version(oldest)
    second = revisions.content_of_version(newest)
    assert first["title"] == "First title" and first["tags"] != []
    assert first["faq"] == [{"question": "Why?", "answer": "Because **reasons**."}]
    assert first["keep_reading"] == []
    assert second["title"] == "Second title" and second["tags"] == []
    assert second["faq"] == [{"question": "Why?", "answer": "Because of **better** reasons."}]
    assert second["keep_reading"] == [Post.objects.get(slug="another-article").pk]
    assert second == revisions.content_of(edited_post)
    assert newest.revision.user.username == "editor"
    assert "Changed" in newest.revision.get_comment()


def test_history_lists_revisions_with_restore_links(staff_client, edited_post):
    html = staff_client.get(f"/admin/blog/post/{edited_post.pk}/history/").content.decode()
    newest, oldest = revisions.versions_of(edited_post)
    assert html.count("Restore this revision") == 2
    assert f'name="old" value="{oldest.pk}"' in html
    assert f"/admin/blog/post/{edited_post.pk}/revisions/{oldest.pk}/restore/" in html


def test_diff_between_two_revisions_shows_each_changed_field(staff_client, edited_post):
    newest, oldest = revisions.versions_of(edited_post)
    url = f"/admin/blog/post/{edited_post.pk}/revisions/compare/"
    response = staff_client.get(url, {"old": oldest.pk, "new": newest.pk})
    assert response.status_code == 200
    # A rewritten line marks the words that changed.
    assert "<del>− <mark>First</mark> title</del>" in response.content.decode()
    assert "<ins>+ <mark>Second</mark> title</ins>" in response.content.decode()
    html = without_marks(response.content.decode())
    assert "<del>− First title</del>" in html and "<ins>+ Second title</ins>" in html
    assert "<del>− Second paragraph.</del>" in html
    assert "<ins>+ A rewritten second paragraph.</ins>" in html
    assert "<h3>Tags</h3>" in html and "<del>− Hiring</del>" in html
    assert "<ins>+ A: Because of **better** reasons.</ins>" in html
    assert "<ins>+ Another article</ins>" in html
    # Unchanged fields are left out; the unchanged first paragraph is context.
    assert "<h3>Description</h3>" not in html and "  First paragraph." in html


def test_diff_escapes_what_authors_wrote(staff_client, make_post):
    post = make_post(body="Plain.")
    staff_client.post(change_url(post), change_data(post, title="<b>Bold</b> claim"))
    staff_client.post(change_url(post), change_data(post, body="<script>alert(1)</script>"))
    newest, oldest = revisions.versions_of(post)
    url = f"/admin/blog/post/{post.pk}/revisions/compare/"
    html = without_marks(
        staff_client.get(url, {"old": oldest.pk, "new": newest.pk}).content.decode()
    )
    assert "<ins>+ &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in html
    assert "<script>alert" not in html


def test_comparing_a_revision_with_itself_shows_no_differences(staff_client, edited_post):
    newest, _ = revisions.versions_of(edited_post)
    url = f"/admin/blog/post/{edited_post.pk}/revisions/compare/"
    html = staff_client.get(url, {"old": newest.pk, "new": "live"}).content.decode()
    assert (
        "No differences" in html
        and "<ins>" not in html.split("diff-legend")[-1].split("</p>", 1)[1]
    )


def test_compare_refuses_bad_requests(staff_client, edited_post, make_post):
    url = f"/admin/blog/post/{edited_post.pk}/revisions/compare/"
    newest, _ = revisions.versions_of(edited_post)
    assert staff_client.get(url).status_code == 400
    assert staff_client.get(url, {"old": "nonsense", "new": "live"}).status_code == 404
    assert staff_client.get(url, {"old": "draft", "new": "live"}).status_code == 404
    # A revision of another post is not one of this post's.
    other = make_post()
    staff_client.post(change_url(other), change_data(other, title="Other edit"))
    (foreign,) = revisions.versions_of(other)
    assert staff_client.get(url, {"old": foreign.pk, "new": "live"}).status_code == 404
    assert staff_client.get(url, {"old": newest.pk, "new": "live"}).status_code == 200


def test_restore_saves_the_old_content_as_a_new_revision(staff_client, edited_post):
    newest, oldest = revisions.versions_of(edited_post)
    stored_before = list(Version.objects.order_by("pk").values_list("pk", "serialized_data"))
    restore = f"/admin/blog/post/{edited_post.pk}/revisions/{oldest.pk}/restore/"

    page = without_marks(staff_client.get(restore).content.decode())
    assert "<ins>+ First title</ins>" in page and "Restore this revision" in page
    assert Post.objects.get(pk=edited_post.pk).title == "Second title"  # looking changes nothing

    response = staff_client.post(restore)
    assert response.status_code == 302 and response.url == change_url(edited_post)
    post = Post.objects.get(pk=edited_post.pk)
    assert post.title == "First title" and "Second paragraph" in post.body_html
    assert [t.name for t in post.tags.all()] == ["Hiring"]
    assert [i.answer_html for i in post.faq_items.all()] == [
        "<p>Because <strong>reasons</strong>.</p>"
    ]
    assert not post.keep_reading_links.exists()
    # History is never rewritten: the old versions are untouched and a third revision exists.
    assert stored_before == [
        row
        for row in Version.objects.order_by("pk").values_list("pk", "serialized_data")
        if row[0] <= stored_before[-1][0]
    ]
    restored, *_ = revisions.versions_of(post)
    assert Revision.objects.count() == 3
    assert revisions.content_of_version(restored) == revisions.content_of_version(oldest)
    assert "Restored the revision of" in restored.revision.get_comment()
    staff_client.get(change_url(post))  # shows (and so clears) the success message
    history = staff_client.get(f"/admin/blog/post/{post.pk}/history/").content.decode()
    assert history.count("Restored the revision of") == 2  # the revision's note and the log


def test_restore_keeps_publishing_state(staff_client, edited_post):
    _, oldest = revisions.versions_of(edited_post)
    Post.objects.filter(pk=edited_post.pk).update(status=Post.Status.DRAFT, slug="renamed")
    staff_client.post(f"/admin/blog/post/{edited_post.pk}/revisions/{oldest.pk}/restore/")
    post = Post.objects.get(pk=edited_post.pk)
    assert (post.status, post.slug, post.title) == ("draft", "renamed", "First title")


def test_restore_skips_keep_reading_targets_deleted_since(staff_client, make_post):
    post, target = make_post(), make_post(title="Soon gone")
    link_keep_reading(post, [target])
    add_faq(post, 2)
    staff_client.post(change_url(post), change_data(post, title="Saved with a link"))
    (version,) = revisions.versions_of(post)
    target_pk = target.pk
    target.delete()
    compare = staff_client.get(
        f"/admin/blog/post/{post.pk}/revisions/compare/", {"old": "live", "new": version.pk}
    )
    assert f"(deleted post #{target_pk})" in compare.content.decode()
    assert staff_client.post(f"/admin/blog/post/{post.pk}/revisions/{version.pk}/restore/").url
    post.refresh_from_db()
    assert not post.keep_reading_links.exists() and post.faq_items.count() == 2
    assert FAQItem.objects.filter(post=post).count() == 2


def test_restore_needs_change_permission(django_user_model, edited_post):
    _, oldest = revisions.versions_of(edited_post)
    client = Client()
    viewer = django_user_model.objects.create_user("viewer", password="pw-123456!", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_post"))
    client.force_login(viewer)
    restore = f"/admin/blog/post/{edited_post.pk}/revisions/{oldest.pk}/restore/"
    assert client.get(restore).status_code == 403
    assert client.post(restore).status_code == 403
    # Looking at changes needs only view permission.
    compare = f"/admin/blog/post/{edited_post.pk}/revisions/compare/"
    assert client.get(compare, {"old": oldest.pk, "new": "live"}).status_code == 200
    assert Post.objects.get(pk=edited_post.pk).title == "Second title"


def test_revision_pages_are_for_staff_only(edited_post):
    _, oldest = revisions.versions_of(edited_post)
    client = Client()  # the client fixture is the signed-in staff_client here
    for url in [
        f"/admin/blog/post/{edited_post.pk}/revisions/compare/?old={oldest.pk}&new=live",
        f"/admin/blog/post/{edited_post.pk}/revisions/{oldest.pk}/restore/",
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url


def test_unknown_post_or_revision_is_404(staff_client, edited_post):
    newest, _ = revisions.versions_of(edited_post)
    unknown_post = f"/admin/blog/post/999999/revisions/{newest.pk}/restore/"
    assert staff_client.get(unknown_post).status_code == 404
    missing = f"/admin/blog/post/{edited_post.pk}/revisions/999999/restore/"
    assert staff_client.post(missing).status_code == 404


def test_diff_of_a_long_body_shows_changed_places_with_a_little_context():
    old = {"body": "\n".join(f"Line {n}." for n in range(1, 30))}
    new = {"body": old["body"].replace("Line 3.", "Line three.").replace("Line 25.", "")}
    (body,) = revisions.diff(old, new)
    kinds = [kind for kind, _ in body.lines]
    assert body.label == "Body" and kinds.count("gap") == 1
    assert ("removed", [("Line ", False), ("3.", True)]) in body.lines
    assert ("added", [("Line ", False), ("three.", True)]) in body.lines
    assert ("removed", [("Line 25.", True)]) in body.lines and ("added", []) in body.lines
    assert ("context", [("Line 1.", False)]) in body.lines
    assert ("context", [("Line 10.", False)]) not in body.lines  # far from any change


def test_suggested_keep_reading_is_not_content(make_post):
    """Suggestions (blog.suggestions) are recomputed on save; revisions hold curated links only."""
    post, curated, suggested = make_post(), make_post(), make_post()
    link_keep_reading(post, [curated])
    post.keep_reading_links.create(target=suggested, position=0, suggested=True)

    content = revisions.content_of(post)
    assert content["keep_reading"] == [curated.pk]

    revisions.apply_content(post, {**content, "keep_reading": []})
    assert not post.keep_reading_links.curated().exists()
    assert post.keep_reading_links.filter(target=suggested, suggested=True).exists()
