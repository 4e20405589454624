"""``{% picture %}``: one way to show an uploaded image everywhere (core.images.pictures)."""

from django import template
from django.utils.html import format_html

from core.images.pictures import ARTICLE_SIZES, picture_html

register = template.Library()


@register.simple_tag
def picture(image, sizes=ARTICLE_SIZES, priority=False, css_class="", decorative=False):
    """``image`` (a ``core.images.pictures.Picture``) as ``<picture>`` with srcset, sizes, width and
    height. Pass ``priority=True`` for the first, largest image a reader sees; all others
    load lazily. ``decorative`` when the text beside it says all it would (a post card's
    cover beside the title): its alt text is then empty.
    ``{% picture post.featured_picture priority=True %}``"""
    if not image:
        return ""
    if decorative:
        image = image._replace(alt="")
    return picture_html(image, sizes, priority, css_class)


@register.simple_tag
def portrait(author, sizes, css_class, priority=False, decorative=False):
    """An author's portrait (``Author.portrait``) as a responsive image with ``css_class``, or
    their initials in a circle of the same class when they have none. ``decorative`` when
    their name is printed beside it (a byline): the image then has an empty alt text.
    ``{% portrait site.owner "(min-width: 52rem) 20rem, 4.5rem" "portrait portrait-hero" %}``"""
    if author is None:
        return ""
    picture = author.portrait
    if picture is None:
        return format_html(
            '<span class="{} portrait-initials" aria-hidden="true">{}</span>',
            css_class,
            author.initials,
        )
    if decorative:
        picture = picture._replace(alt="")
    return picture_html(picture, sizes, priority, css_class)
