"""Books: the Books page, a book's page and its JSON-LD, the admin rules and the demo loader."""

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from PIL import Image

from books.isbn import validate_isbn
from books.models import Book, BuyLink
from demo.loaders import books as demo
from pages.models import SiteSettings
from tests.conftest import image_upload

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def make_book(**fields):
    fields.setdefault("title", "Hiring AI Engineers")
    fields.setdefault("slug", "hiring-ai-engineers")
    return Book.objects.create(**fields)


def add_buy_links(book, labels):
    for position, label in enumerate(labels):
        BuyLink.objects.create(
            book=book,
            label=label,
            url=f"https://www.example.com/{label.lower()}",
            position=position,
        )


@pytest.fixture
def book(author):
    """A complete book, with a cover and buy links stored out of their display order."""
    book = Book(
        title="Hiring AI Engineers",
        slug="hiring-ai-engineers",
        subtitle="A Field Guide for Founders",
        summary="How to hire your first AI engineers.",
        description="Most startups lose their *first* AI hire.\n\n- Write the role\n- Run the loop",
        published_on=date(2025, 3, 18),
        isbn="978-1-7385-2041-1",
        cover=image_upload("cover.jpg", fmt="JPEG", content_type="image/jpeg", size=(600, 900)),
        cover_alt="Navy cover with the title in white.",
    )
    book.full_clean()
    book.save()
    BuyLink.objects.create(book=book, label="Amazon", url="https://www.example.com/a", position=2)
    BuyLink.objects.create(book=book, label="Bookshop", url="https://www.example.com/b", position=1)
    BuyLink.objects.create(book=book, label="Signed", url="https://www.example.com/s", position=3)
    return book


def json_ld(html):
    (payload,) = JSON_LD.findall(html)
    return json.loads(payload)


def book_node(html):
    return next(node for node in json_ld(html)["@graph"] if node["@type"] == "Book")


class TestBooksPage:
    def test_lists_books_in_position_order_with_one_h1(self, client, author):
        make_book(title="Second Book", slug="second", position=20)
        make_book(title="First Book", slug="first", position=10, featured=False)
        make_book(title="Third Book", slug="third", position=30, featured=True)
        response = client.get("/books/")
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<h1") == 1
        positions = [html.index(f'href="/books/{slug}/"') for slug in ["first", "second", "third"]]
        assert positions == sorted(positions)

    def test_card_shows_cover_with_size_date_and_pitch(self, client, book):
        html = client.get("/books/").content.decode()
        assert f'src="{book.cover.url}"' in html
        assert 'alt="Navy cover with the title in white."' in html
        assert 'width="160" height="240"' in html  # the display size, in the cover's shape
        assert '<time datetime="2025-03-18">March 2025</time>' in html
        assert "How to hire your first AI engineers." in html

    def test_covers_in_the_first_row_load_at_once_the_rest_lazily(self, client, author):
        for n in range(4):
            make_book(
                title=f"Book {n}",
                slug=f"book-{n}",
                position=n,
                cover=image_upload(size=(60, 90)),
                cover_alt=f"Cover {n}",
            )
        html = client.get("/books/").content.decode()
        covers = re.findall(r'<img class="book-cover"[^>]*>', html)
        assert len(covers) == 4
        assert ['loading="lazy"' in tag for tag in covers] == [False, False, True, True]
        assert 'fetchpriority="high"' in covers[0]

    def test_meta_description_canonical_and_structured_list(self, client, book):
        html = client.get("/books/?utm_source=x").content.decode()
        assert (
            '<meta name="description" content="Books by Alex Navarro: '
            'Hiring AI Engineers: A Field Guide for Founders.">'
        ) in html
        assert '<link rel="canonical" href="http://testserver/books/">' in html
        data = json_ld(html)
        assert data["@type"] == "ItemList"
        assert data["itemListElement"] == [
            {
                "@type": "ListItem",
                "position": 1,
                "url": "http://testserver/books/hiring-ai-engineers/",
                "name": "Hiring AI Engineers",
            }
        ]

    def test_empty_page_still_has_its_heading(self, client, author):
        html = client.get("/books/").content.decode()
        assert html.count("<h1") == 1 and "The first book is on its way." in html
        assert "application/ld+json" not in html

    def test_readers_may_cache_it(self, client, db):
        response = client.get("/books/")
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    @pytest.mark.parametrize("count", [1, 6])
    def test_query_count_does_not_grow_with_books_or_links(
        self, client, author, django_assert_num_queries, count
    ):
        for n in range(count):
            add_buy_links(make_book(title=f"Book {n}", slug=f"book-{n}"), ["A", "B", "C"][: n + 1])
        SiteSettings.load()  # cached site-wide
        with django_assert_num_queries(1):  # the books; cards show no buy links
            html = client.get("/books/").content.decode()
        assert html.count('class="book-card"') == count


class TestBookPage:
    def test_renders_title_subtitle_description_and_facts(self, client, book):
        response = client.get("/books/hiring-ai-engineers/")
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<h1") == 1 and "<h1>Hiring AI Engineers</h1>" in html
        assert '<p class="lede">A Field Guide for Founders</p>' in html
        assert "<em>first</em> AI hire" in html and "<li>Write the role</li>" in html
        assert '<time datetime="2025-03-18">March 18, 2025</time>' in html
        assert "<dt>ISBN</dt><dd>978-1-7385-2041-1</dd>" in html
        assert 'By <a href="/about/" rel="author">Alex Navarro</a>' in html

    def test_buy_links_are_external_buttons_in_position_order(self, client, book):
        html = client.get("/books/hiring-ai-engineers/").content.decode()
        links = re.findall(r'<a class="button[^"]*" href="(https://[^"]+)" rel="noopener">', html)
        assert links == [
            "https://www.example.com/b",
            "https://www.example.com/a",
            "https://www.example.com/s",
        ]
        assert '<a class="button button-cta" href="https://www.example.com/b"' in html

    def test_cover_loads_first_with_its_size_and_other_books_lazily(self, client, book):
        make_book(
            title="The Eval-First Team",
            slug="eval-first",
            cover=image_upload(size=(60, 90)),
            cover_alt="Ochre cover",
        )
        html = client.get("/books/hiring-ai-engineers/").content.decode()
        main_cover, other_cover = re.findall(r'<img class="book-cover"[^>]*>', html)
        assert 'width="360" height="540"' in main_cover and 'fetchpriority="high"' in main_cover
        assert 'loading="lazy"' not in main_cover
        assert 'loading="lazy"' in other_cover and 'alt="Ochre cover"' in other_cover
        assert '<h3 class="book-card-title"><a href="/books/eval-first/">' in html

    def test_head_has_description_canonical_and_book_open_graph(self, client, book):
        html = client.get("/books/hiring-ai-engineers/?ref=x").content.decode()
        head = html.split("</head>")[0]
        assert '<meta name="description" content="How to hire your first AI engineers.">' in head
        url = "http://testserver/books/hiring-ai-engineers/"
        assert f'<link rel="canonical" href="{url}">' in head
        assert '<meta property="og:type" content="book">' in head
        assert f'<meta property="og:url" content="{url}">' in head
        assert (
            '<meta property="og:title" content="Hiring AI Engineers: A Field Guide for Founders">'
        ) in head
        assert f'<meta property="og:image" content="http://testserver{book.cover.url}">' in head
        assert '<meta property="og:image:width" content="600">' in head
        assert '<meta property="og:image:height" content="900">' in head
        assert (
            '<meta property="og:image:alt" content="Navy cover with the title in white.">' in head
        )
        assert '<meta property="book:isbn" content="9781738520411">' in head

    def test_without_summary_the_description_opening_is_the_meta_description(self, client, author):
        make_book(description=("A sentence about hiring engineers well. " * 10).strip())
        html = client.get("/books/hiring-ai-engineers/").content.decode()
        (description,) = re.findall(r'<meta name="description" content="([^"]*)">', html)
        assert description.startswith("A sentence about hiring")
        assert len(description) <= 160 and description.endswith(" engineers…")  # a whole word

    def test_a_book_without_cover_or_links_still_renders(self, client, author):
        make_book()
        html = client.get("/books/hiring-ai-engineers/").content.decode()
        assert html.count("<h1") == 1 and "og:image" not in html
        assert 'class="book-cover book-cover-blank" aria-hidden="true"' in html
        assert 'class="buy-links"' not in html

    def test_a_forthcoming_book_says_when_it_is_out(self, client, author):
        make_book(published_on=timezone.localdate() + timedelta(days=30))
        html = client.get("/books/hiring-ai-engineers/").content.decode()
        assert "<dt>Out on</dt>" in html

    def test_unknown_slug_is_404(self, client, book):
        assert client.get("/books/no-such-book/").status_code == 404

    def test_readers_may_cache_it(self, client, book):
        response = client.get("/books/hiring-ai-engineers/")
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    @pytest.mark.parametrize("count", [1, 6])
    def test_query_count_does_not_grow_with_links_or_other_books(
        self, client, author, django_assert_num_queries, count
    ):
        book = make_book()
        add_buy_links(book, [f"Shop{n}" for n in range(count)])
        for n in range(count):
            make_book(title=f"Other {n}", slug=f"other-{n}")
        SiteSettings.load()  # cached site-wide
        with django_assert_num_queries(3):  # the book, its buy links, the other books
            html = client.get("/books/hiring-ai-engineers/").content.decode()
        assert html.count('rel="noopener">Shop') == count
        assert html.count('class="book-card"') == min(count, 3)

    def test_posts_may_link_to_a_book(self, client, book, make_post):
        make_post(slug="on-hiring", body="Read [the book](/books/hiring-ai-engineers/).")
        html = client.get("/blog/on-hiring/").content.decode()
        assert '<a href="/books/hiring-ai-engineers/">the book</a>' in html
        assert client.get("/books/hiring-ai-engineers/").status_code == 200


class TestBookStructuredData:
    def test_book_with_author_isbn_date_image_and_buy_links(self, client, book):
        node = book_node(client.get("/books/hiring-ai-engineers/").content.decode())
        url = "http://testserver/books/hiring-ai-engineers/"
        assert node["name"] == "Hiring AI Engineers"
        assert node["alternativeHeadline"] == "A Field Guide for Founders"
        assert (
            node["description"]
            == "Most startups lose their first AI hire. Write the role Run the loop"
        )
        assert node["isbn"] == "9781738520411"
        assert node["datePublished"] == "2025-03-18"
        assert node["url"] == url
        assert node["image"] == f"http://testserver{book.cover.url}"
        assert node["author"] == {
            "@type": "Person",
            "@id": "http://testserver/about/#person",
            "name": "Alex Navarro",
            "url": "http://testserver/about/",
        }
        assert node["sameAs"] == [
            "https://www.example.com/b",
            "https://www.example.com/a",
            "https://www.example.com/s",
        ]

    def test_breadcrumb_from_books_to_the_book(self, client, book):
        graph = json_ld(client.get("/books/hiring-ai-engineers/").content.decode())["@graph"]
        (crumbs,) = [node for node in graph if node["@type"] == "BreadcrumbList"]
        assert [item["name"] for item in crumbs["itemListElement"]] == [
            "Books",
            "Hiring AI Engineers",
        ]

    def test_optional_properties_are_left_out_when_empty(self, client, db):
        make_book()
        node = book_node(client.get("/books/hiring-ai-engineers/").content.decode())
        assert set(node) == {"@type", "@id", "name", "url"}  # no owner set: no author either

    def test_a_title_cannot_end_the_script_element(self, client, author):
        title = 'Evil</script><script>alert("x")</script>'
        make_book(title=title, subtitle="</SCRIPT> & <!--")
        html = client.get("/books/hiring-ai-engineers/").content.decode()
        assert "<script>alert" not in html
        (payload,) = JSON_LD.findall(html)  # cut short, it would not parse below
        assert "<" not in payload and ">" not in payload
        node = book_node(html)
        assert node["name"] == title and node["alternativeHeadline"] == "</SCRIPT> & <!--"


def book_form(**overrides):
    """The add-book form as the admin submits it, with two buy links in the inline."""
    data = {
        "title": "The Eval-First Team",
        "subtitle": "Shipping LLM Features You Can Trust",
        "slug": "the-eval-first-team",
        "summary": "",
        "description": "Evaluations **first**.",
        "cover_alt": "",
        "published_on": "2026-05-12",
        "isbn": "978-1-7385-2042-8",
        "position": "10",
        "buy_links-TOTAL_FORMS": "2",
        "buy_links-INITIAL_FORMS": "0",
        "buy_links-MIN_NUM_FORMS": "0",
        "buy_links-MAX_NUM_FORMS": "1000",
        "buy_links-0-label": "Amazon",
        "buy_links-0-url": "https://www.example.com/amazon/eval-first",
        "buy_links-0-position": "20",
        "buy_links-1-label": "Bookshop",
        "buy_links-1-url": "https://www.example.com/bookshop/eval-first",
        "buy_links-1-position": "10",
    }
    data.update(overrides)
    return data


class TestBookAdmin:
    def test_changelist_and_add_form_render(self, staff_client, book):
        changelist = staff_client.get("/admin/books/book/").content.decode()
        assert "Hiring AI Engineers" in changelist
        assert 'name="form-0-position"' in changelist and 'name="form-0-featured"' in changelist
        add = staff_client.get("/admin/books/book/add/").content.decode()
        assert 'name="buy_links-TOTAL_FORMS"' in add and 'class="markdownx"' in add
        assert "&quot;id&quot;: &quot;#id_slug&quot;" in add  # the slug follows the title

    def test_author_adds_a_book_with_buy_links(self, staff_client, client, author):
        response = staff_client.post("/admin/books/book/add/", book_form())
        assert response.status_code == 302, response.content.decode()[:3000]
        book = Book.objects.get(slug="the-eval-first-team")
        assert book.description_html == "<p>Evaluations <strong>first</strong>.</p>"
        assert [link.label for link in book.buy_links.all()] == ["Bookshop", "Amazon"]
        html = client.get("/books/the-eval-first-team/").content.decode()
        assert html.index(">Bookshop<") < html.index(">Amazon<")

    def test_cover_without_description_is_refused(self, staff_client, author):
        response = staff_client.post(
            "/admin/books/book/add/", book_form(cover=image_upload("c.png"), cover_alt=" ")
        )
        assert response.status_code == 200
        assert "Describe the cover" in response.content.decode()
        assert not Book.objects.exists()

    def test_cover_is_scaled_down_and_its_size_kept(self, staff_client, author):
        upload = image_upload("big.jpg", fmt="JPEG", content_type="image/jpeg", size=(1600, 2400))
        response = staff_client.post(
            "/admin/books/book/add/", book_form(cover=upload, cover_alt="Ochre cover")
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        book = Book.objects.get()
        assert (book.cover_width, book.cover_height) == (800, 1200)
        with Image.open(book.cover.path) as stored:
            assert stored.size == (800, 1200) and stored.format == "JPEG"
        assert book.cover.name.startswith("book/") and "big" not in book.cover.name

    def test_a_file_that_is_not_an_image_is_refused(self, staff_client, author):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("cover.jpg", b"<html>nope</html>", content_type="image/jpeg")
        response = staff_client.post(
            "/admin/books/book/add/", book_form(cover=fake, cover_alt="A cover")
        )
        assert response.status_code == 200 and not Book.objects.exists()

    def test_invalid_isbn_is_refused_with_a_clear_message(self, staff_client, author):
        response = staff_client.post("/admin/books/book/add/", book_form(isbn="978-1-7385-2042-9"))
        assert response.status_code == 200
        assert "check digit (the last one) does not match" in response.content.decode()
        assert not Book.objects.exists()

    def test_buy_link_needs_a_real_url(self, staff_client, author):
        response = staff_client.post(
            "/admin/books/book/add/", book_form(**{"buy_links-0-url": "not a url"})
        )
        assert response.status_code == 200 and not Book.objects.exists()


class TestIsbn:
    @pytest.mark.parametrize(
        "isbn",
        [
            "978-1-7385-2041-1",
            "9781738520428",
            "978 0 306 40615 7",
            "0-306-40615-2",
            "0-8044-2957-X",
            "080442957x",
        ],
    )
    def test_accepts_isbn_10_and_13_with_hyphens_or_spaces(self, isbn):
        validate_isbn(isbn)

    @pytest.mark.parametrize(
        "isbn, message",
        [
            ("978-1-7385-2041-2", "check digit"),
            ("0-306-40615-3", "check digit"),
            ("978-1-7385-204", "10 or 13 digits"),
            ("ISBN 9781738520411", "only digits"),
            ("X-306-40615-2", "only digits"),
            ("1234567890123", "starts with 978 or 979"),
        ],
    )
    def test_refuses_with_a_message_that_says_what_to_fix(self, isbn, message):
        with pytest.raises(ValidationError, match=message):
            validate_isbn(isbn)


class TestHomePage:
    def test_featured_book_card_keeps_its_contract(self, client, book):
        book.featured = True
        book.save()
        html = client.get("/").content.decode()
        card = html.split('<section class="home-book"')[1].split("</section>")[0]
        assert '<h3 class="book-card-title"><a href="/books/hiring-ai-engineers/">' in card
        assert 'loading="lazy"' in card and 'width="160" height="240"' in card


class TestDemo:
    def test_loads_the_books_once_with_covers_and_links(self, author):
        assert demo.load(DEMO_DIR) == "Loaded 2 demo books."
        assert demo.load(DEMO_DIR) == "Books already present; demo books not loaded."
        books = list(Book.objects.all())
        assert len(books) == 2
        featured = Book.objects.featured().get()
        assert featured == books[0] and featured.title == "Hiring AI Engineers"
        for book in books:
            book.full_clean()  # valid ISBNs, described covers
            assert book.cover and book.cover_alt and book.isbn and book.published_on
            assert 120 <= len(re.findall(r"\w+", book.description)) <= 250
            assert book.buy_links.count() >= 3
            assert all(
                link.url.startswith("https://www.example.com/") for link in book.buy_links.all()
            )
            assert (book.cover_width, book.cover_height) == (600, 900)

    def test_demo_covers_are_small_portrait_jpegs(self):
        paths = sorted((DEMO_DIR / "images" / "books").glob("*.jpg"))
        assert len(paths) == 2
        for path in paths:
            assert path.stat().st_size < 80_000, path.name
            with Image.open(path) as image:
                assert image.format == "JPEG" and image.size == (600, 900)

    def test_demo_book_pages_render(self, client, author):
        demo.load(DEMO_DIR)
        for book in Book.objects.all():
            html = client.get(book.get_absolute_url()).content.decode()
            assert html.count("<h1") == 1
            assert book_node(html)["isbn"] == book.isbn_compact
