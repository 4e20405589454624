"""When the next scheduled post goes live, so HTTP caches never show it late.

Visibility itself is decided at query time (``Post.objects.published()``), so a
scheduled post needs no cron job. But a page that lists posts may sit in a
browser, proxy or page cache; pages that show posts are kept no longer than the
seconds left until the next scheduled ``published_at`` (site_config/caching.py,
site_config/page_cache.py).

That moment is kept in the cache framework, refreshed whenever a post is saved
or deleted and once it has passed, so serving a page costs no query.
"""

import math

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

CACHE_KEY = "blog:next-scheduled-at"
# A backstop for changes made behind the ORM's back (a shell ``update()``):
# the moment is looked up again at least this often.
CACHE_TIMEOUT = 60 * 60


def _lookup():
    from .models import Post

    now = timezone.now()
    return (
        Post.objects.filter(status=Post.Status.PUBLISHED, published_at__gt=now)
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


def post_changed(sender, **kwargs):
    # Now, so the pages served within this transaction see it; and after the
    # commit, when edits made at the same time by others are visible too.
    refresh()
    transaction.on_commit(refresh)


def connect(post_model):
    post_save.connect(post_changed, sender=post_model, dispatch_uid="blog-scheduling-save")
    post_delete.connect(post_changed, sender=post_model, dispatch_uid="blog-scheduling-delete")
