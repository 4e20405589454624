"""Suggestions for "Keep reading", for posts whose author curated none.

Every post, published or not, gets up to ``STORED`` suggestions among the
published posts (older and newer alike), scored by:

- one point for each tag the two posts share, and
- up to one point more for the words they have in common: the cosine of their
  TF-IDF vectors, built from the title (counted three times), the description
  (twice) and the body text, keeping each post's ``TERMS_PER_POST`` most telling
  words. TF-IDF makes a rare word shared by two posts count for much, and a word
  every post uses for next to nothing.

Ties go to the newer post; posts with nothing in common are never suggested.

Suggestions are computed when a post is saved (blog.models.Post.save) and
stored as ``KeepReading`` rows marked ``suggested``, so the article reads them
in the same query as the curated links and its query count stays fixed.
Storing more than are shown lets the article skip, at render time, any that
has since been unpublished or is still scheduled. ``manage.py
refresh_related_posts`` recomputes them all.
"""

import math
from collections import Counter

import regex
from django.apps import apps
from django.db import transaction

from .rendering import html_to_text

SHOWN = 3
STORED = 6
TITLE_WEIGHT = 3
DESCRIPTION_WEIGHT = 2
TERMS_PER_POST = 50  # a post's most telling words; enough to compare, and keeps scoring fast

# Single CJK characters (which carry meaning alone), or other words of three letters or more.
CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
TERM = regex.compile(
    rf"[{CJK}]|[[\p{{L}}\p{{M}}]--[{CJK}]][[\p{{L}}\p{{M}}\p{{N}}'’-]--[{CJK}]]{{2,}}",
    flags=regex.VERSION1,
)


def terms(post):
    """How often each word occurs in a post, its title and description weighted up."""
    counts = Counter(TERM.findall(html_to_text(post.body_html).lower()))
    for _ in range(TITLE_WEIGHT):
        counts.update(TERM.findall(post.title.lower()))
    for _ in range(DESCRIPTION_WEIGHT):
        counts.update(TERM.findall(post.description.lower()))
    return counts


def tf_idf_vectors(term_counts):
    """Unit-length TF-IDF vectors ({term: weight}) for a {pk: Counter} corpus."""
    documents = len(term_counts)
    frequency = Counter(term for counts in term_counts.values() for term in counts)
    vectors = {}
    for pk, counts in term_counts.items():
        weights = {
            # Smoothed so that, in a blog of two posts, the words they share still count.
            term: (1 + math.log(count)) * math.log((documents + 1) / frequency[term])
            for term, count in counts.items()
        }
        top = sorted(weights.items(), key=lambda item: item[1], reverse=True)[:TERMS_PER_POST]
        norm = math.sqrt(sum(weight * weight for _, weight in top)) or 1
        vectors[pk] = {term: weight / norm for term, weight in top if weight > 0}
    return vectors


def cosine(a, b):
    if len(a) > len(b):
        a, b = b, a
    return sum(weight * b.get(term, 0) for term, weight in a.items())


def rank(post, candidates, tags, vectors):
    """The ``STORED`` best candidates for ``post``, best first."""
    scored = []
    for other in candidates:
        if other.pk == post.pk:
            continue
        score = len(tags[post.pk] & tags[other.pk]) + cosine(vectors[post.pk], vectors[other.pk])
        if score > 0:
            newness = other.published_at.timestamp() if other.published_at else 0
            scored.append((score, newness, other.pk))
    scored.sort(reverse=True)
    return [pk for _, _, pk in scored[:STORED]]


def refresh_suggestions(posts=None):
    """Recompute and store the suggestions of ``posts`` (a Post queryset; default every post).

    Returns how many posts were refreshed.
    """
    Post = apps.get_model("blog", "Post")
    KeepReading = apps.get_model("blog", "KeepReading")
    fields = ["title", "description", "body_html", "published_at", "status"]
    candidates = list(
        Post.objects.filter(status=Post.Status.PUBLISHED).only(*fields).prefetch_related("tags")
    )
    if posts is None:
        posts = Post.objects.all()
    posts = list(posts.only(*fields).prefetch_related("tags"))
    documents = {post.pk: post for post in candidates + posts}
    tags = {pk: {tag.pk for tag in post.tags.all()} for pk, post in documents.items()}
    vectors = tf_idf_vectors({pk: terms(post) for pk, post in documents.items()})

    links = [
        KeepReading(post=post, target_id=target, position=position, suggested=True)
        for post in posts
        for position, target in enumerate(rank(post, candidates, tags, vectors))
    ]
    with transaction.atomic():
        KeepReading.objects.filter(post__in=[post.pk for post in posts], suggested=True).delete()
        KeepReading.objects.bulk_create(links)
    return len(posts)


def refresh_after_save(pk):
    """After a post is saved: its own suggestions, and everyone's if it is published.

    A published post (even one scheduled for later) may now belong among other
    posts' suggestions; a draft may not, so only its own list changes.
    """
    Post = apps.get_model("blog", "Post")
    post = Post.objects.filter(pk=pk).only("status").first()
    if post is None:
        return
    published = post.status == Post.Status.PUBLISHED
    refresh_suggestions(None if published else Post.objects.filter(pk=pk))


def keep_reading(links):
    """The posts to show under an article, from its prefetched ``KeepReading`` links.

    Curated links always win; only without any are the site's suggestions shown.
    """
    curated = [link.target for link in links if not link.suggested]
    return curated or [link.target for link in links if link.suggested][:SHOWN]
