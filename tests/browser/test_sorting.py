"""Ordering by dragging and from the keyboard, in Chromium (static/ordering/sortable-rows.js,
core/ordering.py): what is moved on the page is what readers see after saving."""

import pytest
from django.conf import settings
from django.utils import timezone

from blog.models import KeepReading
from books.models import Book
from pages.models import NavItem
from tests.conftest import add_faq

from .conftest import ARTIFACTS, DESKTOP, PHONE, run_axe
from .test_csp import watch

# serialized_rollback: the rows migrations create (site settings, navigation) survive each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TALL = {"width": 1280, "height": 2400}


def signed_in(open_page, live_server, client, user, **options):
    client.force_login(user)
    page = open_page(**options)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


@pytest.fixture
def writer(django_user_model):
    return django_user_model.objects.create_superuser("sorter", "s@example.com", "pw-123456!")


@pytest.fixture
def post(make_post):
    post = make_post(title="Hiring your first ML engineer", slug="hiring-ml")
    add_faq(post, 3)  # Question 0?, 1?, 2?
    for i, name in enumerate("ABC"):
        # Newer than the post: the older neighbour is its "Next", not under Keep reading.
        target = make_post(title=f"Further reading {name}", published_at=timezone.now())
        KeepReading.objects.create(post=post, target=target, position=i)
    return post


def drag(page, handle, target, above=True):
    """Presses the mouse on ``handle`` and lets go just inside the top (or bottom) of
    ``target``, moving in small steps as a hand does."""
    page.locator(target).scroll_into_view_if_needed()
    start = page.locator(handle).bounding_box()
    box = page.locator(target).bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    y = box["y"] + (5 if above else box["height"] - 5)
    page.mouse.move(start["x"] + start["width"] / 2, y, steps=20)
    page.wait_for_timeout(200)
    page.mouse.move(start["x"] + start["width"] / 2, y + (-2 if above else 2), steps=2)
    page.mouse.up()
    page.wait_for_timeout(300)


SORTABLE_INLINES = ["#faq_items-group", "#keep_reading_links-group", ".sort-live"]


def said(page, words):
    """The live region ends up saying ``words`` (it is emptied first, then filled)."""
    for _ in range(30):
        if page.inner_text(".sort-live") == words:
            break
        page.wait_for_timeout(100)
    assert page.inner_text(".sort-live") == words


def shot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"sorting-{name}.png"))


def positions(page, prefix, count):
    return [page.input_value(f"[name={prefix}-{i}-position]") for i in range(count)]


def test_faq_dragged_and_keep_reading_moved_by_keyboard_reach_the_article(
    open_page, live_server, client, writer, post
):
    # Tall enough for the three FAQ items to be in view at once, as the mouse drags.
    page = signed_in(open_page, live_server, client, writer, viewport=TALL)
    problems = watch(page)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    # The numbers are in the form but not shown; each row has its controls.
    assert page.locator("#faq_items-group .sort-handle").count() == 3
    assert not page.is_visible("[name=faq_items-0-position]")

    # FAQ: the third question dragged above the first, with the mouse.
    drag(page, "#faq_items-2 .sort-handle", "#faq_items-0")
    assert positions(page, "faq_items", 3) == ["2", "3", "1"]
    said(page, "FAQ item 3 moved to position 1 of 3.")

    # Keep reading: the first link moved down twice from its handle, with the keyboard.
    handle = page.locator("#keep_reading_links-0 .sort-handle")
    handle.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Alt+ArrowDown")
    assert page.evaluate("() => document.activeElement.closest('tr').id") == "keep_reading_links-0"
    assert positions(page, "keep_reading_links", 3) == ["3", "1", "2"]
    said(page, "Keep-reading link 2 moved to position 3 of 3.")
    assert "of 3" in handle.get_attribute("aria-label")
    page.set_viewport_size(DESKTOP)
    page.locator("#faq_items-group").scroll_into_view_if_needed()
    shot(page, "post-inlines-1280x800")

    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert [item.question for item in post.faq_items.all()] == [
        "Question 2?",
        "Question 0?",
        "Question 1?",
    ]
    page.goto(post.get_absolute_url())
    questions = page.locator(".faq h3, .faq dt, .faq summary").all_inner_texts()
    assert [q for q in questions if q.startswith("Question")] == [
        "Question 2?",
        "Question 0?",
        "Question 1?",
    ]
    cards = page.locator(".keep-reading").inner_text()
    found = sorted(["Further reading A", "Further reading B", "Further reading C"], key=cards.index)
    assert found == ["Further reading B", "Further reading C", "Further reading A"]
    assert problems == []


def test_navigation_moved_with_buttons_and_books_dragged_in_their_list(
    open_page, live_server, client, writer
):
    labels = list(NavItem.objects.values_list("label", flat=True))
    books = [Book.objects.create(title=f"Book {n}", slug=f"book-{n}", position=0) for n in "ABC"]
    page = signed_in(open_page, live_server, client, writer)
    problems = watch(page)

    page.goto("/admin/pages/sitesettings/1/change/")
    last = len(labels) - 1
    page.click(f"#nav_items-{last} .sort-up")
    assert page.evaluate("() => document.activeElement.classList.contains('sort-up')")
    said(page, f"Navigation item {last + 1} moved to position {last} of {len(labels)}.")
    page.locator("#nav_items-group").scroll_into_view_if_needed()
    shot(page, "navigation-1280x800")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    expected = [*labels[:-2], labels[-1], labels[-2]]
    assert list(NavItem.objects.values_list("label", flat=True)) == expected
    page.goto("/")
    assert page.locator(".site-nav a").all_inner_texts()[: len(labels)] == expected

    page.goto("/admin/books/book/")
    row = "#result_list tbody tr:nth-child({})".format
    drag(page, f"{row(3)} .sort-handle", row(1))
    said(page, "Book 3 moved to position 1 of 3. Save to keep the new order.")
    shot(page, "books-list-1280x800")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist")
    assert list(Book.objects.values_list("title", "position")) == [
        ("Book C", 1),
        ("Book A", 2),
        ("Book B", 3),
    ]
    page.goto("/books/")
    shown = page.inner_text("main")
    assert sorted([b.title for b in books], key=shown.index) == ["Book C", "Book A", "Book B"]

    # Filtered, the list cannot be dragged; it says so and the numbers stay.
    page.goto("/admin/books/book/?featured__exact=0")
    assert "show the whole list" in page.inner_text(".sort-note")
    assert page.locator(".sort-handle").count() == 0
    assert page.is_visible("[name=form-0-position]")
    assert problems == []


def test_without_the_script_the_numbers_are_typed(open_page, live_server, client, writer, post):
    page = signed_in(open_page, live_server, client, writer)
    page.route("**/sortable-rows*.js", lambda route: route.abort())
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    assert page.locator(".sort-handle").count() == 0
    page.fill("[name=faq_items-0-position]", "9")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert [item.question for item in post.faq_items.all()] == [
        "Question 1?",
        "Question 2?",
        "Question 0?",
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_sortable_inlines_pass_axe(
    open_page, live_server, client, writer, post, axe_script, scheme
):
    for name in ["The Hiring Loop", "Small Teams", "Paid Trials"]:
        Book.objects.create(title=name, slug=name.lower().replace(" ", "-"))
    for viewport, size in [(DESKTOP, "1280x800"), (PHONE, "390x844")]:
        page = signed_in(
            open_page, live_server, client, writer, viewport=viewport, color_scheme=scheme
        )
        page.goto(f"/admin/blog/post/{post.pk}/change/")
        page.locator("#faq_items-1 .sort-down").click()  # the live region has spoken
        # The sortable inlines and what the script adds; the rest of the editor (tags,
        # featured image) is not this script's.
        assert run_axe(page, axe_script, within=SORTABLE_INLINES) == []
        page.locator("#keep_reading_links-group").scroll_into_view_if_needed()
        shot(page, f"post-keep-reading-{scheme}-{size}")
        page.locator("#faq_items-group").scroll_into_view_if_needed()
        shot(page, f"post-faq-{scheme}-{size}")
        page.goto("/admin/books/book/")
        # The order column; the admin's own list (its filters, the featured boxes) is not
        # this script's.
        order_column = ["#result_list .column-position", "#result_list .field-position"]
        assert run_axe(page, axe_script, within=[*order_column, ".sort-live"]) == []
        shot(page, f"books-list-{scheme}-{size}")
        page.context.close()


def test_a_position_with_an_error_is_shown_to_be_fixed(
    open_page, live_server, client, writer, post
):
    page = signed_in(open_page, live_server, client, writer)
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    # What a crafted or mangled form might post in place of the script's number.
    # (A number input holds no text, so it is made a text input first.)
    page.evaluate(
        """() => {
            const input = document.querySelector('[name=faq_items-1-position]');
            input.type = 'text';
            input.value = 'second';
        }"""
    )
    page.click("input[name=_continue]")
    page.wait_for_selector(".errornote")
    assert page.is_visible("[name=faq_items-1-position]")
    assert "Enter a whole number." in page.inner_text("#faq_items-1")
    # The rows can still be moved; their numbers are then rewritten, and the save goes.
    page.click("#faq_items-0 .sort-down")
    assert positions(page, "faq_items", 3) == ["2", "1", "3"]
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert [item.question for item in post.faq_items.all()] == [
        "Question 1?",
        "Question 0?",
        "Question 2?",
    ]
