"""Malformed URLs and queries: a normal page, a redirect or a clear 4xx, never a 500.

A reader's typo, a crawler's guess or an attacker's probe all get an answer the site
chose; the walk below covers slugs, page numbers, query strings, search terms, feeds,
preview tokens, media paths and methods.
"""

import pytest
from django.test import Client

from blog.models import Post

ALLOWED = {200, 301, 302, 400, 404, 405, 410}
LONG = "a" * 5000

SLUGS = [
    "%C3%A9t%C3%A9",  # unicode
    "%F0%9F%94%A5",  # emoji
    "\u00e9t\u00e9",
    LONG,
    "..",
    "%2e%2e",
    "a%00b",
    "%00",
    "a%2Fb",
    "%2F",
    "%ED%A0%80",  # a lone surrogate, percent-encoded
    "%FF%FE",  # not UTF-8 at all
    "'; DROP TABLE blog_post; --",
    "<script>alert(1)</script>",
    "post-1.html",
    "-",
    "_",
]
PAGE_NUMBERS = ["abc", "99999", "-1", "0", "1e9", "", "1.5", "%00", "9" * 50, "last", "nan"]
SEARCH_TERMS = [
    "a" * 100_000,
    "%00",
    "a%00b",
    "%ED%A0%80",
    "%FF",
    "' OR 1=1 --",
    '"unclosed',
    "NEAR(a b)",
    "a* OR b*",
    "-",
    "*",
    "^",
    "()",
    "AND",
    "col:term",
    "%22%22",
    "%5C",
    "<script>",
    "%E2%80%AE",
]


def urls():
    for slug in SLUGS:
        yield f"/blog/{slug}/"
        yield f"/blog/tag/{slug}/"
        yield f"/blog/tag/{slug}/feed/"
        yield f"/blog/tag/{slug}/feed/atom/"
        yield f"/books/{slug}/"
        yield f"/preview/{slug}/"
        yield f"/{slug}/"
    for number in PAGE_NUMBERS:
        for listing in ["/blog/", "/blog/tag/known/", "/search/?q=post&"]:
            joiner = "&" if "?" in listing else "?"
            yield f"{listing}{joiner}page={number}".replace("?&", "?").replace("&&", "&")
    for term in SEARCH_TERMS:
        yield f"/search/?q={term}"
        yield f"/search/?q={term}&page=2"
    yield "/search/?q=" + "%F0%9F%94%A5" * 2000
    yield "/search/?q=a&q=b&q=c"
    yield "/blog/?" + "x=" + "y" * 10_000
    yield "/blog/?" + "&".join(f"k{i}=v" for i in range(1000))
    yield "/?" + "%" * 500
    yield "/blog/tag/unknown-tag/"
    yield "/blog/tag/unknown-tag/feed/"
    yield "/blog/tag/unknown-tag/feed/atom/"
    yield "/feed/?page=abc"
    yield "/feed/atom/?format=xml"
    yield "/sitemap.xml?p=abc"
    yield "/sitemap.xml?p=99999"
    yield "/sitemap.xml?p=-1"
    yield "/preview/not-a-token/"
    yield "/preview/" + "A" * 500 + "/"
    yield "/preview/eyJhbGciOiJub25lIn0.e30./"
    yield "/preview/abc:def:ghi/"
    yield "/preview/%00/"
    yield "/books/../settings.py"
    yield "/books/%2e%2e/%2e%2e/etc/passwd"
    yield "/books/?page=abc"
    yield "/books/" + LONG + "/"
    yield "/media/../settings.py"
    yield "/media/%2e%2e/site_config/settings.py"
    yield "/media/uploads/%00.png"
    yield "/media/" + LONG
    yield "/static/../site_config/settings.py"
    yield "/praise/?page=-1"
    yield "/work-with-me/?service=%00"
    yield "/work-with-me/thanks/?x=%ED%A0%80"
    yield "/admin/login/?next=javascript:alert(1)"
    yield "/admin/login/?next=%00"
    yield "/robots.txt?x=%00"
    yield "/%00"
    yield "//evil.example/"
    yield "/blog//"
    yield "/blog/%20/"


@pytest.fixture
def site(make_post, make_tag):
    tag = make_tag("Known")
    for _ in range(3):
        make_post(tags=[tag])
    return Post.objects.all()


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


def walk(reader, method, paths, **kwargs):
    failures = []
    for path in paths:
        response = getattr(reader, method)(path, **kwargs)
        if response.status_code not in ALLOWED:
            failures.append((response.status_code, path[:120]))
    return failures


@pytest.mark.django_db
def test_malformed_urls_never_answer_500(reader, site):
    assert walk(reader, "get", list(urls())) == []


@pytest.mark.django_db
def test_head_requests_never_answer_500(reader, site):
    assert walk(reader, "head", list(urls())) == []


PAGES = ["/", "/about/", "/blog/", "/blog/post-1/", "/blog/tag/known/", "/books/", "/praise/",
         "/search/?q=post", "/feed/", "/feed/atom/", "/sitemap.xml", "/robots.txt",
         "/work-with-me/thanks/"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["options", "post", "put", "patch", "delete"])
def test_other_methods_on_reader_pages_are_refused_cleanly(reader, site, method):
    assert walk(reader, method, PAGES) == []


@pytest.mark.django_db
def test_page_numbers_out_of_range_are_404_not_a_crash(reader, site):
    for number in ["abc", "99999", "-1", "1e9", "0"]:
        assert reader.get(f"/blog/?page={number}").status_code == 404, number
    assert reader.get("/blog/?page=").status_code == 200
    assert reader.get("/blog/?page=1").status_code == 200
