"""The <picture> markup readers get: featured images, images in Markdown, captions and credits."""

import re

import pytest
from django.template import Context, Template

from blog.models import BodyImage, Post
from blog.rendering import render_markdown
from core.images.pictures import ARTICLE_SIZES, Picture
from core.images.renditions import make_renditions
from pages.models import SiteSettings
from tests.conftest import add_faq, image_bytes, image_upload, link_keep_reading

pytestmark = pytest.mark.django_db

SIZES = 'sizes="(min-width: 45rem) 42rem, calc(100vw - 2.5rem)"'


def featured(make_post, size=(2000, 1000), **fields):
    return make_post(
        featured_image=image_upload("photo.jpg", "JPEG", "image/jpeg", size=size),
        featured_image_alt="A harbour at dawn",
        **fields,
    )


def upload(media_root, size=(1200, 800), fmt="PNG"):
    """An image as the editor stores it: a random name under uploads/, with renditions."""
    name = f"uploads/{'b' * 31}{len(list(BodyImage.objects.all()))}.{fmt.lower()}"
    (media_root / "uploads").mkdir(parents=True, exist_ok=True)
    (media_root / name).write_bytes(image_bytes(fmt, size=size))
    BodyImage.objects.create(name=name, renditions=make_renditions(name))
    return f"/media/{name}"


def only(pattern, html):
    (match,) = re.findall(pattern, html)
    return match


class TestFeaturedImage:
    def test_article_shows_a_picture_with_sources_sizes_and_priority(
        self, client, make_post, media_root
    ):
        post = featured(make_post)
        stem = "/media/" + post.featured_image.name.removesuffix(".jpg")
        html = client.get(post.get_absolute_url()).content.decode()
        picture = only(r"<picture>.*?</picture>", html)
        assert picture == (
            f'<picture><source type="image/webp" srcset="{stem}-480w.webp 480w, '
            f'{stem}-960w.webp 960w, {stem}-1600w.webp 1600w" {SIZES}>'
            f'<img src="{stem}-1600w.jpg" srcset="{stem}-480w.jpg 480w, {stem}-960w.jpg 960w, '
            f'{stem}-1600w.jpg 1600w" {SIZES} alt="A harbour at dawn" width="1600" height="800" '
            f'fetchpriority="high"></picture>'
        )
        assert "loading=" not in picture
        # Every URL in the markup is a file that exists.
        urls = re.findall(r"/media/(\S+?\.(?:jpg|webp))", picture)
        assert len(set(urls)) == 6 and all((media_root / url).is_file() for url in urls)

    def test_caption_and_credit_make_a_figcaption(self, client, make_post):
        post = featured(
            make_post,
            featured_image_caption="The harbour <at> dawn",
            featured_image_credit="Photo: Jane Doe",
        )
        html = client.get(post.get_absolute_url()).content.decode()
        figure = only(r'<figure class="featured-image">.*?</figure>', html.replace("\n", ""))
        assert figure.endswith(
            "<figcaption>The harbour &lt;at&gt; dawn "
            '<small class="credit">Photo: Jane Doe</small></figcaption>    </figure>'
        )

    def test_author_sets_caption_and_credit_in_the_admin(self, staff_client, author, client):
        from tests.test_admin import post_form

        data = post_form(
            author,
            featured_image=image_upload("p.jpg", "JPEG", "image/jpeg", size=(1000, 500)),
            featured_image_alt="A chart",
            featured_image_caption="Hiring by quarter",
            featured_image_credit="Chart: ACME",
        )
        assert (
            staff_client.get("/admin/blog/post/add/").content.decode().count("featured_image_c")
            >= 2
        )
        assert staff_client.post("/admin/blog/post/add/", data).status_code == 302
        post = Post.objects.get()
        assert post.featured_image_renditions["width"] == 1000
        html = client.get(post.get_absolute_url()).content.decode()
        assert '<figcaption>Hiring by quarter <small class="credit">Chart: ACME</small>' in html
        assert html.count("<picture>") == 1

    def test_no_caption_no_figcaption(self, client, make_post):
        html = client.get(featured(make_post).get_absolute_url()).content.decode()
        assert "<figcaption" not in html

    def test_credit_alone(self, client, make_post):
        post = featured(make_post, featured_image_credit="Photo: Jane Doe")
        html = client.get(post.get_absolute_url()).content.decode()
        assert '<figcaption> <small class="credit">Photo: Jane Doe</small></figcaption>' in html

    def test_image_without_renditions_falls_back_to_the_original(self, client, make_post):
        post = featured(make_post, size=(900, 450))
        Post.objects.filter(pk=post.pk).update(featured_image_renditions={})
        html = client.get(post.get_absolute_url()).content.decode()
        assert "<picture>" not in html and "srcset" not in html
        assert (
            f'<img src="{post.featured_image.url}" alt="A harbour at dawn" width="900" '
            'height="450" fetchpriority="high">'
        ) in html

    def test_query_count_stays_fixed_with_images(
        self, client, make_post, make_tag, media_root, django_assert_num_queries
    ):
        body = "\n\n".join(f'![Figure {i}]({upload(media_root)} "Caption {i}")' for i in range(3))
        post = featured(make_post, body=body, tags=[make_tag("A"), make_tag("B")])
        add_faq(post, 2)
        link_keep_reading(post, [make_post(), make_post()])
        SiteSettings.load()
        with django_assert_num_queries(6):  # as any article: images add no query
            html = client.get(post.get_absolute_url()).content.decode()
        assert html.count("<picture>") == 4

    def test_share_image_is_still_the_original(self, client, make_post):
        post = featured(make_post)
        html = client.get(post.get_absolute_url()).content.decode()
        assert f'property="og:image" content="http://testserver{post.featured_image.url}"' in html


class TestPictureTag:
    def render(self, source, **context):
        return Template("{% load pictures %}" + source).render(Context(context))

    def test_no_image_renders_nothing(self):
        assert self.render("{% picture image %}", image=None) == ""

    def test_lazy_unless_priority_and_custom_sizes(self):
        sources = (("image/webp", "/media/a.webp 300w"), ("image/jpeg", "/media/a.jpg 300w"))
        image = Picture("/media/a.jpg", 300, 200, "Alt", sources)
        lazy = self.render('{% picture image sizes="50vw" %}', image=image)
        assert lazy == (
            '<picture><source type="image/webp" srcset="/media/a.webp 300w" sizes="50vw">'
            '<img src="/media/a.jpg" srcset="/media/a.jpg 300w" sizes="50vw" alt="Alt" '
            'width="300" height="200" loading="lazy" decoding="async"></picture>'
        )
        eager = self.render("{% picture image priority=True %}", image=image)
        assert 'fetchpriority="high"' in eager and "loading" not in eager
        assert f'sizes="{ARTICLE_SIZES}"' in eager

    def test_alt_text_is_escaped(self):
        image = Picture("/media/a.jpg", 3, 2, '"><script>x</script>')
        html = self.render("{% picture image %}", image=image)
        assert "<script>" not in html and "&quot;&gt;&lt;script&gt;" in html


class TestBodyImages:
    def test_upload_becomes_a_lazy_picture_with_its_size(self, media_root):
        src = upload(media_root, size=(1200, 800))
        stem = src.removesuffix(".png")
        html = render_markdown(f"Intro.\n\n![A chart]({src})")
        assert html == (
            f'<p>Intro.</p>\n<p><picture><source type="image/webp" srcset="{stem}-480w.webp 480w, '
            f'{stem}-960w.webp 960w, {stem}-1200w.webp 1200w" {SIZES}>'
            f'<img src="{src}" srcset="{stem}-480w.png 480w, {stem}-960w.png 960w, {src} 1200w" '
            f'{SIZES} alt="A chart" width="1200" height="800" loading="lazy" decoding="async">'
            "</picture></p>"
        )

    def test_title_becomes_caption_and_credit(self, media_root):
        src = upload(media_root)
        html = render_markdown(f'![A chart]({src} "Hiring by quarter | Source: ACME & Co")')
        assert html.startswith("<figure><picture>")
        assert html.endswith(
            '</picture><figcaption>Hiring by quarter <small class="credit">Source: ACME &amp; Co'
            "</small></figcaption></figure>"
        )
        assert "title=" not in html and "<p>" not in html

    def test_caption_works_for_images_that_are_not_uploads(self):
        html = render_markdown('![Logo](https://example.org/logo.png "Their logo")')
        assert html == (
            '<figure><img alt="Logo" decoding="async" loading="lazy" '
            'src="https://example.org/logo.png"><figcaption>Their logo</figcaption></figure>'
        )

    def test_image_inside_a_sentence_gets_no_figure(self, media_root):
        src = upload(media_root)
        html = render_markdown(f'Look: ![A chart]({src} "Hover text") here.')
        assert "<figure" not in html and "<figcaption" not in html
        assert html.startswith("<p>Look: <picture>") and html.endswith("</picture> here.</p>")

    def test_caption_is_escaped(self, media_root):
        html = render_markdown(f'![A]({upload(media_root)} "<script>alert(1)</script>")')
        assert "<script>" not in html and "&lt;script&gt;" in html

    def test_first_image_leads_only_when_asked(self, media_root):
        first, second = upload(media_root), upload(media_root)
        text = f"![One]({first})\n\n![Two]({second})"
        lazy = render_markdown(text)
        assert lazy.count('loading="lazy"') == 2 and "fetchpriority" not in lazy
        leading = render_markdown(text, lead_image=True)
        one, two = leading.split("</picture>")[:2]
        assert 'fetchpriority="high"' in one and "loading" not in one
        assert 'loading="lazy"' in two and "fetchpriority" not in two

    def test_external_first_image_can_lead_too(self):
        html = render_markdown("![X](https://example.org/x.png)", lead_image=True)
        assert html == '<p><img alt="X" src="https://example.org/x.png" fetchpriority="high"></p>'

    def test_post_without_featured_image_leads_with_its_first_body_image(
        self, client, make_post, media_root
    ):
        post = make_post(body=f"![One]({upload(media_root)})\n\n![Two]({upload(media_root)})")
        html = client.get(post.get_absolute_url()).content.decode()
        assert html.count('fetchpriority="high"') == 1
        assert html.index('fetchpriority="high"') < html.index('alt="Two"')

    def test_post_with_featured_image_keeps_body_images_lazy(self, client, make_post, media_root):
        post = featured(make_post, body=f"![One]({upload(media_root)})")
        html = client.get(post.get_absolute_url()).content.decode()
        assert html.count('fetchpriority="high"') == 1
        assert 'fetchpriority="high"' in only(r'<img [^>]*alt="A harbour at dawn"[^>]*>', html)
        assert only(r'<img [^>]*alt="One"[^>]*>', html).endswith('loading="lazy" decoding="async">')

    def test_upload_without_renditions_stays_a_plain_image(self):
        src = "/media/uploads/" + "c" * 32 + ".png"
        html = render_markdown(f"![Old]({src})")
        assert html == f'<p><img alt="Old" decoding="async" loading="lazy" src="{src}"></p>'

    def test_markup_inside_an_attribute_is_left_alone(self, media_root):
        src = upload(media_root)
        text = f'<a href="/x" title=\'<img src="{src}" alt="x">\'>link</a>'
        html = render_markdown(text, lead_image=True)
        assert "<picture" not in html and "fetchpriority" not in html
        assert html.startswith('<p><a href="/x" title="&lt;img src=&quot;')

    def test_markdown_without_uploads_costs_no_query(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            render_markdown("![X](https://example.org/x.png) ![Y](/media/uploads/chart.png)")

    @pytest.mark.parametrize(
        "text",
        [
            '<picture><source srcset="https://evil.example/x.webp 1x"><img src="/a.png"></picture>',
            '<img src="/a.png" srcset="https://evil.example/x.png 2x" sizes="100vw">',
            '![x](/a.png){: srcset="https://evil.example/x.png 2x" }',
        ],
    )
    def test_authors_cannot_write_srcset_or_sources(self, text):
        html = render_markdown(text)
        assert "evil.example" not in html and "<source" not in html and "srcset" not in html

    def test_feed_gets_absolute_srcset_urls(self, client, make_post, media_root):
        make_post(body=f"![One]({upload(media_root)})")
        xml = client.get("/feed/").content.decode()
        assert 'srcset="http://testserver/media/uploads/' in xml
        assert 'srcset="/media' not in xml and ", /media" not in xml


class TestBookCovers:
    @pytest.fixture
    def book(self, db):
        from books.models import Book

        return Book.objects.create(
            title="The Eval-First Team",
            slug="the-eval-first-team",
            cover=image_upload("c.jpg", "JPEG", "image/jpeg", size=(1000, 1500)),
            cover_alt="Navy cover",
        )

    def test_cover_gets_renditions_no_wider_than_the_stored_cover(self, book, media_root):
        # Stored covers are scaled to fit 800×1200 first; renditions never exceed that.
        described = book.cover_renditions
        assert (described["width"], described["height"]) == (800, 1200)
        assert [[w for w, _ in s["files"]] for s in described["sources"]] == [[480, 800]] * 2
        assert described["sources"][1]["files"][-1][1] == book.cover.name

    def test_cover_is_a_picture_sized_for_where_it_shows(self, client, book):
        html = client.get(book.get_absolute_url()).content.decode()
        cover = only(r"<picture>.*?</picture>", html)
        stem = book.cover.url.removesuffix(".jpg")
        assert cover == (
            f'<picture><source type="image/webp" srcset="{stem}-480w.webp 480w, '
            f'{stem}-800w.webp 800w" sizes="360px"><img class="book-cover" src="{book.cover.url}" '
            f'srcset="{stem}-480w.jpg 480w, {book.cover.url} 800w" sizes="360px" '
            'alt="Navy cover" width="360" height="540" fetchpriority="high"></picture>'
        )

    def test_cover_without_renditions_is_the_plain_image(self, client, book):
        type(book).objects.filter(pk=book.pk).update(cover_renditions={})
        html = client.get("/books/").content.decode()
        assert (
            f'<img class="book-cover" src="{book.cover.url}" alt="Navy cover" width="160" '
            'height="240"'
        ) in html
