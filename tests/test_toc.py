"""The optional table of contents and the self-link on each section heading."""

import re

import pytest

from blog.models import Post
from blog.rendering import render_article, render_markdown
from core.markdown.rendering import html_to_text
from tests.test_import_export import run_export, run_failing_import, run_import, write_post

BODY = """Intro paragraph.

## Why it matters

Text.

### The short version

Text.

#### Too deep for the contents

Text.

## How to start

Text.
"""


def ids_in(html):
    return re.findall(r' id="([^"]+)"', html)


def toc_links(toc_html):
    return re.findall(r'<a href="#([^"]+)">', toc_html)


class TestTableOfContents:
    def test_nested_list_of_h2_and_h3(self):
        rendered = render_article(BODY)
        assert rendered.toc_html == (
            '<ol><li><a href="#why-it-matters">Why it matters</a>'
            '<ol><li><a href="#the-short-version">The short version</a></li></ol></li>'
            '<li><a href="#how-to-start">How to start</a></li></ol>'
        )

    def test_every_entry_points_at_a_heading_that_survived_sanitizing(self):
        rendered = render_article(BODY + "\n## Notes[^1]\n\n[^1]: A footnote.")
        links = toc_links(rendered.toc_html)
        assert "notes" in links
        assert set(links) <= set(ids_in(rendered.html))

    def test_duplicate_headings_get_unique_stable_anchors(self):
        text = "## Example\n\nOne.\n\n## Example\n\nTwo.\n\n### Example\n\nThree."
        first, again = render_article(text), render_article(text)
        assert toc_links(first.toc_html) == ["example", "example_1", "example_2"]
        assert ids_in(first.html) == ["example", "example_1", "example_2"]
        assert first == again  # the same text always gives the same anchors

    def test_headings_in_other_scripts_keep_readable_anchors(self):
        rendered = render_article("## 日本語の見出し\n\nA.\n\n## Naïve Bayes\n\nB.")
        # Latin headings keep the ASCII ids they always had; CJK ones are not emptied to "_1".
        assert toc_links(rendered.toc_html) == ["日本語の見出し", "naive-bayes"]

    def test_authors_custom_ids_are_kept(self):
        rendered = render_article("## First {#start}\n\nA.\n\n## Second\n\nB.")
        assert toc_links(rendered.toc_html) == ["start", "second"]

    def test_entry_text_is_escaped_once_and_plain(self):
        rendered = render_article("## Fish & *chips*\n\nA.\n\n## <b>Bold</b> move\n\nB.")
        assert ">Fish &amp; chips</a>" in rendered.toc_html
        assert ">Bold move</a>" in rendered.toc_html
        assert "<b>" not in rendered.toc_html and "&amp;amp;" not in rendered.toc_html

    @pytest.mark.parametrize("text", ["", "No headings.", "## Only one\n\nText."])
    def test_no_contents_under_two_entries(self, text):
        assert render_article(text).toc_html == ""


class TestHeadingAnchors:
    def test_h2_and_h3_link_to_themselves_after_sanitizing(self):
        html = render_markdown(BODY)
        for slug in ["why-it-matters", "the-short-version", "how-to-start"]:
            anchor = (
                f'<a aria-label="Link to this section" class="heading-anchor" href="#{slug}">#</a>'
            )
            assert anchor in html
        assert html.count('class="heading-anchor"') == 3  # not on the h4
        assert '<h4 id="too-deep-for-the-contents">Too deep for the contents</h4>' in html

    def test_anchor_is_not_part_of_the_heading_text(self):
        html = render_markdown("## Why it matters\n\nText.")
        assert html_to_text(html) == "Why it matters Text."

    def test_authors_cannot_smuggle_attributes_through_the_allowlist(self):
        html = render_markdown('<a aria-label="x" class="heading-anchor other" onclick="y">z</a>')
        assert "onclick" not in html and "other" not in html


@pytest.mark.django_db
class TestOnTheArticle:
    def test_off_by_default(self, client, make_post):
        post = make_post(body=BODY)
        assert post.show_toc is False
        assert post.toc_html  # computed anyway, so switching it on needs no re-render
        html = client.get(post.get_absolute_url()).content.decode()
        assert 'aria-label="Table of contents"' not in html
        assert 'class="heading-anchor"' in html  # the self-links are always there

    def test_shown_above_the_body_when_switched_on(self, client, make_post):
        post = make_post(body=BODY, show_toc=True)
        html = client.get(post.get_absolute_url()).content.decode()
        nav = html.index('<nav class="toc" aria-label="Table of contents">')
        assert nav < html.index('<div class="prose e-content">')
        assert '<a href="#the-short-version">The short version</a>' in html[nav:]

    def test_switched_on_without_enough_headings_shows_nothing(self, client, make_post):
        post = make_post(body="Just a paragraph.\n\n## One section\n\nText.", show_toc=True)
        html = client.get(post.get_absolute_url()).content.decode()
        assert "Table of contents" not in html

    def test_toc_is_stored_on_save(self, make_post):
        post = make_post(body="Plain.")
        post.body = BODY
        post.save()
        assert Post.objects.get(pk=post.pk).toc_html == render_article(BODY).toc_html

    def test_author_switches_it_on_in_the_admin(self, staff_client, make_post):
        post = make_post(body=BODY)
        change = staff_client.get(f"/admin/blog/post/{post.pk}/change/").content.decode()
        assert 'name="show_toc"' in change and "Show a table of contents" in change


@pytest.mark.django_db
class TestMarkdownFiles:
    def test_toc_survives_export_and_import(self, make_post, author, tmp_path):
        make_post(slug="with-toc", body=BODY, show_toc=True)
        make_post(slug="without-toc", body=BODY)
        run_export(tmp_path)
        assert "toc: true" in (tmp_path / "posts" / "with-toc.md").read_text()
        assert "toc:" not in (tmp_path / "posts" / "without-toc.md").read_text()

        Post.objects.update(show_toc=False)
        run_import(tmp_path / "posts")
        assert Post.objects.get(slug="with-toc").show_toc is True
        assert Post.objects.get(slug="without-toc").show_toc is False

    def test_toc_must_be_true_or_false(self, author, tmp_path):
        write_post(tmp_path / "bad.md", title="Bad", slug="bad", toc="yes")
        _, err = run_failing_import(tmp_path)
        assert "'toc' must be true or false" in err
        assert not Post.objects.exists()
