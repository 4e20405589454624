"""The site's HTTP caching policy for reader pages.

Browsers keep a public page ``PUBLIC_MAX_AGE`` seconds; shared caches (nginx,
a CDN) keep it ``SHARED_MAX_AGE`` seconds and may serve it
``STALE_WHILE_REVALIDATE`` seconds longer while they fetch a fresh copy. That
short shared lifetime is how edits reach readers behind a proxy; the page cache
inside Django (site_config/page_cache.py) is invalidated exactly instead.
"""

import math

from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from blog.scheduling import seconds_until_next_post

PUBLIC_MAX_AGE = 300
SHARED_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 60
UNKNOWN = object()


def public_cache_control(shows_posts=False, next_post_at=UNKNOWN):
    """The Cache-Control directives of a public page, as ``patch_cache_control`` arguments.

    A page that shows posts is kept, stale copies included, no longer than until
    the next scheduled post goes live, so no cache shows a scheduled post late.
    ``next_post_at`` is that moment (or None) when the caller knows it already.
    """
    max_age, s_maxage, stale = PUBLIC_MAX_AGE, SHARED_MAX_AGE, STALE_WHILE_REVALIDATE
    seconds = None
    if shows_posts and next_post_at is UNKNOWN:
        seconds = seconds_until_next_post()
    elif shows_posts and next_post_at is not None:
        seconds = max(0, math.ceil((next_post_at - timezone.now()).total_seconds()))
    if seconds is not None:
        max_age, s_maxage = min(max_age, seconds), min(s_maxage, seconds)
        # A browser may also show a stale copy once max-age runs out: none past the moment.
        stale = min(stale, seconds - max(max_age, s_maxage))
    directives = {"public": True, "max_age": max_age, "s_maxage": s_maxage}
    if stale:
        directives["stale_while_revalidate"] = stale
    return directives


def cache_for_readers(request, response, preview=False, shows_posts=False):
    """Let browsers and proxies keep public pages; never keep previews or signed-in views.

    Public pages are also marked for the page cache, which stores only what
    went through here (``response.shows_posts`` tells it whether the next
    scheduled post limits the copy's life).
    """
    if preview or request.user.is_authenticated:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    else:
        patch_cache_control(response, **public_cache_control(shows_posts))
        response.shows_posts = shows_posts
    if preview:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


class ReaderCacheMixin:
    """For class-based views whose pages every reader sees alike.

    Set ``shows_posts = True`` on views whose pages list or link to posts.
    """

    shows_posts = False

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return cache_for_readers(self.request, response, shows_posts=self.shows_posts)
