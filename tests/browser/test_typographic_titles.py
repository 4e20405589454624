"""Every title a reader sees uses typographic quotes (issue 17): checked in the browser, on
the text as drawn, on every page type of the demo and on posts whose titles were typed
with straight quotes."""

import pytest

from blog.models import FAQItem, Post

from .conftest import DESKTOP
from .test_reader import page_types

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLES = "h1, h2, h3, .post-card-title, .lede, .faq summary, .next-post a, .book-card-title"


def test_every_visible_title_uses_typographic_quotes(demo_site, open_page):
    newest = Post.objects.published().order_by("-published_at").first()
    post = Post.objects.create(
        title="Isn't it \"simple\"? You'll see",
        slug="typed-with-straight-quotes",
        description="What's \"good\" here -- and what isn't...",
        body="Words.",
        author=newest.author,
        status=Post.Status.PUBLISHED,
        published_at=newest.published_at,
    )
    FAQItem.objects.create(post=post, question="Don't we need a 'lead'?", answer="Yes.")
    pages = {**page_types(), "typed": post.get_absolute_url()}
    straight = {}
    for name, url in pages.items():
        page = open_page(DESKTOP)
        page.goto(url)
        texts = page.locator(TITLES).evaluate_all(
            "(items) => items.filter((item) => item.checkVisibility())"
            ".map((item) => item.innerText)"
        )
        assert texts, name
        found = [text for text in texts if "'" in text or '"' in text]
        if found:
            straight[name] = found
        page.context.close()
    assert not straight, straight
    page = open_page(DESKTOP)
    page.goto(post.get_absolute_url())
    assert page.locator("h1").inner_text() == "Isn’t it “simple”? You’ll see"
    assert page.locator(".faq summary").inner_text() == "Don’t we need a ‘lead’?"
