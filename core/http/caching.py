"""The site's HTTP caching policy for reader pages.

Browsers keep a public page ``PUBLIC_MAX_AGE`` seconds; shared caches (nginx,
a CDN) keep it ``SHARED_MAX_AGE`` seconds and may serve it
``STALE_WHILE_REVALIDATE`` seconds longer while they fetch a fresh copy. That
short shared lifetime is how edits reach readers behind a proxy; the page cache
inside Django (core/http/page_cache.py) is invalidated exactly instead.

A page may also know the moment it will change by itself: a page listing posts
changes when the next scheduled post goes live. The view passes that moment in
(``until``), and no cache keeps the page past it. This module never asks which
moment that is, so it depends on no app.
"""

import math

from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC_MAX_AGE = 300
SHARED_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 60


def public_cache_control(until=None):
    """The Cache-Control directives of a public page, as ``patch_cache_control`` arguments.

    ``until`` is the moment the page changes by itself (or None): copies, stale
    ones included, are kept no longer than that.
    """
    max_age, s_maxage, stale = PUBLIC_MAX_AGE, SHARED_MAX_AGE, STALE_WHILE_REVALIDATE
    if until is not None:
        seconds = max(0, math.ceil((until - timezone.now()).total_seconds()))
        max_age, s_maxage = min(max_age, seconds), min(s_maxage, seconds)
        # A browser may also show a stale copy once max-age runs out: none past the moment.
        stale = min(stale, seconds - max(max_age, s_maxage))
    directives = {"public": True, "max_age": max_age, "s_maxage": s_maxage}
    if stale:
        directives["stale_while_revalidate"] = stale
    return directives


def cache_for_readers(request, response, preview=False, until=None):
    """Let browsers and proxies keep public pages; never keep previews or signed-in views.

    Public pages are also marked for the page cache, which stores only what went
    through here, and no longer than ``until`` (the moment the page changes by
    itself, if it knows one).
    """
    if preview or request.user.is_authenticated:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    else:
        patch_cache_control(response, **public_cache_control(until))
        response.for_readers = True
        response.valid_until = until
    if preview:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


class ReaderCacheMixin:
    """For class-based views whose pages every reader sees alike.

    Override ``valid_until()`` on views whose pages change by themselves at a
    known moment (blog.scheduling.ShowsPostsMixin: pages that list posts).
    """

    def valid_until(self):
        return None

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return cache_for_readers(self.request, response, until=self.valid_until())
