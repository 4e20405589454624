"""What author Markdown may link to by name: ``post:slug``, ``book:slug``.

Each app offers its own kind of page (blog.apps offers posts, books.apps books), so the
renderer, the slug history and the link checker know every kind without importing the
apps above the blog.
"""

from typing import NamedTuple


class LinkTarget(NamedTuple):
    prefix: str  # "post", as in post:slug
    model: type  # has a unique ``slug``
    url_name: str  # reversed with slug=...
    noun: str  # "post", as in "no published post has this address"
    visible: object  # callable: the queryset of those readers can open


TARGETS = {}


def offer(prefix, model, url_name, visible=None, noun=None):
    """Let Markdown link to ``model`` objects as ``prefix:slug``."""
    TARGETS[prefix] = LinkTarget(
        prefix, model, url_name, noun or prefix, visible or model._default_manager.all
    )


def target_for(model):
    """The ``LinkTarget`` of ``model``, or None when Markdown cannot name it."""
    return next((target for target in TARGETS.values() if target.model is model), None)
