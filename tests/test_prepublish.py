"""Pre-publish checks: each check, its place, and what blocks publishing in the admin."""

import pytest
from django.test import Client
from django.utils import timezone

from blog.link_check import LinkChecker
from blog.models import Post
from blog.prepublish import (
    ERROR,
    WARNING,
    CheckedPost,
    body_checks,
    field_checks,
    heading_checks,
    image_checks,
    link_checks,
    paragraph_checks,
    run_checks,
    slug_checks,
)
from tests.conftest import image_upload
from tests.test_admin import post_form

GOOD = CheckedPost(
    title="A title", slug="a-title", body="Fine.", description="A lede.", tag_count=1
)


def draft(**changes):
    return CheckedPost(**{**GOOD.__dict__, **changes})


def places(checks):
    return [check.where for check in checks]


class TestFields:
    def test_a_good_draft_passes(self, db):
        assert run_checks(GOOD) == []

    def test_missing_title_blocks(self):
        [check] = field_checks(draft(title="  "))
        assert (check.level, check.where) == (ERROR, "Title")

    def test_featured_image_without_description_blocks(self):
        [check] = field_checks(draft(has_featured_image=True, featured_image_alt=""))
        assert check.level == ERROR and check.where == "Featured image description"
        assert field_checks(draft(has_featured_image=True, featured_image_alt="A chart")) == []

    def test_missing_description_warns(self):
        [check] = field_checks(draft(description="", meta_description=""))
        assert (check.level, check.where) == (WARNING, "Description")

    def test_long_description_warns_with_its_length(self):
        [check] = field_checks(draft(description="x" * 161))
        assert check.level == WARNING and "161 characters" in check.message
        assert field_checks(draft(description="x" * 160)) == []

    def test_the_meta_description_is_what_counts_when_set(self):
        [check] = field_checks(draft(description="x" * 300, meta_description="y" * 200))
        assert check.where == "Meta description" and "200 characters" in check.message
        assert field_checks(draft(description="x" * 300, meta_description="Short.")) == []

    def test_no_tags_warns(self):
        [check] = field_checks(draft(tag_count=0))
        assert (check.level, check.where) == (WARNING, "Tags")


class TestSlug:
    def test_slug_used_by_another_post_blocks(self, make_post):
        make_post(slug="taken")
        [check] = slug_checks(draft(slug="taken"))
        assert (check.level, check.where) == (ERROR, "Slug")

    def test_a_posts_own_slug_is_fine(self, make_post):
        post = make_post(slug="mine")
        assert slug_checks(draft(slug="mine", pk=post.pk)) == []


class TestImages:
    def test_images_without_description_block_with_their_place(self):
        body = "Intro.\n\n![](/media/a.png)\n\nText.\n\nMore text\nand ![ ](/media/b.png)"
        checks = image_checks(body)
        assert [check.level for check in checks] == [ERROR, ERROR]
        assert places(checks) == ["Paragraph 2 (line 3)", "Paragraph 4 (line 8)"]
        assert "/media/a.png" in checks[0].message

    def test_the_editors_placeholder_is_not_a_description(self):
        [check] = image_checks("![Describe this image](/media/uploads/x.png)")
        assert check.level == ERROR

    def test_described_images_pass(self):
        assert image_checks('![A chart](/a.png)\n\n<img src="/b.png" alt="Costs">') == []

    def test_html_images_without_alt_block(self):
        checks = image_checks('Text.\n\n<img src="/b.png">\n\n<img src="/c.png" alt="">')
        assert places(checks) == ["Line 3", "Line 5"]

    def test_reference_images(self):
        assert len(image_checks("![][chart]\n\n[chart]: /a.png")) == 1

    def test_images_in_code_blocks_are_ignored(self):
        assert image_checks("```markdown\n![](/a.png)\n```") == []


class TestHeadings:
    def test_a_skipped_level_warns_with_the_heading_and_line(self):
        body = "## Costs\n\nText.\n\n#### Detail\n\nText.\n\n### Fine again"
        [check] = heading_checks(body)
        assert check.level == WARNING
        assert check.where == "Heading 'Detail' (line 5)"
        assert "H4 after an H2" in check.message and "make it an H3" in check.message

    def test_the_first_heading_after_the_title_should_be_an_h2(self):
        [check] = heading_checks("Intro.\n\n### Too deep")
        assert "H3 after an H1" in check.message

    def test_going_back_up_is_fine(self):
        assert heading_checks("## A\n\n### B\n\n#### C\n\n## D\n\n### E") == []

    def test_hash_h1_counts_as_h2(self):
        assert heading_checks("# Shown as H2\n\n### Then an H3") == []

    def test_headings_in_code_are_ignored(self):
        assert heading_checks("```\n#### not a heading\n```") == []


class TestParagraphs:
    def test_a_long_paragraph_warns(self):
        body = "Short one.\n\n## Costs\n\n" + " ".join(["word"] * 151)
        [check] = paragraph_checks(body)
        assert check.level == WARNING and "151 words" in check.message
        assert check.where == "Paragraph 2 (line 5)"

    def test_150_words_are_fine(self):
        assert paragraph_checks(" ".join(["word"] * 150)) == []

    def test_lists_and_code_are_not_paragraphs(self):
        words = " ".join(["word"] * 200)
        assert paragraph_checks(f"- {words}\n\n```\n{words}\n```") == []


class TestInternalLinks:
    def test_links_to_missing_or_unpublished_posts_warn(self, make_post):
        make_post(slug="live")
        make_post(slug="draft", status=Post.Status.DRAFT)
        make_post(slug="later", published_at=timezone.now() + timezone.timedelta(days=1))
        body = (
            "See [live](post:live), [draft](post:draft).\n\n"
            "And [later](/blog/later/) and [gone](post:gone) and [a book](book:nope).\n\n"
            "[Elsewhere](https://example.com/blog/x/)"
        )
        checks = link_checks(body, LinkChecker())
        assert [check.level for check in checks] == [WARNING] * 4
        assert [check.message.split(":")[0] for check in checks] == [
            "post", "/blog/later/", "post", "book"
        ]  # fmt: skip
        assert places(checks) == ["Paragraph 1 (line 1)"] + ["Paragraph 2 (line 3)"] * 3
        assert "no published post has this address" in checks[0].message

    def test_renamed_posts_are_fine(self, make_post):
        post = make_post(slug="old-name")
        post.slug = "new-name"
        post.save()
        assert link_checks("[x](post:old-name)", LinkChecker()) == []

    def test_link_checks_only_run_when_asked(self):
        assert body_checks("[gone](post:gone)") == []


def test_errors_come_first(db):
    checks = run_checks(draft(tag_count=0, body="![](/a.png)"))
    assert [check.level for check in checks] == [ERROR, WARNING]


class TestAdminForm:
    def test_publishing_with_an_undescribed_image_is_refused(self, staff_client, author):
        data = post_form(author, body="Intro.\n\n![](/media/uploads/c.png)")
        response = staff_client.post("/admin/blog/post/add/", data)
        assert response.status_code == 200
        assert "Paragraph 2 (line 3): Describe the image /media/uploads/c.png" in response.text
        assert not Post.objects.exists()

    def test_a_draft_with_an_undescribed_image_saves(self, staff_client, author):
        data = post_form(author, body="Intro.\n\n![](/media/uploads/c.png)", status="draft")
        assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
        assert Post.objects.get().status == "draft"

    def test_warnings_never_block(self, staff_client, author):
        data = post_form(author, description="", body="### Skips\n\n" + "word " * 200)
        assert staff_client.post("/admin/blog/post/add/", data).status_code == 302

    def test_slug_collision_is_a_clean_field_error(self, staff_client, author, make_post):
        make_post(slug="a-post-with-a-table")
        response = staff_client.post("/admin/blog/post/add/", post_form(author, status="draft"))
        assert response.status_code == 200
        assert "Post with this Slug already exists." in response.text

    def test_featured_image_needs_a_description_to_save(self, staff_client, author):
        data = post_form(author, featured_image=image_upload(), status="draft")
        response = staff_client.post("/admin/blog/post/add/", data)
        assert response.status_code == 200 and not Post.objects.exists()

    def test_the_panel_lists_checks_beside_the_editor(self, staff_client, make_post):
        post = make_post(body="## A\n\n#### Costs\n\n[x](post:gone)", tags=[])
        html = staff_client.get(f"/admin/blog/post/{post.pk}/change/").text
        assert "Before you publish" in html
        assert "Heading &#x27;Costs&#x27; (line 3)" in html
        assert "post:gone: no published post has this address" in html
        assert 'data-field="tags">Tags</button>: No tags' in html
        # Each place is a button that takes the author there (static/blog/prepublish.js).
        assert 'data-field="body" data-line="3">Heading' in html
        assert html.index("Before you publish") < html.index("Featured image")

    def test_a_clean_post_is_ready(self, staff_client, make_post, make_tag):
        post = make_post(tags=[make_tag("Hiring")])
        html = staff_client.get(f"/admin/blog/post/{post.pk}/change/").text
        assert "Ready to publish: nothing to fix." in html

    def test_publish_action_skips_posts_that_fail(self, staff_client, make_post):
        bad = make_post(status=Post.Status.DRAFT, published_at=None, body="![](/a.png)")
        good = make_post(status=Post.Status.DRAFT, published_at=None)
        response = staff_client.post(
            "/admin/blog/post/",
            {"action": "publish", "_selected_action": [bad.pk, good.pk]},
            follow=True,
        )
        bad.refresh_from_db()
        good.refresh_from_db()
        assert bad.status == "draft" and good.status == "published"
        assert f"Not published: {bad.title} (Paragraph 1 (line 1)" in response.text


class TestLiveEndpoint:
    URL = "/admin/blog/post/prepublish-checks/"

    def test_checks_the_form_as_posted(self, staff_client, make_post, make_tag):
        post = make_post(slug="mine")
        make_post(slug="taken")
        response = staff_client.post(
            self.URL,
            {
                "title": "",
                "slug": "taken",
                "body": "![](/a.png)",
                "description": "ok",
                "tags": [str(make_tag("T").pk)],
                "has_featured_image": "1",
                "featured_image_alt": "",
                "post": str(post.pk),
            },
        )
        assert response.status_code == 200
        checks = response.json()["checks"]
        assert {(c["level"], c["where"]) for c in checks} == {
            ("error", "Title"),
            ("error", "Slug"),
            ("error", "Featured image description"),
            ("error", "Paragraph 1 (line 1)"),
        }

    def test_own_slug_and_a_clean_form(self, staff_client, make_post):
        post = make_post(slug="mine")
        data = {"title": "T", "slug": "mine", "body": "Hi.", "description": "d", "tags": "1"}
        response = staff_client.post(self.URL, {**data, "post": str(post.pk)})
        assert response.json() == {"checks": []}

    @pytest.mark.parametrize("post", ["", "abc", "-1", "9" * 30])
    def test_odd_input_is_not_an_error(self, staff_client, db, post):
        response = staff_client.post(self.URL, {"post": post})
        assert response.status_code == 200
        assert "Title" in [check["where"] for check in response.json()["checks"]]

    def test_staff_only_and_post_only(self, db, django_user_model):
        anonymous = Client()
        assert anonymous.post(self.URL, {"title": "x"}).status_code == 302  # to the admin login
        reader = Client()
        reader.force_login(django_user_model.objects.create_user("reader", password="pw"))
        assert reader.post(self.URL, {"title": "x"}).status_code == 302
        staff = Client()
        staff.force_login(django_user_model.objects.create_superuser("boss", password="pw"))
        assert staff.get(self.URL).status_code == 405
        assert staff.post(self.URL, {"title": "x"}).status_code == 200
