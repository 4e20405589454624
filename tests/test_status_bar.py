"""The post form's status bar (blog/admin/statusbar.py): its state and its buttons."""

import json
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from blog import roles
from blog.models import FAQItem, KeepReading, Post
from blog.pending_edits import PendingEdit
from tests.test_admin import post_form
from tests.workflow_helpers import change_data, change_url, opened_on_draft

pytestmark = pytest.mark.django_db

ADD = "/admin/blog/post/add/"


def sign_in(client, django_user_model, name, group, author=None):
    user = django_user_model.objects.create_user(name, password="pw-123456!", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    if author:
        author.user = user
        author.save()
    client.force_login(user)
    return user


@pytest.fixture
def own_post(make_post):
    return make_post(title="Alex writes about hiring", status=Post.Status.DRAFT, published_at=None)


@pytest.fixture
def may_not_publish(client, django_user_model, author):
    """An author whose group lost "publish_post", as a site where editors publish has it."""
    group = Group.objects.get(name=roles.AUTHOR)
    group.permissions.remove(Permission.objects.get(codename="publish_post"))
    return sign_in(client, django_user_model, "alex", roles.AUTHOR, author)


def bar(html):
    match = re.search(r'<div class="status-bar".*?</div>\s*</div>', html, re.S)
    assert match, "no status bar"
    return match[0]


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


class TestState:
    def test_each_state_in_words(self, staff_client, make_post):
        draft = make_post(status=Post.Status.DRAFT, published_at=None)
        when = timezone.make_aware(timezone.datetime(2036, 4, 24, 9, 0))
        scheduled = make_post(published_at=when)
        live = make_post()
        shown = {
            post.pk: bar(staff_client.get(change_url(post)).content.decode())
            for post in (draft, scheduled, live)
        }
        assert '<strong id="status-bar-state">Draft</strong>' in shown[draft.pk]
        assert "Scheduled for 24 Apr 2036, 09:00" in shown[scheduled.pk]
        assert ">Published</strong>" in shown[live.pk]
        assert 'name="_publish"' in shown[draft.pk] and ">Publish<" in shown[draft.pk]
        assert 'name="_publish"' not in shown[live.pk] and ">Update<" in shown[live.pk]
        assert "Save draft revision" in shown[live.pk]
        assert "not saved yet" in bar(staff_client.get(ADD).content.decode())

    def test_a_draft_revision_of_a_published_post_is_told(self, staff_client, make_post):
        post = make_post()
        staff_client.post(change_url(post), change_data(post, title="Draft title", _save_draft="1"))
        html = bar(staff_client.get(change_url(post)).content.decode())
        assert "Published · has a draft revision not yet live" in html

    def test_the_change_form_makes_no_more_queries_with_the_bar(
        self, staff_client, make_post, django_assert_max_num_queries
    ):
        post = make_post()
        staff_client.get(change_url(post))  # warm caches (site settings, content types)
        with django_assert_max_num_queries(60) as counted:
            staff_client.get(change_url(post))
        base = len(counted)
        PendingEdit.objects.create(post=post, content={"title": "x"}, is_revision=True)
        with django_assert_max_num_queries(base + 1):  # the draft's saver, as before
            staff_client.get(change_url(post))


class TestPublishButton:
    def test_publish_sets_the_status_and_an_empty_date_to_now(self, staff_client, author):
        data = post_form(author, status="draft", published_at_0="", published_at_1="", _publish="1")
        before = timezone.now()
        response = staff_client.post(ADD, data, follow=True)
        post = Post.objects.get(slug="a-post-with-a-table")
        assert post.status == Post.Status.PUBLISHED and post.is_public
        assert before - timedelta(seconds=1) <= post.published_at <= timezone.now()
        assert "Published: readers see it now." in messages_of(response)
        assert response.redirect_chain[-1][0] == change_url(post)  # stays on the form

    def test_schedule_keeps_the_typed_date_and_says_when(self, staff_client, make_post):
        post = make_post(status=Post.Status.DRAFT, published_at=None)
        later = timezone.localtime(timezone.now() + timedelta(days=3)).replace(microsecond=0)
        data = change_data(
            post,
            published_at_0=later.strftime("%Y-%m-%d"),
            published_at_1=later.strftime("%H:%M:%S"),
            _publish="1",
        )
        response = staff_client.post(change_url(post), data, follow=True)
        post.refresh_from_db()
        assert post.status == Post.Status.PUBLISHED and post.published_at == later
        assert not post.is_public
        assert any(m.startswith("Scheduled: readers see it from ") for m in messages_of(response))
        assert "Scheduled for " in bar(response.content.decode())

    def test_update_saves_a_published_post_and_stays_on_it(self, staff_client, make_post):
        post = make_post(title="Live")
        html = bar(staff_client.get(change_url(post)).content.decode())
        update = re.search(r'<button type="submit" name="(\w+)"[^>]*>Update</button>', html)
        assert update, html
        data = change_data(post, title="Updated live", **{update[1]: "1"})
        response = staff_client.post(change_url(post), data, follow=True)
        assert response.redirect_chain[-1][0] == change_url(post)
        post.refresh_from_db()
        assert post.title == "Updated live" and post.is_public
        assert "Published" in bar(response.content.decode())

    def test_a_blocking_check_answers_beside_the_field(self, staff_client, make_post):
        post = make_post(status=Post.Status.DRAFT, published_at=None)
        data = change_data(post, body="Text.\n\n![](/media/uploads/x.png)", _publish="1")
        response = staff_client.post(change_url(post), data)
        assert response.status_code == 200
        errors = response.context["adminform"].form.errors
        assert "body" in errors and "describe the image" in " ".join(errors["body"]).lower()
        post.refresh_from_db()
        assert post.status == Post.Status.DRAFT and post.body != data["body"]

    def test_an_author_who_may_not_publish_sees_no_publish_and_is_refused(
        self, client, may_not_publish, own_post
    ):
        html = client.get(change_url(own_post)).content.decode()
        assert 'name="_publish"' not in bar(html) and "Save draft" in bar(html)
        assert 'name="_publish"' not in bar(client.get(ADD).content.decode())
        data = change_data(own_post, _publish="1")
        assert client.post(change_url(own_post), data).status_code == 403
        own_post.refresh_from_db()
        assert own_post.status == Post.Status.DRAFT

    def test_an_editor_may_publish(self, client, django_user_model, own_post):
        sign_in(client, django_user_model, "eddie", roles.EDITOR)
        response = client.post(change_url(own_post), change_data(own_post, _publish="1"))
        assert response.status_code == 302
        own_post.refresh_from_db()
        assert own_post.is_public


@pytest.fixture
def targets(make_post):
    return [make_post(title=f"Target {n}") for n in range(3)]


def whole_form(post, **fields):
    """What autosave.js posts: the form as it stands, with its whole-form mark."""
    data = change_data(post)
    data.pop("featured_image_alt")
    data.update({"_whole_form": "1", **fields})
    return data


class TestWholeFormAutosave:
    def url(self, post):
        return f"/admin/blog/post/{post.pk}/autosave/"

    def test_tags_rows_and_settings_are_kept_and_reopened(
        self, staff_client, make_post, make_tag, targets
    ):
        post = make_post(title="Live")
        tags = [make_tag("Pricing"), make_tag("Hiring")]
        data = whole_form(
            post,
            title="Typed",
            tags=[tags[0].pk, tags[1].pk],
            show_toc="",
            featured_image_caption="A caption typed",
            **{
                "faq_items-TOTAL_FORMS": "2",
                "faq_items-INITIAL_FORMS": "0",
                # Ordered by position, not by row number (the drag helper may move rows).
                "faq_items-0-question": "Second?",
                "faq_items-0-answer": "B.",
                "faq_items-0-position": "2",
                "faq_items-1-question": "First?",
                "faq_items-1-answer": "A.",
                "faq_items-1-position": "1",
                "keep_reading_links-TOTAL_FORMS": "2",
                "keep_reading_links-INITIAL_FORMS": "0",
                "keep_reading_links-0-target": targets[2].pk,
                "keep_reading_links-0-position": "0",
                "keep_reading_links-1-target": targets[0].pk,
                "keep_reading_links-1-position": "1",
            },
        )
        data.pop("show_toc")  # an unticked box sends nothing
        response = staff_client.post(self.url(post), data)
        assert response.status_code == 200
        body = json.loads(response.content)
        assert body["tags"] == sorted(tag.pk for tag in tags)
        assert body["faq"] == 2 and body["keep_reading"] == [targets[2].pk, targets[0].pk]
        assert "2 tags" in body["kept"] and "2 FAQ items" in body["kept"]
        content = PendingEdit.objects.get(post=post).content
        assert [item["question"] for item in content["faq"]] == ["First?", "Second?"]
        assert content["settings"]["show_toc"] is False
        assert content["settings"]["featured_image_caption"] == "A caption typed"
        assert content["settings"]["author"] == post.author_id
        # Nothing reached the post.
        assert not FAQItem.objects.filter(post=post).exists()
        assert not KeepReading.objects.filter(post=post).exists()
        assert not post.tags.exists()

        notice = staff_client.get(change_url(post)).content.decode()
        assert "Restoring brings back the text, 2 tags, 2 FAQ items, 2 keep-reading links" in notice
        html = staff_client.get(change_url(post) + "?draft=load").content.decode()
        assert re.search(rf'<option value="{tags[0].pk}" selected>Pricing</option>', html)
        assert 'value="First?"' in html and 'value="Second?"' in html
        assert re.search(rf'<option value="{targets[2].pk}" selected>Target 2</option>', html)
        assert 'value="A caption typed"' in html
        assert not re.search(r'name="show_toc"[^>]*checked', html)

    def test_saving_the_reopened_draft_makes_it_live(self, staff_client, make_post, targets):
        post = make_post(title="Live")
        staff_client.post(
            self.url(post),
            whole_form(
                post,
                **{
                    "keep_reading_links-TOTAL_FORMS": "1",
                    "keep_reading_links-0-target": targets[1].pk,
                },
            ),
        )
        token = opened_on_draft(staff_client, post)
        data = change_data(
            post,
            **token,
            **{
                "keep_reading_links-TOTAL_FORMS": "1",
                "keep_reading_links-INITIAL_FORMS": "0",
                "keep_reading_links-0-target": targets[1].pk,
                "keep_reading_links-0-position": "0",
            },
        )
        response = staff_client.post(change_url(post) + "?draft=load", data)
        assert response.status_code == 302
        assert list(post.keep_reading_links.curated().values_list("target", flat=True)) == [
            targets[1].pk
        ]
        assert not PendingEdit.objects.filter(post=post).exists()

    def test_settings_an_author_may_not_change_are_not_kept(
        self, client, may_not_publish, own_post
    ):
        data = whole_form(own_post, status="published", published_at_0="2030-01-01")
        data["published_at_1"] = "10:00:00"
        assert client.post(self.url(own_post), data).status_code == 200
        settings = PendingEdit.objects.get(post=own_post).content["settings"]
        assert "status" not in settings and "published_at" not in settings

    @pytest.mark.parametrize(
        "hostile",
        [
            {"faq_items-TOTAL_FORMS": "1000000000000"},
            {"faq_items-TOTAL_FORMS": "-3", "keep_reading_links-TOTAL_FORMS": "x"},
            {"keep_reading_links-TOTAL_FORMS": "2", "keep_reading_links-0-target": "1e9"},
            {"keep_reading_links-TOTAL_FORMS": "1", "keep_reading_links-0-target": "99999999999"},
            {"tags": ["x", "-1", "99999999999999999999999", "０"]},
            {"published_at_0": "2026-02-31", "published_at_1": "25:61"},
            {"author": "99999", "status": "gone", "slug": "not a slug!"},
            {"faq_items-TOTAL_FORMS": "3", "faq_items-0-position": "x" * 10_000},
            {"_whole_form": "1", "title": "x" * 201},
        ],
    )
    def test_hostile_payloads_never_answer_5xx(self, staff_client, make_post, hostile):
        post = make_post()
        response = staff_client.post(self.url(post), whole_form(post, **hostile))
        assert response.status_code in (200, 400), response.content
        if response.status_code == 200:
            content = PendingEdit.objects.get(post=post).content
            assert len(content["faq"]) <= 100 and content["keep_reading"] == []
            assert all(isinstance(pk, int) for pk in content["tags"])
            settings = content["settings"]
            assert settings.get("status") in (None, "draft", "published")
            assert "author" not in settings or settings["author"] == post.author_id
            # The reopened form shows it, with no error page.
            assert staff_client.get(change_url(post) + "?draft=load").status_code == 200

    def test_queries_do_not_grow_with_the_rows(
        self,
        staff_client,
        make_post,
        targets,
        django_assert_max_num_queries,
        django_assert_num_queries,
    ):
        post = make_post()

        def rows(count):
            data = {
                "faq_items-TOTAL_FORMS": str(count),
                "keep_reading_links-TOTAL_FORMS": str(count),
            }
            for i in range(count):
                data[f"faq_items-{i}-question"] = f"Q{i}?"
                data[f"keep_reading_links-{i}-target"] = targets[i % 3].pk
            return whole_form(post, **data)

        staff_client.post(self.url(post), rows(1))
        with django_assert_max_num_queries(40) as few:
            staff_client.post(self.url(post), rows(1))
        with django_assert_num_queries(len(few)):
            staff_client.post(self.url(post), rows(30))
