"""Keeping the search index in step with posts and tags.

Every change that alters what a post's search document holds (the post saved,
its tags changed, a tag renamed or deleted, posts changed in bulk) rewrites that
post's row in ``SearchDocument`` (search/signals.py decides when); deleting a post
deletes its row by cascade. Whether a post
is published is not indexed: searches filter with ``Post.objects.published()``,
so scheduled posts appear on time without reindexing.
"""

from blog.models import Post
from core.markdown.rendering import html_to_lines

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
        "body": html_to_lines(post.body_html),  # lines: see search.snippets
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
