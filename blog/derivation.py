"""Everything stored that is computed from a post's own text, computed in one place.

``derive(post)`` reads a post's Markdown body, its title and description, and its FAQ
answers, and returns what the post stores from them: the body's HTML and table of
contents, the reading time (body and FAQ), and the word counts that keep-reading
suggestions compare (blog.suggestions). Saving a post, previewing a pending edit,
``rerender``, a changed FAQ and the synthetic posts of ``make bench`` all call it, so
no two of them can disagree.

The rest of a post's derived data is computed elsewhere, from these stored fields:
the search document (search.indexing), tag listings (blog.tag_listings), suggestions
(blog.suggestions) and the share card (blog.share_cards). docs/architecture.md lists
what each depends on and what recomputes it.
"""

from typing import NamedTuple

from django.utils.html import escape

from core.markdown import reading_time

from . import suggestions
from .rendering import render_article

# The Post fields derive() writes, for update(fields=...) and bulk_update().
FIELDS = (
    "body_html",
    "toc_html",
    "word_count",
    "reading_minutes",
    "reading_time_breakdown",
    "terms",
)


class Derived(NamedTuple):
    body_html: str
    toc_html: str
    reading: reading_time.ReadingTime
    terms: dict
    blocks: tuple = ()  # where the body's blocks start in the source (the editor's preview)

    def fields(self):
        """{field name: value} for the Post fields listed in ``FIELDS``."""
        return {
            "body_html": self.body_html,
            "toc_html": self.toc_html,
            "word_count": self.reading.word_count,
            "reading_minutes": self.reading.minutes,
            "reading_time_breakdown": self.reading.describe(),
            "terms": self.terms,
        }


def saved_faq(post):
    """The (question, answer_html) pairs of a saved post's FAQ."""
    if post.pk is None:
        return []
    return list(post.faq_items.order_by("position", "pk").values_list("question", "answer_html"))


def measure_reading(body_html, faq):
    """The ``ReadingTime`` of what a reader reads: the body, then each FAQ question and answer."""
    fragments = [f"<p>{escape(question)}</p>{answer_html}" for question, answer_html in faq]
    return reading_time.measure(body_html, *fragments)


def derive(post, faq=None):
    """What ``post`` stores from its text. ``faq``: (question, answer_html) pairs; by
    default the saved ones."""
    derived = derive_page(post, faq)
    return derived._replace(
        terms=dict(suggestions.terms(post.title, post.description, derived.body_html))
    )


def derive_page(post, faq=None):
    """What readers see of ``post``: ``derive`` without the word counts only suggestions
    compare (``terms`` is empty). The editor's preview calls it on each pause."""
    # Without a featured image, the body's first image is the one a reader sees first.
    rendered = render_article(post.body, lead_image=not post.featured_image)
    faq = saved_faq(post) if faq is None else faq
    return Derived(
        body_html=rendered.html,
        toc_html=rendered.toc_html,
        reading=measure_reading(rendered.html, faq),
        terms={},
        blocks=rendered.blocks,
    )


def apply(post, faq=None):
    """Put what ``post`` derives from its text on ``post``, in memory; returns ``Derived``."""
    derived = derive(post, faq)
    for name, value in derived.fields().items():
        setattr(post, name, value)
    return derived


def recount_reading(post_id):
    """Store a saved post's reading time again, from its stored HTML and its FAQ as saved.

    For FAQ changes, which change what a reader reads but not the body; ``updated_at``
    stays the writer's.
    """
    from .models import Post

    post = Post.objects.filter(pk=post_id).only("body_html").first()
    if post is None:  # being deleted
        return
    reading = measure_reading(post.body_html, saved_faq(post))
    Post.objects.filter(pk=post_id).update(
        word_count=reading.word_count,
        reading_minutes=reading.minutes,
        reading_time_breakdown=reading.describe(),
    )
