"""The image link previews show for a post: its featured image, else a card drawn for it.

A card shows the post's title and summary, its author's initials and the site's name.
Its address carries a fingerprint of those four, so when any of them changes (the post
edited, the author or the site renamed) the article names a new card on its next render;
the page cache starts a new content version on each of those saves. The image behind an
address is drawn on its first request (``card``) and kept in media storage, so no save
and no bulk change ever has to redraw cards, however many posts the site has.
"""

from typing import NamedTuple

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from core.images import cards

from .models import Post

ONE_YEAR = 365 * 24 * 60 * 60


class ShareImage(NamedTuple):
    url: str
    width: int
    height: int
    alt: str


def card_parts(post, site_name):
    """What a post's card shows, in ``cards.render_card``'s order."""
    return (post.title, post.summary, site_name, post.author.initials)


def card_fingerprint(post, site_name):
    return cards.fingerprint(*card_parts(post, site_name))


def share_image(post, site_name):
    """The image link previews of ``post`` show, with its size."""
    if post.featured_image:
        return ShareImage(
            post.featured_image.url,
            post.featured_image_width,
            post.featured_image_height,
            post.featured_image_alt,
        )
    url = reverse(
        "blog:card", kwargs={"slug": post.slug, "fingerprint": card_fingerprint(post, site_name)}
    )
    return ShareImage(url, *cards.SIZE, post.title)


def card(request, slug, fingerprint):
    """A published post's card as PNG, drawn the first time its address is asked for.

    Only the post's current fingerprint is drawn; any other is a 404, so no request
    draws an image the site never linked to.
    """
    post = get_object_or_404(Post.objects.published().select_related("author"), slug=slug)
    site_name = request.site_settings.site_name
    current = card_fingerprint(post, site_name)
    if fingerprint != current:
        raise Http404("No such card.")
    name = f"cards/{post.slug}-{current}.png"
    if default_storage.exists(name):
        with default_storage.open(name) as stored:
            image = stored.read()
    else:
        image = cards.render_card(*card_parts(post, site_name))
        default_storage.save(name, ContentFile(image))
    response = HttpResponse(image, content_type="image/png")
    # The address names what the image shows: it never changes.
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response
