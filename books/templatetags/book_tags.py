"""Template helpers for book pages and the book card."""

from django import template

from core.images.pictures import picture_html

register = template.Library()


@register.simple_tag
def book_cover(book, width, eager=False):
    """The cover as an <img> shown ``width`` CSS pixels wide, with the height its shape gives.

    Giving the display size (not the file's) keeps the page from shifting as covers load,
    and keeps a cover a sensible size even where the books stylesheet is not loaded.
    Covers below the fold load lazily; pass ``eager`` for the one a reader sees first.
    With renditions, the browser picks the smallest file sharp at that width.
    """
    width = int(width)
    if book.cover_width and book.cover_height:
        height = round(width * book.cover_height / book.cover_width)
    else:
        height = round(width * 3 / 2)  # the usual 2:3 cover
    picture = book.cover_picture._replace(width=width, height=height)
    return picture_html(picture, f"{width}px", priority=eager, css_class="book-cover")
