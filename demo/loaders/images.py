"""Demo images for `manage.py setup_demo`: a cover for each demo post and a portrait for each
demo author, drawn by demo.artwork and stored through Django's storage like any upload."""

from django.core.files.base import ContentFile
from django.db import transaction

from blog.models import Author, Post
from demo import artwork


def demo_slugs(directory, kind):
    """The slugs of the demo's posts or authors, from their file names (``<slug>.md``)."""
    return sorted(path.stem for path in (directory / "content" / kind).glob("*.md"))


def load(directory):
    """Give the demo's posts their covers and its authors their portraits, once.

    Only while none of them has an image: an image the author changed or removed in the
    admin is theirs, and is not put back by the next `make run`.
    """
    posts = Post.objects.filter(slug__in=demo_slugs(directory, "posts")).order_by("slug")
    authors = Author.objects.filter(slug__in=demo_slugs(directory, "authors")).order_by("slug")
    if not posts.exists() and not authors.exists():
        return "No demo posts or authors; demo images not loaded."
    if posts.exclude(featured_image="").exists() or authors.exclude(avatar="").exists():
        return "Images already present; demo images not loaded."
    with transaction.atomic():
        for index, author in enumerate(authors):
            drawn = artwork.portrait(author.slug, index)
            # Stored as drawn (it is already clean); save() then makes its renditions.
            author.avatar.save(drawn.name, ContentFile(drawn.data), save=False)
            author.save()
        posts = list(posts)
        for index, post in enumerate(posts):
            drawn = artwork.cover(post.slug, index)
            post.featured_image.save(drawn.name, ContentFile(drawn.data), save=False)
            post.featured_image_alt = drawn.alt
            post.save()
    return f"Drew demo images: {len(authors)} portrait(s) and {len(posts)} cover(s)."
