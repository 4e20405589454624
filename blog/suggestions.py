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

Saving a post costs the same with 100 posts or 100,000. Each post keeps its word
counts (``Post.terms``), so no other post's body is read, and is compared with at
most ``POOL`` published posts: all of them on a site that has no more, else those
sharing the most tags with it, then the newest. A shared tag outweighs any
similarity of words, so the best suggestions are among those whenever six posts
share a tag with it; word weights are then learnt from the pool rather than the
whole archive. Saving a published post also refreshes the lists it may now belong
in: every post's on a site of up to ``POOL``, else those of the posts it is most
alike (similarity is symmetric) and of the posts that listed it.
"""

import math
from collections import Counter

import regex
from django.apps import apps
from django.db import transaction

from core.markdown.rendering import html_to_text

SHOWN = 3
STORED = 6
POOL = 100  # published posts one post is compared with
NEIGHBOURS = 6  # beyond POOL, how many of its closest posts a published post's save refreshes
TITLE_WEIGHT = 3
DESCRIPTION_WEIGHT = 2
CACHED_POSTS = 5000  # candidates kept loaded while refreshing many posts at once
STORE_BATCH = 200  # posts whose suggestions are written together
TERMS_PER_POST = 50  # a post's most telling words; enough to compare, and keeps scoring fast

# Single CJK characters (which carry meaning alone), or other words of three letters or more.
CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}"
TERM = regex.compile(
    rf"[{CJK}]|[[\p{{L}}\p{{M}}]--[{CJK}]][[\p{{L}}\p{{M}}\p{{N}}'’-]--[{CJK}]]{{2,}}",
    flags=regex.VERSION1,
)


def terms(title, description, body_html):
    """How often each word occurs in a post, its title and description weighted up."""
    counts = Counter(TERM.findall(html_to_text(body_html).lower()))
    for _ in range(TITLE_WEIGHT):
        counts.update(TERM.findall(title.lower()))
    for _ in range(DESCRIPTION_WEIGHT):
        counts.update(TERM.findall(description.lower()))
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


def rank(post, candidates, tags, vectors, keep=STORED):
    """The ``keep`` best candidates for ``post``, best first."""
    scored = []
    for other in candidates:
        if other.pk == post.pk:
            continue
        score = len(tags[post.pk] & tags[other.pk]) + cosine(vectors[post.pk], vectors[other.pk])
        if score > 0:
            newness = other.published_at.timestamp() if other.published_at else 0
            scored.append((score, newness, other.pk))
    scored.sort(reverse=True)
    return [pk for _, _, pk in scored[:keep]]


FIELDS = ["title", "description", "terms", "published_at", "status"]


def published_posts():
    Post = apps.get_model("blog", "Post")
    # Scheduled posts too: their suggestions are ready when they go live, and the
    # article skips any link to a post not yet live.
    return Post.objects.published_or_scheduled()


def with_terms(posts):
    """``posts`` (loaded with FIELDS and tags), each with its word counts.

    Posts saved before ``Post.terms`` existed (or made by ``bulk_create``) get them
    computed now, from one query for all of them, and stored.
    """
    Post = apps.get_model("blog", "Post")
    missing = [post for post in posts if not post.terms]
    if missing:
        texts = Post.objects.filter(pk__in=[post.pk for post in missing])
        found = {
            post.pk: terms(post.title, post.description, post.body_html)
            for post in texts.only("title", "description", "body_html")
        }
        for post in missing:
            post.terms = found.get(post.pk, {})
        Post.objects.bulk_update(missing, ["terms"], batch_size=500)
    return posts


def load(queryset):
    return with_terms(list(queryset.only(*FIELDS).prefetch_related("tags")))


def pool_ids(post, limit=None):
    """The published posts ``post`` is compared with (see the module's docstring)."""
    limit = limit or POOL
    others = published_posts().exclude(pk=post.pk).order_by("-published_at", "-pk")
    newest = list(others.values_list("pk", flat=True)[: limit + 1])
    if len(newest) <= limit:
        return newest
    # The newest posts of each of its tags, read from the tag listings' index (cheap at
    # any size); those found under more of its tags first.
    TagListing = apps.get_model("blog", "TagListing")
    shared = Counter()
    for tag in post.tags.all():
        listed = TagListing.objects.filter(tag=tag, status=post.Status.PUBLISHED)
        listed = listed.exclude(post=post.pk).order_by("-published_at", "-post")
        shared.update(listed.values_list("post", flat=True)[:limit])
    sharing = sorted(shared, key=lambda pk: shared[pk], reverse=True)  # stable: newest first
    return list(dict.fromkeys([*sharing, *newest]))[:limit]


def suggestions(posts, candidates, keep=STORED):
    """{pk: its ``keep`` best candidates} for each of ``posts``; word weights learnt once."""
    documents = {post.pk: post for post in [*candidates, *posts]}
    tags = {pk: {tag.pk for tag in post.tags.all()} for pk, post in documents.items()}
    vectors = tf_idf_vectors({pk: Counter(post.terms) for pk, post in documents.items()})
    return {post.pk: rank(post, candidates, tags, vectors, keep) for post in posts}


def refresh_suggestions(posts=None):
    """Recompute and store the suggestions of ``posts`` (a Post queryset; default every post).

    Returns how many posts were refreshed.
    """
    Post = apps.get_model("blog", "Post")
    posts = load(Post.objects.all() if posts is None else posts)
    published = published_posts()
    if published.count() <= POOL:
        # A small site: every post is compared with every published one, loaded once.
        store(suggestions(posts, load(published)))
    else:
        # Many posts at once (an import, posts announced in bulk): neighbours' pools overlap,
        # so each candidate is loaded once while it stays among the last CACHED_POSTS, and
        # suggestions are stored STORE_BATCH posts at a time. Memory stays bounded.
        loaded, found = {}, {}
        for post in posts:
            pool = pool_ids(post)
            if len(loaded) + len(pool) > CACHED_POSTS:
                loaded = {}
            missing = [pk for pk in pool if pk not in loaded]
            if missing:
                loaded.update((other.pk, other) for other in load(published.filter(pk__in=missing)))
            found.update(suggestions([post], [loaded[pk] for pk in pool if pk in loaded]))
            if len(found) >= STORE_BATCH:
                store(found)
                found = {}
        if found:
            store(found)
    return len(posts)


def store(found):
    """Replace the suggestions of each post in ``found``, {pk: [target pk, ...]}."""
    KeepReading = apps.get_model("blog", "KeepReading")
    links = [
        KeepReading(post_id=pk, target_id=target, position=position, suggested=True)
        for pk, targets in found.items()
        for position, target in enumerate(targets)
    ]
    with transaction.atomic():
        KeepReading.objects.filter(post__in=list(found), suggested=True).delete()
        KeepReading.objects.bulk_create(links)


def refresh_after_save(pk):
    """After a post is saved: its own suggestions, and the lists it may now belong in.

    A published post (even one scheduled for later) may now belong among other
    posts' suggestions; a draft may not, so only its own list changes.
    """
    Post = apps.get_model("blog", "Post")
    KeepReading = apps.get_model("blog", "KeepReading")
    saved = Post.objects.filter(pk=pk)
    post = saved.only("status").first()
    if post is None:
        return
    if post.status != Post.Status.PUBLISHED:
        refresh_suggestions(saved)
    elif published_posts().count() <= POOL:
        refresh_suggestions()
    else:
        post = load(saved)[0]
        candidates = load(published_posts().filter(pk__in=pool_ids(post)))
        closest = suggestions([post], candidates, keep=NEIGHBOURS)[pk]
        store({pk: closest[:STORED]})
        listing = (
            KeepReading.objects.filter(target=pk, suggested=True)
            .order_by("-post__published_at")
            .values_list("post", flat=True)[:NEIGHBOURS]
        )
        refresh_suggestions(Post.objects.filter(pk__in=[*closest, *listing]))


def keep_reading(links, shown_as_next=None):
    """The posts to show under an article, from its prefetched ``KeepReading`` links.

    Curated links always win; only without any are the site's suggestions shown.
    The post the page already offers as "Next" is left out: one post twice on a
    page reads as a mistake.
    """
    links = [link for link in links if shown_as_next is None or link.target_id != shown_as_next.pk]
    curated = [link.target for link in links if not link.suggested]
    return curated or [link.target for link in links if link.suggested][:SHOWN]
