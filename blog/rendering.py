"""The site's renderer: every piece of author Markdown becomes HTML here.

Core's renderer (core.markdown.rendering) plus what only the site knows: a
``post:slug`` or ``book:slug`` link points at that page's address now, following
renames (blog.linking, blog.slugs), and an image uploaded through the editor
becomes a ``<picture>`` with its stored renditions (``BodyImage``).

``render_markdown`` is also django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION,
so the admin preview shows exactly the HTML readers get.
"""

import re

from django.urls import reverse

from core.markdown import rendering

from .linking import TARGETS
from .models import BodyImage, OldSlug

INTERNAL_LINK = re.compile(r"^([a-z]+):([-\w]+)$")


def resolve_internal_link(href):
    """``post:slug``/``book:slug`` as the current URL, following renames.

    A link to something that does not exist keeps the address it names, which
    answers 404 until a post or book takes that slug.
    """
    match = INTERNAL_LINK.match(href)
    target = TARGETS.get(match[1]) if match else None
    if target is None:
        return href
    slug = OldSlug.objects.current_slug(target.model, match[2])
    return reverse(target.url_name, kwargs={"slug": slug})


def uploaded_renditions(names):
    """``{name: renditions}`` of the editor uploads among ``names``, in one query."""
    return dict(BodyImage.objects.filter(name__in=names).values_list("name", "renditions"))


def render_article(text, lead_image=False):
    """Author Markdown as sanitized HTML and its table of contents (``Rendered``)."""
    return rendering.render_article(
        text,
        lead_image=lead_image,
        resolve_link=resolve_internal_link,
        renditions_of=uploaded_renditions,
    )


def render_markdown(text, lead_image=False):
    """Author Markdown as sanitized HTML, ready to mark safe in templates."""
    return render_article(text, lead_image=lead_image).html
