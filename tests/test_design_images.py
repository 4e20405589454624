"""Images in the reader's pages: the author's portrait, post covers on cards, the demo's images.

What only a browser shows (the phone header, axe) is in tests/browser/test_design_images.py.
"""

import io
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from blog.models import Author, Post
from blog.models.authors import PORTRAIT_WIDTHS
from pages.models import SiteSettings
from tests.conftest import image_upload, link_keep_reading


def tag(html, css_class):
    """The first element whose class attribute starts with ``css_class``."""
    match = re.search(rf'<(?:img|span) class="{css_class}[^"]*"[^>]*>', html)
    assert match, f"no {css_class} in the page"
    return match[0]


def attributes(element):
    return dict(re.findall(r'([\w-]+)="([^"]*)"', element))


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match[1])


def person(graph, name):
    return next(n for n in graph["@graph"] if n.get("@type") == "Person" and n["name"] == name)


@pytest.fixture
def with_portrait(author):
    author.avatar = image_upload("me.png", size=(1200, 1200), color=(200, 120, 60))
    author.save()
    SiteSettings.forget()
    return author


@pytest.fixture
def covered_post(make_post):
    def make(**fields):
        return make_post(
            featured_image=image_upload("cover.png", size=(1200, 675), color=(30, 60, 90)),
            featured_image_alt="A navy field.",
            **fields,
        )

    return make


class TestPortrait:
    def test_renditions_follow_the_image(self, with_portrait):
        described = with_portrait.avatar_renditions
        assert described["name"] == with_portrait.avatar.name
        widths = [w for w, _name in described["sources"][0]["files"]]
        assert widths == [w for w in PORTRAIT_WIDTHS if w <= 1200]
        for source in described["sources"]:
            for _width, name in source["files"]:
                assert default_storage.exists(name)
        # A new portrait gets renditions of its own.
        with_portrait.avatar = image_upload("new.png", size=(300, 300))
        with_portrait.save()
        assert with_portrait.avatar_renditions["name"] == with_portrait.avatar.name
        assert [w for w, _ in with_portrait.avatar_renditions["sources"][0]["files"]] == [
            96,
            240,
            300,
        ]
        # Removed: no renditions, and pages show the initials.
        with_portrait.avatar = None
        with_portrait.save()
        assert with_portrait.avatar_renditions == {}

    def test_home_hero_shows_it_first(self, client, with_portrait):
        img = attributes(tag(client.get("/").content.decode(), "portrait portrait-hero"))
        assert img["alt"] == "Portrait of Alex Navarro"
        assert img["fetchpriority"] == "high" and "loading" not in img
        assert (img["width"], img["height"]) == ("960", "960")
        assert "-96w." in img["srcset"] and "-960w." in img["srcset"]
        assert img["sizes"] == "(min-width: 52rem) 20rem, 4rem"

    def test_about_shows_it_with_its_name(self, client, with_portrait):
        html = client.get("/about/").content.decode()
        img = attributes(tag(html, "portrait portrait-about"))
        assert img["alt"] == "Portrait of Alex Navarro" and img["srcset"]
        assert img["width"] == img["height"] == "960"

    def test_byline_portrait_is_small_and_decorative(self, client, with_portrait, make_post):
        html = client.get(make_post().get_absolute_url()).content.decode()
        img = attributes(tag(html, "portrait portrait-byline"))
        assert img["alt"] == ""  # the name is printed beside it
        assert img["sizes"] == "2.75rem" and "-96w." in img["srcset"]
        assert img["loading"] == "lazy" and "fetchpriority" not in img

    def test_without_a_portrait_the_initials_show(self, client, author, make_post):
        for url, css_class in [
            ("/", "portrait portrait-hero"),
            ("/about/", "portrait portrait-about"),
            (make_post().get_absolute_url(), "portrait portrait-byline"),
        ]:
            html = client.get(url).content.decode()
            mark = tag(html, css_class)
            assert mark.startswith("<span") and 'aria-hidden="true"' in mark, url
            assert f"{mark}AN</span>" in html, url

    def test_json_ld_person_image_is_an_absolute_url(self, client, with_portrait, make_post):
        largest = with_portrait.avatar_renditions["sources"][-1]["files"][-1][1]
        expected = "http://testserver" + default_storage.url(largest)
        about = person(json_ld(client.get("/about/").content.decode()), "Alex Navarro")
        assert about["image"] == expected
        article = json_ld(client.get(make_post().get_absolute_url()).content.decode())
        assert person(article, "Alex Navarro")["image"] == expected

    def test_json_ld_has_no_image_without_a_portrait(self, client, author, make_post):
        assert "image" not in person(
            json_ld(client.get("/about/").content.decode()), "Alex Navarro"
        )
        article = json_ld(client.get(make_post().get_absolute_url()).content.decode())
        assert "image" not in person(article, "Alex Navarro")

    def test_make_renditions_gives_old_portraits_small_widths(self, with_portrait):
        Author.objects.filter(pk=with_portrait.pk).update(avatar_renditions={})
        call_command("make_renditions", stdout=io.StringIO())
        with_portrait.refresh_from_db()
        widths = [w for w, _ in with_portrait.avatar_renditions["sources"][0]["files"]]
        assert widths == [96, 240, 480, 960]


def card_covers(html):
    return [attributes(m) for m in re.findall(r'<img class="post-card-cover"[^>]*>', html)]


class TestCovers:
    def test_blog_list_cards_first_eager_then_lazy(self, client, covered_post, make_post):
        covered_post(), covered_post(), make_post(title="No picture")
        html = client.get("/blog/").content.decode()
        covers = card_covers(html)
        assert len(covers) == 2  # the post without one has a text-only card
        first, second = covers
        assert first["fetchpriority"] == "high" and "loading" not in first
        assert second["loading"] == "lazy" and "fetchpriority" not in second
        for cover in covers:
            assert (cover["width"], cover["height"]) == ("1200", "675")
            assert cover["alt"] == ""  # the card's title says what it is
            assert cover["sizes"] == "(min-width: 40rem) 12rem, 6.5rem"
            assert "-480w." in cover["srcset"] and "-960w." in cover["srcset"]
        text_only = html.split("No picture")[0].rsplit('<article class="post-card">', 1)[1]
        assert "<img" not in text_only and "<picture" not in text_only

    def test_tag_page_cards(self, client, covered_post, make_tag):
        hiring = make_tag("Hiring")
        covered_post(tags=[hiring])
        covers = card_covers(client.get(f"/blog/tag/{hiring.slug}/").content.decode())
        assert len(covers) == 1 and covers[0]["fetchpriority"] == "high"

    def test_home_and_keep_reading_cards_load_lazily(self, client, covered_post):
        newer, older = covered_post(), covered_post()
        link_keep_reading(older, [newer])  # not its Next (older posts are), so it shows
        home = card_covers(client.get("/").content.decode())
        assert len(home) == 2 and all(c["loading"] == "lazy" for c in home)
        assert home[0]["sizes"].startswith("(min-width: 72rem) 22rem")
        article = client.get(older.get_absolute_url()).content.decode()
        keep_reading = card_covers(article.split('id="keep-reading-heading"')[1])
        assert len(keep_reading) == 1 and keep_reading[0]["loading"] == "lazy"
        # The article's own cover is the one fetched first.
        featured = article.split('<figure class="featured-image">')[1].split("</figure>")[0]
        assert 'fetchpriority="high"' in featured

    def test_images_cost_no_query(
        self, client, with_portrait, covered_post, make_tag, django_assert_num_queries
    ):
        tag = make_tag("Hiring")
        posts = [covered_post(tags=[tag]) for _ in range(4)]
        link_keep_reading(posts[-1], posts[:-1])
        SiteSettings.load()
        # The same counts as pages without images (tests/test_pages.py, tests/test_site.py).
        with django_assert_num_queries(3):  # latest posts, featured book, featured praise
            client.get("/")
        with django_assert_num_queries(0):
            client.get("/about/")
        with django_assert_num_queries(2):
            client.get("/blog/")
        with django_assert_num_queries(3):
            client.get(f"/blog/tag/{tag.slug}/")
        with django_assert_num_queries(6):
            assert "Keep reading" in client.get(posts[-1].get_absolute_url()).content.decode()


@pytest.mark.django_db
class TestDemoImages:
    def test_setup_demo_stores_images_once(self, media_root):
        call_command("setup_demo", stdout=io.StringIO())
        posts = list(Post.objects.order_by("slug"))
        authors = list(Author.objects.order_by("slug"))
        assert posts and all(p.featured_image for p in posts)
        assert authors and all(a.avatar for a in authors)
        for item, image, renditions in [
            *((p, p.featured_image, p.featured_image_renditions) for p in posts),
            *((a, a.avatar, a.avatar_renditions) for a in authors),
        ]:
            assert default_storage.exists(image.name), item
            assert renditions["name"] == image.name and renditions["sources"], item
            for source in renditions["sources"]:
                assert all(default_storage.exists(name) for _w, name in source["files"]), item
        assert all(p.featured_image_alt.startswith("Abstract illustration") for p in posts)
        assert all((p.featured_image_width, p.featured_image_height) == (1600, 900) for p in posts)

        files = sorted(path for path in media_root.rglob("*") if path.is_file())
        out = io.StringIO()
        call_command("setup_demo", stdout=out)
        assert "Images already present" in out.getvalue()
        assert sorted(path for path in media_root.rglob("*") if path.is_file()) == files
        assert [p.featured_image.name for p in Post.objects.order_by("slug")] == [
            p.featured_image.name for p in posts
        ]

    def test_an_image_the_author_removed_is_not_put_back(self):
        call_command("setup_demo", stdout=io.StringIO())
        post = Post.objects.order_by("slug").first()
        post.featured_image = None
        post.save()
        call_command("setup_demo", stdout=io.StringIO())
        post.refresh_from_db()
        assert not post.featured_image
