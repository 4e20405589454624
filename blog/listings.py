"""Tag pages at a constant cost: each post's tags, copied with what orders and filters them.

A tag page lists a tag's published posts, newest first. Through the many-to-many
table alone, the database can only walk all posts in date order and check each one's
tags: page 500 of a tag on one post in five reads 25,000 posts. ``TagListing`` keeps,
for each (tag, post), the post's status and publication date under one index in the
page's own order, so any page of a tag skips index entries, as the blog index does
(blog.pagination).

Kept in step by signals: a post's save (its status and date), its tags changing from
either side (``post.tags``, ``tag.posts``), and deletes (cascades). ``generate_posts``,
which saves nothing, writes the rows itself; after changes made in SQL, ``manage.py
rebuild_tag_listings`` writes them all again.
"""

from itertools import islice

from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone


class TagListing(models.Model):
    tag = models.ForeignKey("blog.Tag", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10)
    published_at = models.DateTimeField(null=True)

    class Meta:
        app_label = "blog"
        constraints = [models.UniqueConstraint(fields=["tag", "post"], name="tag_listing_unique")]
        indexes = [
            models.Index(
                fields=["tag", "status", "-published_at", "-post"], name="tag_listing_order"
            )
        ]

    def __str__(self):
        return f"{self.tag_id} → {self.post_id}"


def published_in(tag):
    """The listings of ``tag``'s published posts, newest first (as ``Post.objects.published()``)."""
    from .models import Post

    return TagListing.objects.filter(
        tag=tag, status=Post.Status.PUBLISHED, published_at__lte=timezone.now()
    ).order_by("-published_at", "-post")


def listings_for(post_ids, tag_ids):
    """New rows pairing each of these posts with each of these tags."""
    from .models import Post

    posts = Post.objects.filter(pk__in=post_ids).values_list("pk", "status", "published_at")
    return [
        TagListing(post_id=post, tag_id=tag, status=status, published_at=published_at)
        for post, status, published_at in posts
        for tag in tag_ids
    ]


def rebuild(batch=5000):
    """Every listing written again from the posts' tags; returns how many there are."""
    from .models import Post

    pairs = Post.tags.through.objects.values_list(
        "post", "tag", "post__status", "post__published_at"
    ).order_by("pk")
    with transaction.atomic():
        TagListing.objects.all().delete()
        rows = (
            TagListing(post_id=post, tag_id=tag, status=status, published_at=published_at)
            for post, tag, status, published_at in pairs.iterator(chunk_size=batch)
        )
        while chunk := list(islice(rows, batch)):
            TagListing.objects.bulk_create(chunk)
    return TagListing.objects.count()


def post_saved(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture carries the listings too
        return
    TagListing.objects.filter(post=instance.pk).update(
        status=instance.status, published_at=instance.published_at
    )


def tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
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


def connect(Post):
    post_save.connect(post_saved, sender=Post, dispatch_uid="tag-listing-post")
    m2m_changed.connect(tags_changed, sender=Post.tags.through, dispatch_uid="tag-listing-tags")
