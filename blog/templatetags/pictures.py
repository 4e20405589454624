"""``{% picture %}``: one way to show an uploaded image everywhere (core.images.pictures)."""

from django import template

from core.images.pictures import ARTICLE_SIZES, picture_html

register = template.Library()


@register.simple_tag
def picture(image, sizes=ARTICLE_SIZES, priority=False):
    """``image`` (a ``core.images.pictures.Picture``) as ``<picture>`` with srcset, sizes, width and
    height. Pass ``priority=True`` for the first, largest image a reader sees; all others
    load lazily. ``{% picture post.featured_picture priority=True %}``"""
    if not image:
        return ""
    return picture_html(image, sizes, priority)
