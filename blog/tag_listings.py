"""Tag pages at a constant cost: each post's tags, copied with what orders and filters them.

A tag page lists a tag's published posts, newest first. Through the many-to-many
table alone, the database can only walk all posts in date order and check each one's
tags: page 500 of a tag on one post in five reads 25,000 posts. ``TagListing`` keeps,
for each (tag, post), the post's status and publication date under one index in the
page's own order, so any page of a tag skips index entries, as the blog index does
(blog.pagination).

Kept in step by blog/signals.py: a post's save (its status and date), its tags changing
from either side (``post.tags``, ``tag.posts``), changes announced in bulk
(core.changes), and deletes (cascades). After changes made in SQL, ``manage.py
rebuild_tag_listings`` writes them all again.
"""

from itertools import islice

from django.db import transaction

from .models import Post, TagListing
from .models.posts import visible_to_readers


def published_in(tag):
    """The listings of ``tag``'s published posts, newest first (as ``Post.objects.published()``)."""
    listings = TagListing.objects.filter(visible_to_readers(), tag=tag)
    return listings.order_by("-published_at", "-post")


def listings_for(post_ids, tag_ids):
    """New rows pairing each of these posts with each of these tags."""
    posts = Post.objects.filter(pk__in=post_ids).values_list("pk", "status", "published_at")
    return [
        TagListing(post_id=post, tag_id=tag, status=status, published_at=published_at)
        for post, status, published_at in posts
        for tag in tag_ids
    ]


def rebuild(post_ids=None, batch=5000):
    """Write the listings of these posts again (all of them when None), from their tags.

    Returns how many listings there are then.
    """
    pairs = Post.tags.through.objects.all()
    listings = TagListing.objects.all()
    if post_ids is not None:
        pairs, listings = pairs.filter(post__in=post_ids), listings.filter(post__in=post_ids)
    pairs = pairs.values_list("post", "tag", "post__status", "post__published_at").order_by("pk")
    with transaction.atomic():
        listings.delete()
        rows = (
            TagListing(post_id=post, tag_id=tag, status=status, published_at=published_at)
            for post, tag, status, published_at in pairs.iterator(chunk_size=batch)
        )
        while chunk := list(islice(rows, batch)):
            TagListing.objects.bulk_create(chunk)
    return TagListing.objects.count()


def post_saved(post):
    """A post's status and date, copied to its listings."""
    TagListing.objects.filter(post=post.pk).update(
        status=post.status, published_at=post.published_at
    )


def tags_changed(instance, action, reverse, pk_set):
    """m2m_changed on Post.tags, from either side: the listings follow."""
    # reverse: ``tag.posts`` changed, so ``instance`` is a tag and ``pk_set`` holds posts.
    side, other = ("tag", "post") if reverse else ("post", "tag")
    mine = TagListing.objects.filter(**{side: instance.pk})
    if action == "post_add":
        posts, tags = (pk_set, [instance.pk]) if reverse else ([instance.pk], pk_set)
        TagListing.objects.bulk_create(listings_for(posts, tags), ignore_conflicts=True)
    elif action == "post_remove":
        mine.filter(**{f"{other}__in": pk_set}).delete()
    elif action == "post_clear":
        mine.delete()
