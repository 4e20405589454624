"""`manage.py rerender`: stored HTML made again from Markdown, dates kept."""

import io

import pytest
from django.core.management import call_command

from blog.models import FAQItem, Post
from pages.models import SiteSettings

pytestmark = pytest.mark.django_db


def test_rerender_rebuilds_every_stored_rendering_and_keeps_dates(make_post, author):
    post = make_post(body="## One\n\nText.\n\n## Two\n\n```python\nx = 1\n```", show_toc=True)
    FAQItem.objects.create(post=post, question="Why?", answer="Because **so**.")
    updated_at = Post.objects.get(pk=post.pk).updated_at
    # As left by an older version of the renderer.
    Post.objects.filter(pk=post.pk).update(
        body_html="<p>old</p>", toc_html="", word_count=1, reading_time_breakdown=""
    )
    FAQItem.objects.update(answer_html="<p>old</p>")
    type(author).objects.filter(pk=author.pk).update(bio="A *bio*.", bio_html="")
    SiteSettings.objects.filter(pk=1).update(introduction="Hello **you**.", introduction_html="")

    out = io.StringIO()
    call_command("rerender", stdout=out)

    post.refresh_from_db()
    assert "Rendered" in out.getvalue()
    assert '<h2 id="one">' in post.body_html and 'class="highlight"' in post.body_html
    assert 'href="#two"' in post.toc_html
    assert post.word_count > 1 and "code block" in post.reading_time_breakdown
    assert post.updated_at == updated_at
    assert FAQItem.objects.get().answer_html == "<p>Because <strong>so</strong>.</p>"
    author.refresh_from_db()
    assert author.bio_html == "<p>A <em>bio</em>.</p>"
    assert "<strong>you</strong>" in SiteSettings.load().introduction_html


def test_rerender_lists_the_posts_whose_html_changes(make_post):
    changed = make_post(title="Old HTML", slug="old-html", body="- a\n  - nested")
    same = make_post(title="Up to date", slug="up-to-date", body="Fine.")
    # As Python-Markdown stored it: a two-space nested list flattened.
    Post.objects.filter(pk=changed.pk).update(body_html="<ul>\n<li>a</li>\n<li>nested</li>\n</ul>")
    stored = Post.objects.get(pk=changed.pk).body_html

    out = io.StringIO()
    call_command("rerender", "--dry-run", stdout=out)
    report = out.getvalue()
    assert "Old HTML (old-html): HTML" in report
    assert "up-to-date" not in report
    assert "1 post(s) and 0 text(s) would change. Nothing was written." in report
    assert Post.objects.get(pk=changed.pk).body_html == stored  # untouched

    out = io.StringIO()
    call_command("rerender", stdout=out)
    assert "Old HTML (old-html): HTML" in out.getvalue()
    assert "1 post(s) and 0 text(s) changed." in out.getvalue()
    assert "<ul>\n<li>nested</li>\n</ul>" in Post.objects.get(pk=changed.pk).body_html
    assert Post.objects.get(pk=same.pk).body_html == "<p>Fine.</p>"

    out = io.StringIO()
    call_command("rerender", stdout=out)  # nothing left to change
    assert "0 post(s) and 0 text(s) changed." in out.getvalue()
