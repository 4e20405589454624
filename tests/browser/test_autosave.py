"""Autosave in a real browser: only a browser runs static/blog/autosave.js."""

import pytest
from django.http import JsonResponse
from django.utils import timezone

from blog.admin import PostAdmin
from blog.models import Post
from blog.pending_edits import PendingEdit

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_typing_is_autosaved_into_the_draft_and_offered_back(staff_page, make_post):
    post = make_post(title="Live title", body="Live body.")
    page = staff_page
    change = f"/admin/blog/post/{post.pk}/change/"
    page.goto(change)
    page.fill("#id_body", "Live body.\n\nA paragraph the tab is about to lose.")
    page.wait_for_function(
        # A function, not an expression: the page's CSP forbids evaluating strings.
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Saved a draft at')",
        timeout=10_000,
    )
    draft = PendingEdit.objects.get(post=post)
    assert draft.content["body"].endswith("A paragraph the tab is about to lose.")
    assert Post.objects.get(pk=post.pk).body == "Live body."

    page.goto(change)  # the tab was closed; the author comes back
    assert "Autosaved text is newer" in page.inner_text(".draft-notice")
    assert "paused" in page.inner_text("#autosave-status")
    page.click("text=Restore autosaved text")
    assert page.input_value("#id_body").endswith("A paragraph the tab is about to lose.")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert Post.objects.get(pk=post.pk).body.endswith("A paragraph the tab is about to lose.")
    assert not PendingEdit.objects.exists()


def test_leaving_the_page_saves_what_was_typed(staff_page, make_post):
    post = make_post(title="Live title")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.fill("#id_title", "Typed a moment before leaving")
    page.on("dialog", lambda dialog: dialog.accept())  # "Leave page"
    page.goto("/admin/")  # well before the 2.5-second pause ends
    for _ in range(50):
        if PendingEdit.objects.filter(post=post).exists():
            break
        page.wait_for_timeout(100)
    assert PendingEdit.objects.get(post=post).content["title"] == "Typed a moment before leaving"
    assert Post.objects.get(pk=post.pk).title == "Live title"


def test_leaving_with_unsaved_changes_asks_first(staff_page, make_post):
    post = make_post(title="Live title")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    asked = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # "Stay on page"

    page.on("dialog", answer)
    # Leaving by a link on the page (a navigation the test runner makes skips the question).
    leave = ".breadcrumbs a >> nth=0"
    page.click(leave)  # nothing changed: no question
    page.wait_for_url("**/admin/")
    assert asked == []
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    # Typed with the keyboard: a browser asks only after the person has used the page.
    page.click("#id_title")
    page.keyboard.press("End")
    page.keyboard.type(", changed")
    page.click(leave)
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert page.input_value("#id_title") == "Live title, changed"
    page.remove_listener("dialog", answer)
    page.click("input[name=_continue]")  # saving is not leaving: no question
    page.wait_for_selector(".messagelist")
    assert asked == ["beforeunload"]
    assert Post.objects.get(pk=post.pk).title == "Live title, changed"


def test_a_new_post_is_kept_in_the_browser_before_its_first_save(staff_page, author):
    page = staff_page
    page.goto("/admin/blog/post/add/")
    page.fill("#id_title", "A post never saved")
    page.fill("#id_body", "Words typed into a new post.")
    page.wait_for_timeout(800)  # the copy is taken a moment after typing
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/admin/")  # the tab is closed; the author comes back
    page.goto("/admin/blog/post/add/")
    notice = page.locator(".new-post-draft")
    assert "kept a new post you were writing" in notice.inner_text()
    page.get_by_role("button", name="Restore it").click()
    assert page.input_value("#id_title") == "A post never saved"
    assert page.input_value("#id_body") == "Words typed into a new post."
    page.fill("#id_slug", "a-post-never-saved")
    page.evaluate(  # the author box is a search widget; choose as its script would
        "(pk) => document.getElementById('id_author').add(new Option('Author', pk, true, true))",
        str(author.pk),
    )
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert Post.objects.filter(title="A post never saved").exists()
    # Saved: the copy is forgotten, the next new post starts empty.
    page.goto("/admin/blog/post/add/")
    assert page.locator(".new-post-draft").count() == 0


# Every field of the form, new posts and existing ones ------------------------


def choose(page, select_id, text):
    """Pick ``text`` in a search box (the admin's select2 autocomplete), as a person would."""
    page.click(f"#{select_id} + .select2 .select2-selection")
    page.locator(".select2-container--open .select2-search__field").first.fill(text)
    # Django's select2 4.0: "Searching…" is an option too, until the answer comes.
    page.locator(".select2-results__option:not(.loading-results)", has_text=text).first.click()


def chosen(page, select_id):
    """The names a search box shows as chosen."""
    return page.eval_on_selector_all(
        f"#{select_id} + .select2 .select2-selection__choice,"
        f" #{select_id} + .select2 .select2-selection__rendered[title]",
        "(items) => items.map((item) => item.title.trim())",
    )


def add_rows(page, prefix, count):
    for _ in range(count):
        page.click(f"#{prefix}-group .add-row a")


def fill_every_field(page, tags, targets, author):
    page.fill("#id_title", "Every field kept")
    page.fill("#id_description", "A lede typed once.")  # leaving the title fills a new slug
    if page.input_value("#id_slug") != "every-field-kept":
        page.fill("#id_slug", "every-field-kept")
    choose(page, "id_author", author.name)
    page.fill("#id_body", "## First\n\nWords of the body.")
    page.select_option("#id_status", "published")
    page.fill("#id_published_at_0", "2031-05-06")
    page.fill("#id_published_at_1", "07:30:00")
    for tag in tags:
        choose(page, "id_tags", tag.name)
    page.uncheck("#id_show_toc")
    page.fill("#id_featured_image_caption", "A caption")
    page.fill("#id_featured_image_credit", "Photo: Jane Doe")
    page.click("summary:has-text('Search and sharing')")
    page.fill("#id_meta_description", "What search engines show.")
    page.fill("#id_canonical_url", "https://example.com/first-home")
    add_rows(page, "faq_items", 2)
    for i, (question, answer) in enumerate([("First?", "One."), ("Second?", "Two.")]):
        page.fill(f"[name=faq_items-{i}-question]", question)
        page.fill(f"[name=faq_items-{i}-answer]", answer)  # in the order added
    add_rows(page, "keep_reading_links", 2)
    for i, target in enumerate(targets):
        choose(page, f"id_keep_reading_links-{i}-target", target.title)


def assert_every_field_is_back(page, tags, targets, author):
    assert page.input_value("#id_title") == "Every field kept"
    assert chosen(page, "id_author") == [author.name]
    assert page.input_value("#id_slug") == "every-field-kept"
    assert page.input_value("#id_description") == "A lede typed once."
    assert page.input_value("#id_body") == "## First\n\nWords of the body."
    assert page.input_value("#id_status") == "published"
    assert page.input_value("#id_published_at_0") == "2031-05-06"
    assert page.input_value("#id_published_at_1").startswith("07:30")
    assert sorted(chosen(page, "id_tags")) == sorted(tag.name for tag in tags)
    assert not page.is_checked("#id_show_toc")
    assert page.input_value("#id_featured_image_caption") == "A caption"
    assert page.input_value("#id_featured_image_credit") == "Photo: Jane Doe"
    assert page.input_value("#id_meta_description") == "What search engines show."
    assert page.input_value("#id_canonical_url") == "https://example.com/first-home"
    assert page.input_value("[name=faq_items-0-question]") == "First?"
    assert page.input_value("[name=faq_items-1-answer]") == "Two."
    for i, target in enumerate(targets):
        assert chosen(page, f"id_keep_reading_links-{i}-target") == [target.title]


def assert_every_field_was_saved(tags, targets):
    post = Post.objects.get(slug="every-field-kept")
    # A form submission sends line ends as CRLF, as browsers do.
    assert (post.title, post.description, post.body.replace("\r\n", "\n")) == (
        "Every field kept",
        "A lede typed once.",
        "## First\n\nWords of the body.",
    )
    assert post.status == Post.Status.PUBLISHED and not post.show_toc
    assert timezone.localtime(post.published_at).strftime("%Y-%m-%d %H:%M") == "2031-05-06 07:30"
    assert (post.meta_description, post.canonical_url) == (
        "What search engines show.",
        "https://example.com/first-home",
    )
    assert (post.featured_image_caption, post.featured_image_credit) == (
        "A caption",
        "Photo: Jane Doe",
    )
    assert sorted(post.tags.values_list("name", flat=True)) == sorted(tag.name for tag in tags)
    assert list(post.faq_items.order_by("position").values_list("question", flat=True)) == [
        "First?",
        "Second?",
    ]
    assert list(
        post.keep_reading_links.curated().order_by("position").values_list("target", flat=True)
    ) == [target.pk for target in targets]


@pytest.fixture
def choices(make_post, make_tag):
    tags = [make_tag("Pricing"), make_tag("Hiring")]
    targets = [make_post(title="Build versus buy"), make_post(title="Hiring the first engineer")]
    return tags, targets


def test_every_field_of_a_new_post_comes_back_after_closing_the_tab(staff_page, author, choices):
    tags, targets = choices
    page = staff_page
    page.goto("/admin/blog/post/add/")
    fill_every_field(page, tags, targets, author)
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Kept in this browser at')"
    )
    context = page.context
    page.close()  # the tab is closed without saving
    page = context.new_page()
    page.goto("/admin/blog/post/add/")
    notice = page.inner_text(".new-post-draft")
    assert "“Every field kept”, 2 tags, 2 FAQ items, 2 keep-reading links" in notice
    page.get_by_role("button", name="Restore it").click()
    assert_every_field_is_back(page, tags, targets, author)
    page.click("#status-bar button[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert_every_field_was_saved(tags, targets)


def test_every_field_of_a_saved_post_comes_back_through_the_server(
    staff_page, open_page, make_post, choices, author
):
    tags, targets = choices
    post = make_post(title="Live title", slug="live-title")
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    fill_every_field(page, tags, targets, author)
    page.wait_for_function(
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Saved a draft at')",
        timeout=15_000,
    )
    wanted = [target.pk for target in targets]
    for _ in range(100):  # the last change's autosave, after its pause
        draft = PendingEdit.objects.filter(post=post).first()
        if draft and draft.content.get("keep_reading") == wanted:
            break
        page.wait_for_timeout(150)
    assert Post.objects.get(pk=post.pk).title == "Live title"  # nothing live changed
    cookies = page.context.cookies()
    page.close()
    page = open_page()  # another browser: only the server has the draft
    page.context.add_cookies(cookies)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    notice = page.inner_text(".draft-notice")
    assert "Autosaved text is newer" in notice
    assert "2 tags, 2 FAQ items, 2 keep-reading links and the publishing settings" in notice
    page.click("text=Restore autosaved text")
    assert_every_field_is_back(page, tags, targets, author)
    page.click("#status-bar button[name=_continue]")  # "Update"
    page.wait_for_selector(".messagelist")
    assert_every_field_was_saved(tags, targets)
    assert not PendingEdit.objects.filter(post=post).exists()


def test_a_post_too_long_for_a_beacon_is_kept_in_the_browser_as_the_tab_closes(
    staff_page, make_post, monkeypatch
):
    post = make_post(title="Long one", body="Short for now.")
    page = staff_page
    long_body = "A sentence that makes the post long. " * 2500  # ~92 kB, over the 64 kB limit
    # The server cannot take it: nothing is saved there before the tab goes. (Refused by
    # the server, not by the test browser's routing, which misses requests sent while a
    # page unloads.)
    unavailable = JsonResponse({"error": "unavailable"}, status=503)
    monkeypatch.setattr(PostAdmin, "_autosave", lambda *args, **kwargs: unavailable)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    page.fill("#id_body", long_body)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/admin/")  # leaving well before the pause ends
    page.wait_for_timeout(500)  # a request the leaving page sent late is refused too
    assert not PendingEdit.objects.filter(post=post).exists()
    monkeypatch.undo()
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    notice = page.inner_text(".local-post-copy")
    assert "did not reach the server" in notice and "“Long one”" in notice
    page.get_by_role("button", name="Restore them").click()
    assert page.input_value("#id_body") == long_body
    page.wait_for_function(  # restored, it is autosaved to the server at last
        "() => document.getElementById('autosave-status').textContent"
        ".startsWith('Saved a draft at')",
        timeout=15_000,
    )
    assert PendingEdit.objects.get(post=post).content["body"] == long_body
    page.goto(f"/admin/blog/post/{post.pk}/change/?draft=load")
    assert page.locator(".local-post-copy").count() == 0  # the server has it: not offered again
