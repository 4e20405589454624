"""Render stored Markdown again: after the renderer changed, or what it links to moved.

Posts are derived again exactly as a save derives them (blog.derivation); every other
model that stores rendered Markdown names its fields in ``RENDERED_FIELDS``
({source: target}) and is found by that. Rows are written with ``update()``, so a
post's "updated" date stays the writer's, and each change is then announced
(core.changes), so the search index, tag listings, suggestions, cached site settings
and the page cache follow as after a save.
"""

from django.apps import apps
from django.db.models import Q

from core.changes import announce

from . import derivation
from .rendering import render_markdown


def rendered_texts():
    """The models besides Post that store rendered Markdown, with their fields."""
    return [
        (model, model.RENDERED_FIELDS)
        for model in apps.get_models()
        if getattr(model, "RENDERED_FIELDS", None)
    ]


def rerender(containing=None):
    """Render again what contains ``containing`` in its Markdown (everything when None).

    Returns how many posts and texts were rendered.
    """
    from .models import Post

    count = 0
    # Texts first: a post's reading time counts its FAQ answers as rendered.
    for model, fields in rendered_texts():
        items = model._default_manager.all()
        if containing is not None:
            items = items.filter(
                Q.create([(f"{source}__contains", containing) for source in fields], Q.OR)
            )
        changed = []
        for row in items.values("pk", *fields):
            rendered = {target: render_markdown(row[source]) for source, target in fields.items()}
            changed.append(row["pk"])
            model._default_manager.filter(pk=row["pk"]).update(**rendered)
        if changed:
            count += len(changed)
            announce(model, changed)

    posts = Post.objects.all()
    if containing is not None:
        posts = posts.filter(body__contains=containing)
    changed = []
    for post in posts.defer("terms"):
        Post.objects.filter(pk=post.pk).update(**derivation.derive(post).fields())
        changed.append(post.pk)
    if changed:
        count += len(changed)
        # Every post, on a full run: "any row" lets the handlers rebuild in bulk rather
        # than filter on a list of every id.
        announce(Post, None if containing is None else changed)
    return count
