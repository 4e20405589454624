"""Keeping the search index in step with posts and tags.

Every change that alters what a post's search document holds (the post saved,
its tags changed, a tag renamed or deleted) rewrites that post's row in
``SearchDocument``; deleting a post deletes its row by cascade. Whether a post
is published is not indexed: searches filter with ``Post.objects.published()``,
so scheduled posts appear on time without reindexing.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from blog.models import Post, Tag
from blog.rendering import html_to_text

from .models import SearchDocument

# Private-use characters that mark highlighted terms in snippets (see backends);
# removed from indexed text so no document can fake a highlight.
HIGHLIGHT_START, HIGHLIGHT_STOP = "\ue000", "\ue001"
_MARKERS = str.maketrans("", "", HIGHLIGHT_START + HIGHLIGHT_STOP + "\x00")


def document_fields(post, tag_names):
    """The indexed text of ``post`` (a Post, or the historical model in a migration)."""
    fields = {
        "title": post.title,
        "description": " ".join(filter(None, [post.description, post.meta_description])),
        "tags": " ".join(sorted(tag_names)),
        "body": html_to_text(post.body_html),
    }
    return {name: value.translate(_MARKERS) for name, value in fields.items()}


def index_post(post):
    """Write the search document of one saved post."""
    fields = document_fields(post, [tag.name for tag in post.tags.all()])
    SearchDocument.objects.update_or_create(post=post, defaults=fields)


def index_posts(post_ids):
    """Write the search documents of the posts with these ids (missing ones are skipped)."""
    for post in Post.objects.filter(pk__in=post_ids).prefetch_related("tags"):
        index_post(post)


def rebuild_index():
    """Index every post again, dropping rows of posts that no longer exist."""
    SearchDocument.objects.exclude(post__in=Post.objects.all()).delete()
    index_posts(Post.objects.values_list("pk", flat=True))


def post_saved(sender, instance, **kwargs):
    index_post(instance)


def post_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # reverse: tag.posts.add(...) etc., where pk_set holds post ids.
    if action == "pre_clear" and reverse:
        instance._search_posts_to_reindex = list(instance.posts.values_list("pk", flat=True))
    elif action in {"post_add", "post_remove", "post_clear"}:
        if not reverse:
            index_posts([instance.pk])
        elif action == "post_clear":
            index_posts(instance.__dict__.pop("_search_posts_to_reindex", []))
        else:
            index_posts(pk_set)


def tag_saved(sender, instance, created, **kwargs):
    if not created:  # a new tag has no posts yet
        index_posts(instance.posts.values_list("pk", flat=True))


def tag_deleting(sender, instance, **kwargs):
    # Deleting a tag removes its post links without m2m_changed; remember the posts.
    instance._search_posts_to_reindex = list(instance.posts.values_list("pk", flat=True))


def tag_deleted(sender, instance, **kwargs):
    index_posts(instance.__dict__.pop("_search_posts_to_reindex", []))


def connect_signals():
    uid = "search.indexing"
    post_save.connect(post_saved, sender=Post, dispatch_uid=uid)
    m2m_changed.connect(post_tags_changed, sender=Post.tags.through, dispatch_uid=uid)
    post_save.connect(tag_saved, sender=Tag, dispatch_uid=uid)
    pre_delete.connect(tag_deleting, sender=Tag, dispatch_uid=uid)
    post_delete.connect(tag_deleted, sender=Tag, dispatch_uid=uid)
