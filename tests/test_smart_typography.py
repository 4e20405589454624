"""Typographic punctuation in the short texts readers see (issue 17): titles, ledes, FAQ
questions and the site's own texts, drawn through core/templatetags/typography.py."""

import json
import re

import pytest

from blog.models import FAQItem
from core.templatetags.typography import smart, smarten
from pages.models import SiteSettings


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ('Isn\'t it "good"?', "Isn’t it “good”?"),
        ("You'll see -- or not...", "You’ll see – or not…"),
        ("Then --- now", "Then — now"),
        ('A \\"dumb\\" quote, on purpose', 'A "dumb" quote, on purpose'),
        ("No marks here", "No marks here"),
        ("", ""),
    ],
)
def test_smarten(typed, shown):
    assert smarten(typed) == shown


def test_smart_escapes_what_it_is_given():
    assert smart('<b>"x"</b> & y') == "&lt;b&gt;“x”&lt;/b&gt; &amp; y"
    assert smart("a < b") == "a &lt; b"


def test_titles_ledes_and_questions_are_shown_curly_and_stored_as_typed(client, make_post):
    post = make_post(title='Isn\'t hiring "hard"?', description="You'll see why...")
    FAQItem.objects.create(post=post, question="What's the first step?", answer="Start.")
    site = SiteSettings.load()
    SiteSettings.objects.filter(pk=1).update(article_cta="If it's your problem, let's talk.")
    SiteSettings.forget()
    del site
    html = client.get(post.get_absolute_url()).content.decode()
    assert '<h1 class="p-name">Isn’t hiring “hard”?</h1>' in html
    assert "You’ll see why…" in html
    assert "<summary>What’s the first step?</summary>" in html
    assert "If it’s your problem, let’s talk." in html
    index = client.get("/blog/").content.decode()
    assert "Isn’t hiring “hard”?" in index
    post.refresh_from_db()
    assert post.title == 'Isn\'t hiring "hard"?'  # the author's text is not changed
    # Structured data keeps the text as typed: the typography is the page's, not the data's.
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    assert 'Isn\'t hiring \\"hard\\"?' in data or "Isn't hiring" in json.dumps(json.loads(data))


def test_no_visible_heading_of_the_demo_keeps_a_straight_quote(client, db):
    from io import StringIO

    from django.core.management import call_command

    call_command("setup_demo", stdout=StringIO())
    for path in ["/", "/blog/", "/books/", "/praise/", "/about/", "/work-with-me/"]:
        html = client.get(path).content.decode()
        for heading in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S):
            text = re.sub(r"<[^>]+>", "", heading)
            assert "'" not in text and '"' not in text and "&#x27;" not in text, (path, text)
