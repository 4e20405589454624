"""Rows put in order in the admin (core/ordering.py): the numbers posted, whatever they are,
become an order, stored as 1…n, and readers see it (issue 16).

The browser half (dragging, the keyboard) is tests/browser/test_sorting.py; these post the
numbers the script writes, or an author types without it.
"""

import re
import sys
from pathlib import Path

import pytest
from django.utils import timezone

from blog.models import FAQItem, KeepReading
from blog.pending_edits import PendingEdit
from blog.revisions import content_of_version, diff, versions_of
from books.models import Book
from core import changes
from core.ordering import in_order, renumber
from pages.models import NavItem, SiteSettings
from praise.models import Testimonial as Praise
from tests.conftest import add_faq, link_keep_reading
from tests.workflow_helpers import change_data, change_url, opened_on_draft

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from soak import parse_form  # noqa: E402 - scripts/ is not a package

pytestmark = pytest.mark.django_db


def questions(post):
    return list(post.faq_items.values_list("question", "position"))


def order_in(html, names):
    """``names`` sorted by where they first appear in ``html`` (each must appear)."""
    for name in names:
        assert name in html, name
    return sorted(names, key=html.index)


class TestTheRule:
    def test_numbers_first_then_a_placed_row_before_one_left_alone_then_as_they_were(self):
        # (number, placed rank or None) in page order.
        rows = [(1, None), (2, None), (1, 0), (None, None), (2, 1)]
        assert in_order(rows) == [2, 0, 4, 1, 3]

    def test_rows_without_numbers_go_last_in_page_order(self):
        assert in_order([(None, None), (5, None), (None, 0)]) == [1, 0, 2]


class TestPostInlines:
    @pytest.fixture
    def post(self, make_post):
        post = make_post(title="Hiring your first ML engineer", slug="hiring")
        add_faq(post, 3)  # Question 0?, 1?, 2? at positions 0, 1, 2
        return post

    def test_reordered_faq_is_stored_as_one_to_n_and_shown_in_that_order(self, staff_client, post):
        data = change_data(post)
        data.update(
            {"faq_items-0-position": 3, "faq_items-1-position": 1, "faq_items-2-position": 2}
        )
        response = staff_client.post(change_url(post), data)
        assert response.status_code == 302
        assert questions(post) == [("Question 1?", 1), ("Question 2?", 2), ("Question 0?", 3)]
        html = staff_client.get(post.get_absolute_url()).content.decode()
        faq = html[html.index('id="faq-heading"') :]
        assert order_in(faq, ["Question 0?", "Question 1?", "Question 2?"]) == [
            "Question 1?",
            "Question 2?",
            "Question 0?",
        ]

    @pytest.mark.parametrize(
        "posted, expected",
        [
            # Out of range, negative and huge numbers still say where the row goes.
            (["-5", "99999999999999999999999999999", "7"], ["0", "2", "1"]),
            # Duplicates: the row moved onto a number comes before the one that had it.
            (["0", "0", "2"], ["1", "0", "2"]),
            # Empty: last, in page order.
            (["", "1", ""], ["1", "0", "2"]),
        ],
    )
    def test_any_whole_number_is_normalised(self, staff_client, post, posted, expected):
        data = change_data(post)
        data.update({f"faq_items-{i}-position": value for i, value in enumerate(posted)})
        response = staff_client.post(change_url(post), data)
        assert response.status_code == 302
        stored = questions(post)
        assert [q for q, _ in stored] == [f"Question {i}?" for i in expected]
        assert [p for _, p in stored] == [1, 2, 3]

    def test_text_is_refused_beside_the_field_and_nothing_saved(self, staff_client, post):
        data = change_data(post, **{"faq_items-1-position": "second"})
        response = staff_client.post(change_url(post), data)
        assert response.status_code == 200
        html = response.content.decode()
        assert re.search(r"errorlist[^>]*>\s*<li>Enter a whole number\.", html)
        assert questions(post) == [("Question 0?", 0), ("Question 1?", 1), ("Question 2?", 2)]

    def test_a_new_row_without_a_number_goes_last(self, staff_client, post):
        data = change_data(post)
        data.update(
            {
                "faq_items-TOTAL_FORMS": 4,
                "faq_items-3-question": "A new question?",
                "faq_items-3-answer": "Its answer.",
                "faq_items-3-position": "",
            }
        )
        assert staff_client.post(change_url(post), data).status_code == 302
        assert questions(post)[-1] == ("A new question?", 4)

    def test_a_new_row_offers_no_number_rather_than_zero(self, staff_client, post):
        html = staff_client.get("/admin/blog/post/add/").content.decode()
        empty = re.search(r'<input[^>]*name="faq_items-__prefix__-position"[^>]*>', html)[0]
        assert "value=" not in empty
        assert "data-sort-position" in empty

    def test_an_added_row_the_script_only_numbered_is_left_out(self, staff_client, post):
        data = change_data(post)
        data.update({"faq_items-TOTAL_FORMS": 4, "faq_items-3-position": "4"})
        assert staff_client.post(change_url(post), data).status_code == 302
        assert FAQItem.objects.filter(post=post).count() == 3

    def test_old_numbers_of_rows_left_alone_are_rewritten_too(self, staff_client, post):
        # Numbers from before (10, 20, 30): a row typed in at 15 goes between the first two,
        # and the rows the author did not touch are stored again as 1, 3, 4.
        for item, number in zip(post.faq_items.all(), [10, 20, 30], strict=True):
            FAQItem.objects.filter(pk=item.pk).update(position=number)
        data = change_data(post)
        data.update(
            {
                "faq_items-TOTAL_FORMS": 4,
                "faq_items-3-question": "Between?",
                "faq_items-3-answer": "Yes.",
                "faq_items-3-position": "15",
            }
        )
        assert staff_client.post(change_url(post), data).status_code == 302
        assert questions(post) == [
            ("Question 0?", 1),
            ("Between?", 2),
            ("Question 1?", 3),
            ("Question 2?", 4),
        ]

    def test_reordered_keep_reading_shows_in_the_new_order_and_in_the_revision_diff(
        self, staff_client, post, make_post
    ):
        # Newer than the post: the post just older is shown as "Next", not under Keep reading.
        targets = [
            make_post(title=f"Further reading {n}", published_at=timezone.now()) for n in "ABC"
        ]
        link_keep_reading(post, targets)
        # A first admin save, so there is a revision to compare with.
        assert staff_client.post(change_url(post), change_data(post)).status_code == 302
        data = change_data(post)
        data.update({f"keep_reading_links-{i}-position": n for i, n in enumerate([2, 3, 1])})
        assert staff_client.post(change_url(post), data).status_code == 302

        titles = [f"Further reading {n}" for n in "ABC"]
        curated = post.keep_reading_links.curated().select_related("target")
        assert [link.target.title for link in curated] == [titles[2], titles[0], titles[1]]
        html = staff_client.get(post.get_absolute_url()).content.decode()
        shown = html[html.index("keep-reading") :]
        assert order_in(shown, titles) == [titles[2], titles[0], titles[1]]

        newer, older = versions_of(post)[:2]
        assert content_of_version(newer)["keep_reading"] == [
            targets[2].pk,
            targets[0].pk,
            targets[1].pk,
        ]
        changed = {
            change.label: change
            for change in diff(content_of_version(older), content_of_version(newer))
        }
        assert list(changed) == ["Keep reading"]
        compare = staff_client.get(
            f"/admin/blog/post/{post.pk}/revisions/compare/", {"old": older.pk, "new": newer.pk}
        ).content.decode()
        assert "Keep reading" in compare

    def test_reordering_faq_alone_is_a_change_the_diff_shows(self, staff_client, post):
        assert staff_client.post(change_url(post), change_data(post)).status_code == 302
        data = change_data(post)
        data.update({"faq_items-2-position": "0"})
        assert staff_client.post(change_url(post), data).status_code == 302
        newer, older = versions_of(post)[:2]
        assert [item["question"] for item in content_of_version(newer)["faq"]] == [
            "Question 2?",
            "Question 0?",
            "Question 1?",
        ]
        assert [
            change.label for change in diff(content_of_version(older), content_of_version(newer))
        ] == ["FAQ"]

    def test_a_draft_revision_keeps_the_new_order_and_opens_in_it(self, staff_client, post):
        post.status = post.Status.PUBLISHED
        post.save()
        data = change_data(post, _save_draft="Save as draft revision")
        data.update(
            {"faq_items-0-position": "3", "faq_items-1-position": "2", "faq_items-2-position": "1"}
        )
        assert staff_client.post(change_url(post), data).status_code == 302
        draft = PendingEdit.objects.get(post=post)
        assert [item["question"] for item in draft.content["faq"]] == [
            "Question 2?",
            "Question 1?",
            "Question 0?",
        ]
        # Readers still see the old order.
        assert [q for q, _ in questions(post)] == ["Question 0?", "Question 1?", "Question 2?"]
        # Opened on the draft, the rows come in its order, numbered from 1…
        html = staff_client.get(change_url(post) + "?draft=load").content.decode()
        assert order_in(html, ["Question 0?", "Question 1?", "Question 2?"]) == [
            "Question 2?",
            "Question 1?",
            "Question 0?",
        ]
        assert re.search(r'name="faq_items-0-position" value="1"', html)
        # …and saved from there, that order goes live.
        opened = opened_on_draft(staff_client, post)
        data = change_data(post)
        for i, question in enumerate(["Question 2?", "Question 1?", "Question 0?"]):
            data.update(
                {
                    f"faq_items-{i}-id": "",
                    f"faq_items-{i}-question": question,
                    f"faq_items-{i}-position": i + 1,
                }
            )
        data["faq_items-INITIAL_FORMS"] = 0
        assert staff_client.post(change_url(post) + "?draft=load", data | opened).status_code == 302
        assert [q for q, _ in questions(post)] == ["Question 2?", "Question 1?", "Question 0?"]


def posted(client, url, form_id):
    """The form on ``url`` as a browser would submit it, as a dict of lists."""
    data = {}
    for name, value in parse_form(client.get(url).content.decode(), form_id).fields:
        data.setdefault(name, []).append(value)
    return data


class TestNavigation:
    def test_reordered_navigation_shows_in_the_header(self, staff_client, client):
        labels = list(NavItem.objects.values_list("label", flat=True))
        assert len(labels) >= 3, "migrations create the navigation"
        url = "/admin/pages/sitesettings/1/change/"
        data = posted(staff_client, url, "sitesettings_form")
        count = len(labels)
        # The last item first; the others keep their order.
        for i in range(count):
            data[f"nav_items-{i}-position"] = [str(i + 2)]
        data[f"nav_items-{count - 1}-position"] = ["1"]
        assert staff_client.post(url, data).status_code == 302
        expected = [labels[-1], *labels[:-1]]
        assert list(NavItem.objects.values_list("label", "position")) == [
            (label, n) for n, label in enumerate(expected, start=1)
        ]
        SiteSettings.forget()
        html = client.get("/").content.decode()
        nav = html[html.index('class="site-nav"') : html.index("</nav>")]
        assert order_in(nav, [f">{label}</a>" for label in labels]) == [
            f">{label}</a>" for label in expected
        ]

    def test_social_profiles_and_services_take_positions_as_the_navigation_does(self, staff_client):
        settings = SiteSettings.objects.get()
        for label in ("Mastodon", "GitHub"):
            settings.social_profiles.create(label=label, url=f"https://{label.lower()}.example/")
        url = "/admin/pages/sitesettings/1/change/"
        data = posted(staff_client, url, "sitesettings_form")
        # Rows saved with no number and typed text: normalised or refused, never a 500.
        data["social_profiles-0-position"] = ["7"]
        data["social_profiles-1-position"] = ["-3"]
        assert staff_client.post(url, data).status_code == 302
        assert list(settings.social_profiles.values_list("label", "position")) == [
            ("GitHub", 1),
            ("Mastodon", 2),
        ]
        data = posted(staff_client, url, "sitesettings_form")
        data["social_profiles-0-position"] = ["first"]
        response = staff_client.post(url, data)
        assert response.status_code == 200 and "Enter a whole number." in response.content.decode()


@pytest.fixture
def books(db):
    return [
        Book.objects.create(title=f"Book {name}", slug=f"book-{name.lower()}", position=0)
        for name in "ABC"
    ]


class TestBooksAndPraise:
    def test_the_change_list_saves_the_dragged_order_and_the_books_page_shows_it(
        self, staff_client, client, books
    ):
        data = posted(staff_client, "/admin/books/book/", "changelist-form")
        # What the script writes after dragging Book C to the top: every row numbered.
        rows = {data[f"form-{i}-id"][0]: i for i in range(3)}
        for book, number in zip(books, [2, 3, 1], strict=True):
            data[f"form-{rows[str(book.pk)]}-position"] = [str(number)]
        data["_save"] = ["Save"]
        assert staff_client.post("/admin/books/book/", data).status_code == 302
        assert list(Book.objects.values_list("title", "position")) == [
            ("Book C", 1),
            ("Book A", 2),
            ("Book B", 3),
        ]
        html = client.get("/books/").content.decode()
        assert order_in(html, ["Book A", "Book B", "Book C"]) == ["Book C", "Book A", "Book B"]

    def test_a_number_is_a_place_in_the_whole_list(self, staff_client, books):
        renumber(Book)
        # One book shown (filtered), put at 1: it goes first of all, the others follow.
        Book.objects.filter(pk=books[2].pk).update(featured=True)
        data = posted(staff_client, "/admin/books/book/?featured__exact=1", "changelist-form")
        data["form-0-position"] = ["1"]
        data["_save"] = ["Save"]
        response = staff_client.post("/admin/books/book/?featured__exact=1", data)
        assert response.status_code == 302
        assert list(Book.objects.values_list("title", flat=True)) == ["Book C", "Book A", "Book B"]

    @pytest.mark.parametrize("value", ["-3", "9" * 40, "0"])
    def test_out_of_range_numbers_in_the_list_are_normalised(self, staff_client, books, value):
        renumber(Book)
        data = posted(staff_client, "/admin/books/book/", "changelist-form")
        data["form-1-position"] = [value]
        data["_save"] = ["Save"]
        assert staff_client.post("/admin/books/book/", data).status_code == 302
        positions = list(Book.objects.values_list("position", flat=True))
        assert positions == [1, 2, 3]
        moved = Book.objects.get(pk=data["form-1-id"][0])
        assert moved.position == (3 if len(value) > 5 else 1)

    def test_text_in_the_list_is_refused_beside_the_field(self, staff_client, books):
        data = posted(staff_client, "/admin/books/book/", "changelist-form")
        data["form-1-position"] = ["top"]
        data["_save"] = ["Save"]
        response = staff_client.post("/admin/books/book/", data)
        assert response.status_code == 200
        assert "Enter a whole number." in response.content.decode()

    def test_a_new_book_without_a_number_goes_last(self, staff_client, books):
        renumber(Book)
        data = posted(staff_client, "/admin/books/book/add/", "book_form")
        assert data["position"] == [""]
        data.update({"title": ["Book D"], "slug": ["book-d"], "_save": ["Save"]})
        data = {name: values for name, values in data.items() if not name.startswith("_continue")}
        response = staff_client.post("/admin/books/book/add/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Book.objects.get(slug="book-d").position == 4

    def test_the_change_form_puts_a_book_at_its_number(self, staff_client, books):
        renumber(Book)
        url = f"/admin/books/book/{books[2].pk}/change/"
        data = posted(staff_client, url, "book_form")
        data.update({"position": ["1"], "_save": ["Save"]})
        assert staff_client.post(url, data).status_code == 302
        assert list(Book.objects.values_list("title", "position")) == [
            ("Book C", 1),
            ("Book A", 2),
            ("Book B", 3),
        ]

    def test_praise_is_reordered_from_its_list(self, staff_client, client):
        quotes = [
            Praise.objects.create(quote=f"Quote from {name}.", name=name, position=0)
            for name in ["Ana", "Ben", "Cleo"]
        ]
        data = posted(staff_client, "/admin/praise/testimonial/", "changelist-form")
        rows = {data[f"form-{i}-id"][0]: i for i in range(3)}
        for quote, number in zip(quotes, [3, 1, 2], strict=True):
            data[f"form-{rows[str(quote.pk)]}-position"] = [str(number)]
        data["_save"] = ["Save"]
        assert staff_client.post("/admin/praise/testimonial/", data).status_code == 302
        html = client.get("/praise/").content.decode()
        names = ["Quote from Ana.", "Quote from Ben.", "Quote from Cleo."]
        assert order_in(html, names) == [names[1], names[2], names[0]]


class TestRenumber:
    def test_two_queries_and_an_announcement_when_numbers_change(
        self, books, django_assert_num_queries
    ):
        heard = []

        def listener(sender, pks, **kwargs):
            heard.append((sender, sorted(pks)))

        changes.changed_in_bulk.connect(listener)
        try:
            with django_assert_num_queries(2):
                renumber(Book, moved=[books[1].pk])
            with django_assert_num_queries(1):
                renumber(Book)  # already 1…n: read, nothing to write
        finally:
            changes.changed_in_bulk.disconnect(listener)
        assert list(Book.objects.values_list("title", "position")) == [
            ("Book B", 1),
            ("Book A", 2),
            ("Book C", 3),
        ]
        assert heard == [(Book, sorted(book.pk for book in books))]

    def test_keep_reading_suggestions_are_not_numbered_with_the_curated_links(
        self, staff_client, make_post
    ):
        post, first, second = make_post(), make_post(), make_post()
        KeepReading.objects.create(post=post, target=second, position=0, suggested=True)
        link_keep_reading(post, [first])
        data = change_data(post)
        # change_data lists suggestions too; the form shows only curated links.
        curated = post.keep_reading_links.curated().get()
        data.update(
            {
                "keep_reading_links-TOTAL_FORMS": 1,
                "keep_reading_links-INITIAL_FORMS": 1,
                "keep_reading_links-0-id": curated.pk,
                "keep_reading_links-0-target": first.pk,
                "keep_reading_links-0-position": "9",
            }
        )
        assert staff_client.post(change_url(post), data).status_code == 302
        assert post.keep_reading_links.get(suggested=True).position == 0
        assert post.keep_reading_links.curated().get().position == 1
