"""When the next scheduled post goes live, so HTTP caches never show it late.

Visibility itself is decided at query time (``Post.objects.published()``), so a
scheduled post needs no cron job. But a page that lists posts may sit in a
browser, proxy or page cache; views whose pages show posts (``ShowsPostsMixin``,
or ``next_scheduled_at()`` passed to ``cache_for_readers``) tell the caching
policy (core/http/caching.py) to keep them no longer than the next scheduled
``published_at``.

That moment is kept in the cache framework, refreshed whenever a post is saved
or deleted and once it has passed, so serving a page costs no query.
"""

import math

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

CACHE_KEY = "blog:next-scheduled-at"
# A backstop for changes made behind the ORM's back (a shell ``update()``):
# the moment is looked up again at least this often.
CACHE_TIMEOUT = 60 * 60


def _lookup():
    from .models import Post

    return (
        Post.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def refresh():
    """Look the next scheduled moment up again and remember it (``None``: nothing scheduled)."""
    moment = _lookup()
    # Wrapped in a tuple: a bare None would read as a cache miss.
    cache.set(CACHE_KEY, (moment,), CACHE_TIMEOUT)
    return moment


def next_scheduled_at():
    """The earliest future ``published_at`` of a published post, or ``None``."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        return refresh()
    (moment,) = cached
    if moment is not None and moment <= timezone.now():
        return refresh()  # that post is live now; find the one after it
    return moment


def seconds_until_next_post():
    """Whole seconds until the next scheduled post appears, or ``None`` when none is scheduled."""
    moment = next_scheduled_at()
    if moment is None:
        return None
    return max(0, math.ceil((moment - timezone.now()).total_seconds()))


def posts_changed():
    """After posts changed (blog.signals): the next scheduled moment may have moved."""
    # Now, so the pages served within this transaction see it; and after the
    # commit, when edits made at the same time by others are visible too.
    refresh()
    transaction.on_commit(refresh)


class ShowsPostsMixin:
    """For reader views whose pages list or link to posts: cached until the next one goes live.

    Put before ``ReaderCacheMixin`` (core.http.caching), whose ``valid_until`` it answers.
    """

    def valid_until(self):
        return next_scheduled_at()
