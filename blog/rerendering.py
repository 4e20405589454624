"""Render stored Markdown again: after the renderer changed, or what it links to moved.

Posts are derived again exactly as a save derives them (blog.derivation); every other
model that stores rendered Markdown names its fields in ``RENDERED_FIELDS``
({source: target}) and is found by that. Rows whose stored result differs are written
with ``update()``, so a post's "updated" date stays the writer's, and each change is then
announced (core.changes), so the search index, tag listings, suggestions, cached site
settings and the page cache follow as after a save. What differed is returned, so that
``manage.py rerender`` can list it (``--dry-run``: list only) for an operator to review
after the renderer changed.
"""

from typing import NamedTuple

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


class Rerendered(NamedTuple):
    """What ``rerender`` found: how many rows it looked at, and what differed."""

    checked: int  # posts and texts rendered
    changed_texts: int  # FAQ answers, bios, book descriptions, site texts whose HTML changed
    changed_posts: list  # (title, slug, [changed Post field names]) per post

    @property
    def changed(self):
        return self.changed_texts + len(self.changed_posts)


def rerender(containing=None, dry_run=False):
    """Render again what contains ``containing`` in its Markdown (everything when None).

    Only rows whose stored result differs are written and announced; with ``dry_run``
    nothing is (a post's reading time then counts its FAQ answers as they are stored).
    Returns a ``Rerendered``.
    """
    from .models import Post

    checked = changed_texts = 0
    # Texts first: a post's reading time counts its FAQ answers as rendered.
    for model, fields in rendered_texts():
        items = model._default_manager.all()
        if containing is not None:
            items = items.filter(
                Q.create([(f"{source}__contains", containing) for source in fields], Q.OR)
            )
        changed = []
        for row in items.values("pk", *fields, *fields.values()):
            checked += 1
            rendered = {target: render_markdown(row[source]) for source, target in fields.items()}
            if any(row[target] != html for target, html in rendered.items()):
                changed.append(row["pk"])
                if not dry_run:
                    model._default_manager.filter(pk=row["pk"]).update(**rendered)
        changed_texts += len(changed)
        if changed and not dry_run:
            announce(model, changed)

    posts = Post.objects.all()
    if containing is not None:
        posts = posts.filter(body__contains=containing)
    changed_posts, changed = [], []
    for post in posts.order_by("pk"):
        checked += 1
        derived = derivation.derive(post).fields()
        differing = [name for name, value in derived.items() if getattr(post, name) != value]
        if differing:
            changed_posts.append((post.title, post.slug, differing))
            changed.append(post.pk)
            if not dry_run:
                Post.objects.filter(pk=post.pk).update(**derived)
    if changed and not dry_run:
        # Every post, on a full run: "any row" lets the handlers rebuild in bulk rather
        # than filter on a list of every id.
        announce(Post, None if containing is None else changed)
    return Rerendered(checked, changed_texts, changed_posts)
