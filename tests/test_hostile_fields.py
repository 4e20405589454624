"""Hostile text in every field a reader sees: Markdown fields are sanitized, plain fields
escaped, everywhere they appear (pages, meta tags, JSON-LD, feeds, search snippets).

Every field of a small site is filled with payloads that carry the marker ``1337``; each
public page is then parsed and checked for anything that could run.
"""

import json

import feedparser
import pytest
from bs4 import BeautifulSoup

from blog.models import FAQItem, Tag
from blog.templatetags.blog_tags import json_ld
from books.models import Book
from pages.models import Service, SiteSettings
from praise import models as praise_models
from tests.hostile_html import dangerous_url, fragment_problems, page_problems
from tests.test_hostile_rendering import XSS_PAYLOADS

# A plain field's payload: ends every context it could land in (attribute, <title>,
# <script>, <textarea>, a comment, CDATA in a feed) and then tries to run.
BREAKOUT = (
    "\"'></title></textarea></script></style>--><![CDATA[]]>]]>"
    "<script>alert(1337)</script><img src=x onerror=alert(1337)>"
)
MARKDOWN = (
    "Intro <script>alert(1337)</script>\n\n"
    "[click](javascript:alert(1337)) <img src=x onerror=alert(1337)>\n\n"
    "<svg onload=alert(1337)></svg> </div></main></body>"
)


@pytest.fixture
def hostile_site(author, make_post, make_tag):
    author.name = f"Alex {BREAKOUT}"[:120]
    author.role = BREAKOUT[:160]
    author.bio = MARKDOWN
    author.save()
    site = SiteSettings.objects.get(pk=1)
    site.site_name = f"Site {BREAKOUT}"[:100]
    site.tagline = BREAKOUT[:200]
    site.introduction = MARKDOWN
    site.offer = MARKDOWN
    site.offer_title = BREAKOUT[:200]
    site.footer_text = BREAKOUT[:300]
    site.article_cta = BREAKOUT[:300]
    site.save()
    SiteSettings.forget()
    Service.objects.create(settings=site, title=BREAKOUT[:120], summary=MARKDOWN)
    praise_models.Testimonial.objects.create(
        quote=f"{BREAKOUT}\n\n{MARKDOWN}",
        name=BREAKOUT[:120],
        role=BREAKOUT[:120],
        featured=True,
    )
    Book.objects.create(
        title=f"Book {BREAKOUT}"[:200],
        slug="hostile-book",
        subtitle=BREAKOUT[:300],
        summary=BREAKOUT[:160],
        description=MARKDOWN,
    )
    tag = Tag.objects.create(name="xss <script>", slug="xss", description=BREAKOUT)
    post = make_post(
        title=f"Title {BREAKOUT}"[:200],
        slug="hostile",
        description=BREAKOUT[:160],
        # PostgreSQL cannot store NUL; the admin refuses it (Django's null-character check).
        body=f"alertword {MARKDOWN}\n\n" + "\n\n".join(XSS_PAYLOADS.values()).replace("\0", ""),
        tags=[tag],
        show_toc=True,
    )
    FAQItem.objects.create(post=post, question=BREAKOUT, answer=MARKDOWN, position=0)
    post.save()
    return post


PAGES = [
    "/",
    "/about/",
    "/blog/",
    "/blog/hostile/",
    "/blog/tag/xss/",
    "/books/",
    "/books/hostile-book/",
    "/praise/",
    "/work-with-me/",
    "/search/?q=alertword",
    "/search/?q=%3Cscript%3Ealert(1337)%3C/script%3E",
    "/no-such-page/%3Cscript%3Ealert(1337)%3C/script%3E/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_page_with_hostile_content_runs_nothing(client, hostile_site, url):
    response = client.get(url)
    assert response.status_code in {200, 404}
    html = response.content.decode()
    assert not page_problems(html), page_problems(html)
    # The payload is shown as text, not dropped silently and not as markup.
    assert "<script>alert(1337)" not in html


@pytest.mark.django_db
def test_search_snippet_shows_the_payload_as_text(client, hostile_site):
    response = client.get("/search/?q=alertword")
    assert b"alertword" in response.content
    soup = BeautifulSoup(response.content, "html5lib")
    results = soup.select("main")[0]
    assert not results.find_all("script")
    assert not results.find_all("img", onerror=True)


@pytest.mark.django_db
def test_json_ld_keeps_hostile_titles_inside_its_script(client, hostile_site):
    html = client.get("/blog/hostile/").content.decode()
    soup = BeautifulSoup(html, "html5lib")
    blocks = soup.find_all("script", type="application/ld+json")
    assert blocks
    graph = json.loads(blocks[0].string)["@graph"]
    posting = next(node for node in graph if node["@type"] == "BlogPosting")
    # Decoded, the headline is exactly what the author typed...
    assert posting["headline"] == hostile_site.title
    # ...and in the page, nothing in it can end the script or open a tag.
    raw = str(blocks[0])
    assert raw.count("</script") == 1 and "<script>alert" not in raw


@pytest.mark.parametrize(
    "value", ["</script><script>alert(1)</script>", "<!--<script>", "]]>&<>\u2028\u2029"]
)
def test_json_ld_encoder_escapes_everything_that_ends_a_script(value):
    tag = json_ld({"name": value})
    inner = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": value}


FEEDS = ["/feed/", "/feed/atom/", "/blog/tag/xss/feed/", "/blog/tag/xss/feed/atom/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", FEEDS)
def test_feed_with_hostile_content_parses_and_carries_nothing_executable(client, hostile_site, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    entry = parsed.entries[0]
    # Titles are plain text: the markup arrives as the characters the author typed.
    assert entry.title == hostile_site.title
    # Content is our sanitized HTML (no script, handlers or script URLs), checked raw,
    # before feedparser's own sanitizer could hide a problem.
    for part in [entry.get("summary", ""), *(c.value for c in entry.get("content", []))]:
        assert not [p for p in fragment_problems(part) if "container" not in p], part
    raw = response.content.decode()
    assert "<script" not in raw.replace("&lt;script", "")
    assert not dangerous_url(entry.link)


@pytest.mark.django_db
def test_meta_tags_hold_hostile_text_as_attribute_values(client, hostile_site):
    soup = BeautifulSoup(client.get("/blog/hostile/").content, "html5lib")
    description = soup.find("meta", attrs={"name": "description"})
    assert description["content"] == hostile_site.description
    og_title = soup.find("meta", property="og:title")
    assert og_title["content"].startswith("Title ")
    assert soup.title.string.startswith("Title ")
    # The breakout did not create elements: one <title>, in the head.
    assert len(soup.find_all("title")) == 1
