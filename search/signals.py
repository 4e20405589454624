"""Keeping the search index in step: which changes rewrite which posts' search documents.

Connected once, from ``SearchConfig.ready``. The document itself is computed by
``search.indexing.document_fields``.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from blog.models import Post, Tag
from core.changes import changed_in_bulk

from . import indexing


def post_saved(sender, instance, **kwargs):
    indexing.index_post(instance)


def post_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # reverse: tag.posts.add(...) etc., where pk_set holds post ids.
    if action == "pre_clear" and reverse:
        instance._search_posts_to_reindex = list(instance.posts.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"}:
        if not reverse:
            indexing.index_posts([instance.pk])
        elif action == "post_clear":
            indexing.index_posts(instance.__dict__.pop("_search_posts_to_reindex", []))
        else:
            indexing.index_posts(pk_set)


def tag_saved(sender, instance, created, **kwargs):
    if not created:  # a new tag has no posts yet
        indexing.index_posts(instance.posts.values_list("pk", flat=True))


def tag_deleting(sender, instance, **kwargs):
    # Deleting a tag removes its post links without m2m_changed; remember the posts.
    instance._search_posts_to_reindex = list(instance.posts.values_list("pk", flat=True))


def tag_deleted(sender, instance, **kwargs):
    indexing.index_posts(instance.__dict__.pop("_search_posts_to_reindex", []))


def posts_changed_in_bulk(sender, pks, **kwargs):
    if pks is None:
        indexing.rebuild_index()
    else:
        indexing.index_posts(pks)


def tags_changed_in_bulk(sender, pks, **kwargs):
    tags = Tag.objects.all() if pks is None else Tag.objects.filter(pk__in=pks)
    indexing.index_posts(Post.objects.filter(tags__in=tags).values_list("pk", flat=True).distinct())


def connect():
    uid = "search.signals"
    post_save.connect(post_saved, sender=Post, dispatch_uid=uid)
    m2m_changed.connect(post_tags_changed, sender=Post.tags.through, dispatch_uid=uid)
    post_save.connect(tag_saved, sender=Tag, dispatch_uid=uid)
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid=uid)
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid=uid)
    changed_in_bulk.connect(posts_changed_in_bulk, sender=Post, dispatch_uid=uid)
    changed_in_bulk.connect(tags_changed_in_bulk, sender=Tag, dispatch_uid=uid)
