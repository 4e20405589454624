"""A cache of whole public pages for anonymous readers, invalidated exactly.

A warm page costs two cache reads and no SQL query. Stored are the responses
that went through the reader policy in core/http/caching.py as public, once
per (content version, scheme and host, path and query, compressed variant).
The variant is the coding negotiated for the request (core/http/compression.py),
which the compressor then compresses the page to; a body in any other coding is
never stored, so what one request says it accepts cannot decide what another gets.

Invalidation is a single key: saving or deleting anything readers can see
(a post, tag, author, book, testimonial, site setting, navigation item,
service, redirect...) replaces the site's content version (core/signals.py),
so every stored page is skipped from the next request on. A page that shows posts is also
stored no longer than the moment its view says it changes by itself (the next
scheduled post, for pages that list posts: blog/scheduling.py).
Changes made behind the ORM's back (``QuerySet.update()``, ``bulk_create()``)
send no signal: their code calls ``core.changes.announce()``, which does the same;
``migrate``, which every deploy runs, starts a new version too, and
``PAGE_CACHE_SECONDS`` bounds the rest.

Never stored or served from the cache: requests carrying a session cookie
(signed-in authors; checking the cookie's presence keeps anonymous requests
away from the session store), the admin and preview links, and responses that
set a cookie (a CSRF token), are not a plain 200, vary on anything but Cookie
and Accept-Encoding, say private, no-store or no-cache, or are in a coding other
than their key's.

Why not Django's UpdateCacheMiddleware/FetchFromCacheMiddleware: their key
prefix is fixed at start-up (no content version), a copy lives only as long as
the page's max-age, and their key includes every header named in Vary, so the
``Vary: Cookie`` of every page here would split readers by their cookies.
"""

import contextlib
import functools
import hashlib
import secrets
import threading
import time

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe, split_directive_names

from core.http.accept_encoding import IDENTITY
from core.http.caching import public_cache_control
from core.http.compression import negotiated_encoding

VERSION_KEY = "pages:content-version"
# Pages are stored in their own cache (settings.CACHES["pages"]), the content version
# beside the rest of the site's state in the default one: anonymous requests choose
# which pages get stored, and must not be able to push the version, rate limits or
# anything else out by storing many.
PAGES_CACHE = "pages"
# Part of every page's key: raise it whenever Entry or what a key names changes, so
# that a deploy never reads pages stored by the code before it (even without `migrate`).
# 4: the encoding is negotiated per RFC 9110; format 3 could hold a gzip body under the
# key of requests that asked for no coding (issue 14).
ENTRY_FORMAT = 4


HIT, MISS = "hit", "miss"

# Each worker also keeps the pages it served last in its own memory, up to
# PAGE_CACHE_MEMORY_BYTES: a warm page then costs one shared read (the content
# version, a few bytes) instead of two, and no unpickling or inflating of the
# page. The keys carry the content version, so an edit saved through any worker
# retires these copies at the same moment as the shared ones.
local_pages = LRUCache(maxsize=settings.PAGE_CACHE_MEMORY_BYTES, getsizeof=lambda entry: entry.size)
local_pages_lock = threading.Lock()  # cachetools' caches are not thread-safe


# --- The content version -------------------------------------------------------


def content_version():
    """The current content version; every stored page is keyed by it."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.token_hex(8)
        # Random, never a counter: a version lost from the cache must not bring
        # back pages stored under an older one.
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY, version)
    return version


def content_changed(**kwargs):
    """Start a new content version: every page renders again on its next request."""
    cache.set(VERSION_KEY, secrets.token_hex(8), timeout=None)


# --- The middleware ------------------------------------------------------------


class PageCacheMiddleware:
    """Serve anonymous GET and HEAD requests for public pages from the cache.

    Sits above the compression and conditional-GET middleware, so it stores a
    page compressed, with its ETag, and answers a matching If-None-Match or
    If-Modified-Since with a 304 straight from the cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.eligible(request):
            return self.get_response(request)
        key = page_key(request)  # the version is read before rendering, never after
        entry = self.lookup(key)
        if entry is not None and entry.valid():
            return entry.respond(request)
        response = self.get_response(request)
        if request.method == "GET":
            self.store(key, negotiated_encoding(request), response)
        response.headers["X-Page-Cache"] = MISS
        return response

    def eligible(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(private_paths(settings.ROOT_URLCONF))
        )

    def lookup(self, key):
        with local_pages_lock:
            entry = local_pages.get(key)
        if entry is None:
            entry = caches[PAGES_CACHE].get(key)
            if entry is not None:
                remember(key, entry)
        return entry

    def store(self, key, coding, response):
        timeout = settings.PAGE_CACHE_SECONDS
        if not getattr(response, "for_readers", False) or not storable(response, coding):
            return
        valid_until = response.valid_until
        if valid_until is not None:
            timeout = min(timeout, (valid_until - timezone.now()).total_seconds())
        if timeout < 1:
            return
        if not response.has_header("Last-Modified"):
            response.headers["Last-Modified"] = http_date(time.time())
        entry = Entry(response, valid_until, expires_at=time.time() + int(timeout))
        caches[PAGES_CACHE].set(key, entry, timeout=int(timeout))
        remember(key, entry)


def remember(key, entry):
    if entry.size <= local_pages.maxsize:
        with local_pages_lock:
            local_pages[key] = entry


@functools.cache
def private_paths(urlconf):
    """Never shared, whatever their headers say: the admin and preview links."""
    paths = []
    for name, args in [("admin:index", []), ("previews:post", ["token"])]:
        with contextlib.suppress(NoReverseMatch):  # a URLconf without them
            paths.append(reverse(name, urlconf=urlconf, args=args).removesuffix("token/"))
    return tuple(paths)


def page_key(request):
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
    encoding = negotiated_encoding(request)
    return f"pages:page:{ENTRY_FORMAT}:{content_version()}:{encoding}:{digest}"


def storable(response, coding):
    """Whether a response may be stored under a key that names ``coding``.

    Uncompressed is fine under any key: the compressor leaves a page uncompressed when
    compressing would not make it smaller, whatever the request accepts.
    """
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.get("Content-Encoding", IDENTITY) not in (coding, IDENTITY):
        return False
    directives = set(split_directive_names(response.get("Cache-Control", "")))
    if "public" not in directives or directives & {"private", "no-store", "no-cache"}:
        return False
    return set(split_directive_names(response.get("Vary", ""))) <= {"cookie", "accept-encoding"}


class Entry:
    """A stored page: status, headers and (compressed) body, and until when it holds."""

    __slots__ = ("status", "headers", "content", "valid_until", "expires_at")

    def __init__(self, response, valid_until, expires_at):
        self.status = response.status_code
        self.headers = list(response.headers.items())
        self.content = response.content
        self.valid_until = valid_until
        self.expires_at = expires_at

    @property
    def size(self):
        return len(self.content) + 1024  # the headers and the object, roughly

    def valid(self):
        # The shared cache drops an entry at its timeout; a worker's own copy has
        # to check. And the moment a scheduled post goes live is what counts,
        # read from the same clock as published().
        if time.time() >= self.expires_at:
            return False
        return self.valid_until is None or timezone.now() < self.valid_until

    def respond(self, request):
        response = HttpResponse(self.content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        if self.valid_until is not None:
            # The copy is current, but the moment it changes is closer than when
            # it was stored: cap browsers' and proxies' copies again. A later
            # change of that moment (a schedule edited) is an edit, which retires
            # this copy, so no cache read is needed here.
            del response.headers["Cache-Control"]
            directives = public_cache_control(self.valid_until)
            patch_cache_control(response, **directives)
        response.headers["X-Page-Cache"] = HIT
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
