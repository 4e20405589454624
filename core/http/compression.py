"""Compressed responses: brotli for public pages, gzip for the rest of the text.

Django's GZipMiddleware does the gzip part, with its mitigation for BREACH
(up to 100 random bytes in every gzip header, "Heal the Breach"); CSRF tokens
are also masked differently in every response, so compressing pages that hold
one does not reveal it. Brotli has no such padding here, so it is used only
for public pages: the same bytes for every reader, no secret to guess, no
cookie set. Those are also the only responses the page cache stores, compressed
once per variant (``negotiated_encoding``).

Only text is compressed: images, fonts and files are compressed already.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.http import split_directive_names

try:
    import brotli
except ImportError:  # optional: without it, gzip only
    brotli = None

# Quality 5 compresses HTML better than gzip at a similar speed; 11 takes tens
# of milliseconds for a long article, which a cold page would pay.
BROTLI_QUALITY = 5
MIN_LENGTH = 200  # shorter responses are not worth it (GZipMiddleware's threshold)

TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml",
              "application/json", "application/ld+json", "application/javascript",
              "image/svg+xml")  # fmt: skip


def accepted_encodings(request):
    """The content codings the client accepts, ignoring those it refuses with ``q=0``."""
    accepted = set()
    for item in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        name, _, params = item.strip().lower().partition(";")
        quality = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            refused = float(quality) == 0
        except ValueError:
            refused = False
        if name and not refused:
            accepted.add(name.strip())
    return accepted


def negotiated_encoding(request):
    """Which variant of a public page this request gets: ``br``, ``gzip`` or ``identity``."""
    accepted = accepted_encodings(request)
    if brotli is not None and "br" in accepted:
        return "br"
    return "gzip" if "gzip" in accepted else "identity"


def is_public(response):
    return "public" in split_directive_names(response.get("Cache-Control", "")) and not (
        response.cookies
    )


def is_text(response):
    return response.get("Content-Type", "").startswith(TEXT_TYPES)


class CompressionMiddleware(GZipMiddleware):
    """GZipMiddleware for text responses, and brotli for public pages when the client takes it."""

    def process_response(self, request, response):
        if not is_text(response) or response.has_header("Content-Encoding"):
            return response
        if (
            not response.streaming
            and is_public(response)
            and negotiated_encoding(request) == "br"
            and len(response.content) >= MIN_LENGTH
        ):
            return self.brotli(response)
        return super().process_response(request, response)

    def brotli(self, response):
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag  # as GZipMiddleware does (RFC 9110 8.8.1)
        response.headers["Content-Encoding"] = "br"
        return response
