"""The Author and Editor roles (blog/roles.py), tried through the admin as each would."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from blog import roles
from blog.models import Author, Post
from previews.models import PreviewLink
from tests.conftest import image_upload
from tests.test_admin import post_form
from tests.workflow_helpers import change_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def sign_in(client, django_user_model):
    """A staff user in the named group (or none), signed in; ``author`` links a profile."""

    def sign_in(username, group=None, author=None):
        user = django_user_model.objects.create_user(username, password="pw-123456!", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        if author:
            author.user = user
            author.save()
        client.force_login(user)
        return user

    return sign_in


@pytest.fixture
def other_author(db):
    return Author.objects.create(name="Sam Okafor", slug="sam-okafor")


@pytest.fixture
def own_post(make_post, author):
    return make_post(title="Alex writes about hiring", status=Post.Status.DRAFT, published_at=None)


@pytest.fixture
def others_post(make_post, other_author):
    return make_post(
        title="Sam writes about pricing",
        status=Post.Status.DRAFT,
        published_at=None,
        author=other_author,
    )


@pytest.fixture
def as_author(sign_in, author):
    return sign_in("alex", roles.AUTHOR, author=author)


@pytest.fixture
def as_editor(sign_in):
    return sign_in("erin", roles.EDITOR)


def change_url(post):
    return reverse("admin:blog_post_change", args=[post.pk])


def run_action(client, action, posts):
    return client.post(
        reverse("admin:blog_post_changelist"),
        {"action": action, "_selected_action": [post.pk for post in posts], "confirmed": "yes"},
        follow=True,
    )


class TestTheGroups:
    def codenames(self, name):
        perms = Group.objects.get(name=name).permissions.select_related("content_type")
        return {f"{perm.content_type.app_label}.{perm.codename}" for perm in perms}

    def test_the_migration_creates_both_groups_with_their_permissions(self):
        author = self.codenames(roles.AUTHOR)
        assert {"blog.add_post", "blog.change_post", "blog.publish_post", "blog.add_tag"} <= author
        assert "blog.edit_others_posts" not in author
        assert not {perm for perm in author if not perm.startswith("blog.")}
        editor = self.codenames(roles.EDITOR)
        assert {
            "blog.edit_others_posts",
            "blog.publish_post",
            "books.change_book",
            "praise.change_testimonial",
            "pages.change_sitesettings",
            "redirects.add_redirect",
            "previews.add_previewlink",
        } <= editor
        assert not [perm for perm in editor if perm.split(".")[0] in {"auth", "enquiries"}]

    def test_the_migration_is_reversible(self):
        executor = MigrationExecutor(connection)
        state = executor.loader.project_state(("blog", "0011_roles"))
        roles.remove_groups(state.apps, None)
        assert not Group.objects.filter(name__in=[roles.AUTHOR, roles.EDITOR]).exists()
        Permission.objects.filter(codename="publish_post").delete()
        # Forwards again: the custom permission is created before the group needs it.
        roles.create_groups(executor.loader.project_state(("blog", "0011_roles")).apps, None)
        group = Group.objects.get(name=roles.AUTHOR)
        assert group.permissions.filter(codename="publish_post").exists()


class TestAnAuthor:
    def test_sees_everyones_posts_but_opens_others_read_only(
        self, client, as_author, own_post, others_post
    ):
        listing = client.get(reverse("admin:blog_post_changelist")).text
        assert own_post.title in listing and others_post.title in listing
        theirs = client.get(change_url(others_post))
        assert theirs.status_code == 200
        assert 'name="title"' not in theirs.text and 'name="_save"' not in theirs.text
        assert "autosave-status" not in theirs.text and "Create preview link" not in theirs.text
        mine = client.get(change_url(own_post)).text
        assert 'name="title"' in mine and 'name="_save"' in mine

    def test_cannot_save_another_authors_post(self, client, as_author, others_post):
        data = change_data(others_post, title="Taken over")
        assert client.post(change_url(others_post), data).status_code == 403
        others_post.refresh_from_db()
        assert others_post.title == "Sam writes about pricing"

    def test_edits_and_publishes_their_own_post(self, client, as_author, own_post):
        data = change_data(own_post, title="Edited by Alex", status="published")
        assert client.post(change_url(own_post), data).status_code == 302
        own_post.refresh_from_db()
        assert own_post.title == "Edited by Alex" and own_post.status == Post.Status.PUBLISHED

    def test_writes_as_themselves_only(self, client, as_author, author, other_author):
        form = client.get(reverse("admin:blog_post_add")).text
        assert "Alex Navarro" in form and "Sam Okafor" not in form
        data = post_form(other_author, slug="mine")
        response = client.post(reverse("admin:blog_post_add"), data)
        assert response.status_code == 200 and "Select a valid choice" in response.text
        data["author"] = author.pk
        assert client.post(reverse("admin:blog_post_add"), data).status_code == 302
        assert Post.objects.get(slug="mine").author == author

    def test_without_a_linked_profile_is_told_why_they_cannot_save(self, client, sign_in, author):
        sign_in("newcomer", roles.AUTHOR)
        form = client.get(reverse("admin:blog_post_add")).text
        assert "Your user is not linked to an author profile yet" in form
        response = client.post(reverse("admin:blog_post_add"), post_form(author))
        assert response.status_code == 200 and not Post.objects.exists()

    def test_publish_action_leaves_other_authors_posts_alone(
        self, client, as_author, own_post, others_post
    ):
        response = run_action(client, "publish", [own_post, others_post])
        assert "Published 1 post(s)." in response.text
        assert "Left 1 post(s) by other authors unchanged" in response.text
        own_post.refresh_from_db()
        others_post.refresh_from_db()
        assert own_post.status == Post.Status.PUBLISHED
        assert others_post.status == Post.Status.DRAFT

    def test_unpublish_action_too(self, client, as_author, make_post, other_author):
        theirs = make_post(author=other_author)
        run_action(client, "unpublish", [theirs])
        theirs.refresh_from_db()
        assert theirs.status == Post.Status.PUBLISHED

    def test_cannot_delete_another_authors_post(self, client, as_author, own_post, others_post):
        client.post(
            reverse("admin:blog_post_changelist"),
            {"action": "delete_selected", "_selected_action": [others_post.pk], "post": "yes"},
        )
        assert Post.objects.filter(pk=others_post.pk).exists()
        assert client.get(reverse("admin:blog_post_delete", args=[others_post.pk])).status_code == (
            403
        )
        client.post(reverse("admin:blog_post_delete", args=[own_post.pk]), {"post": "yes"})
        assert not Post.objects.filter(pk=own_post.pk).exists()

    @pytest.mark.parametrize(
        "name",
        [
            "admin:pages_sitesettings_change",
            "admin:books_book_changelist",
            "admin:praise_testimonial_changelist",
            "admin:enquiries_enquiry_changelist",
            "admin:redirects_redirect_changelist",
            "admin:auth_user_changelist",
            "admin:auth_group_changelist",
        ],
    )
    def test_cannot_reach_the_rest_of_the_site(self, client, as_author, name):
        url = reverse(name, args=[1] if name.endswith("_change") else [])
        assert client.get(url).status_code == 403

    @pytest.mark.parametrize(
        "model, field, term", [("post", "tags", "Hir"), ("keepreading", "target", "Sam")]
    )
    def test_the_editors_pickers_work(
        self, client, as_author, others_post, make_tag, model, field, term
    ):
        make_tag("Hiring")
        response = client.get(
            reverse("admin:autocomplete"),
            {"term": term, "app_label": "blog", "model_name": model, "field_name": field},
        )
        assert response.status_code == 200 and response.json()["results"]

    def test_manages_tags(self, client, as_author):
        response = client.post(reverse("admin:blog_tag_add"), {"name": "Hiring", "slug": "hiring"})
        assert response.status_code == 302

    def test_autosave_only_on_their_own_posts(self, client, as_author, own_post, others_post):
        theirs = client.post(
            reverse("admin:blog_post_autosave", args=[others_post.pk]), {"title": "Sneaky"}
        )
        assert theirs.status_code == 403
        assert theirs.json() == {"error": "You may not change this post."}
        mine = client.post(reverse("admin:blog_post_autosave", args=[own_post.pk]), {"title": "A"})
        assert mine.status_code == 200

    def test_preview_links_only_for_their_own_posts(self, client, as_author, own_post, others_post):
        url = "admin:blog_post_preview_link_new"
        theirs = client.post(reverse(url, args=[others_post.pk]), {"lifetime": "7"})
        assert theirs.status_code == 403
        mine = client.post(reverse(url, args=[own_post.pk]), {"lifetime": "7"})
        assert mine.status_code == 302
        assert list(PreviewLink.objects.values_list("post", flat=True)) == [own_post.pk]

    def test_uploads_images_in_the_editor(self, client, as_author):
        response = client.post(reverse("markdownx_upload"), {"image": image_upload()})
        assert response.status_code == 200 and "image_code" in response.json()


class TestAnAuthorWhoMayNotPublish:
    @pytest.fixture(autouse=True)
    def without_publishing(self, as_author):
        group = Group.objects.get(name=roles.AUTHOR)
        group.permissions.remove(Permission.objects.get(codename="publish_post"))

    def test_has_no_status_field_and_no_publish_actions(self, client, own_post):
        form = client.get(change_url(own_post)).text
        assert 'name="status"' not in form and 'name="published_at_0"' not in form
        listing = client.get(reverse("admin:blog_post_changelist")).text
        assert 'value="publish"' not in listing and 'value="unpublish"' not in listing

    def test_saving_keeps_the_post_a_draft(self, client, own_post):
        data = change_data(own_post, title="Still a draft", status="published")
        assert client.post(change_url(own_post), data).status_code == 302
        own_post.refresh_from_db()
        assert own_post.title == "Still a draft" and own_post.status == Post.Status.DRAFT

    def test_the_action_is_refused(self, client, own_post):
        run_action(client, "publish", [own_post])
        own_post.refresh_from_db()
        assert own_post.status == Post.Status.DRAFT


class TestAnEditor:
    def test_edits_and_publishes_anyones_post(self, client, as_editor, others_post, author):
        form = client.get(change_url(others_post)).text
        assert 'name="title"' in form and 'name="status"' in form
        data = change_data(others_post, title="Edited by the editor", author=author.pk)
        assert client.post(change_url(others_post), data).status_code == 302
        response = run_action(client, "publish", [others_post])
        assert "Published 1 post(s)." in response.text
        others_post.refresh_from_db()
        assert others_post.title == "Edited by the editor"
        assert others_post.status == Post.Status.PUBLISHED and others_post.author == author

    @pytest.mark.parametrize(
        "name",
        [
            "admin:pages_sitesettings_change",
            "admin:books_book_add",
            "admin:praise_testimonial_add",
            "admin:redirects_redirect_add",
        ],
    )
    def test_looks_after_all_content(self, client, as_editor, author, name):
        url = reverse(name, args=[1] if name.endswith("_change") else [])
        assert client.get(url).status_code == 200

    @pytest.mark.parametrize(
        "name", ["admin:auth_user_changelist", "admin:enquiries_enquiry_changelist"]
    )
    def test_not_users_or_enquiries(self, client, as_editor, name):
        assert client.get(reverse(name)).status_code == 403


def test_staff_without_a_role_cannot_upload_images(client, sign_in):
    sign_in("visitor")
    response = client.post(reverse("markdownx_upload"), {"image": image_upload()})
    assert response.status_code == 403
    assert "You may not upload images" in response.json()["image"][0]
