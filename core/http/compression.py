"""Compressed responses: brotli for public pages, gzip for the rest of the text.

Which coding a response gets is negotiated once, from Accept-Encoding read as RFC 9110
says (core/http/accept_encoding.py), and the compressor compresses to exactly that.
For a public page the choice is kept on the request (``negotiated_encoding``), where the
page cache reads it for the page's key: a stored variant is always in the coding its
key names, whatever else the header says. (Django's GZipMiddleware looks for the word
``gzip`` anywhere in the header, so ``gzip;q=0`` got gzip, stored under the key of
requests that asked for no coding: issue 14.)

gzip is done as GZipMiddleware does it, with its mitigation for BREACH (up to 100
random bytes in every gzip header, "Heal the Breach"); CSRF tokens are also masked
differently in every response, so compressing pages that hold one does not reveal it.
Brotli has no such padding here, so it is used only for public pages: the same bytes
for every reader, no secret to guess, no cookie set. Those are also the only responses
the page cache stores, compressed once per variant.

Only text is compressed: images, fonts and files are compressed already.
"""

from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import split_directive_names
from django.utils.text import acompress_sequence, compress_sequence, compress_string

from core.http.accept_encoding import choose_coding

try:
    import brotli
except ImportError:  # optional: without it, gzip only
    brotli = None

# Quality 5 compresses HTML better than gzip at a similar speed; 11 takes tens
# of milliseconds for a long article, which a cold page would pay.
BROTLI_QUALITY = 5
MIN_LENGTH = 200  # shorter responses are not worth it (GZipMiddleware's threshold)
GZIP_RANDOM_BYTES = GZipMiddleware.max_random_bytes  # Heal the Breach's padding

# What each kind of response can be sent in, in order of preference.
PUBLIC_CODINGS = ("br", "gzip") if brotli is not None else ("gzip",)
OTHER_CODINGS = ("gzip",)  # padded against BREACH; brotli is not

TEXT_TYPES = ("text/", "application/xml", "application/rss+xml", "application/atom+xml",
              "application/json", "application/ld+json", "application/javascript",
              "image/svg+xml")  # fmt: skip


def negotiated_encoding(request):
    """Which variant of a public page this request gets: ``br``, ``gzip`` or ``identity``.

    Decided once per request and kept on it as ``request.content_coding``: the page
    cache keys the page by it, and the compressor compresses a public page to it.
    """
    try:
        return request.content_coding
    except AttributeError:
        coding = choose_coding(request.META.get("HTTP_ACCEPT_ENCODING"), PUBLIC_CODINGS)
        request.content_coding = coding
        return coding


def is_public(response):
    return "public" in split_directive_names(response.get("Cache-Control", "")) and not (
        response.cookies
    )


def is_text(response):
    return response.get("Content-Type", "").startswith(TEXT_TYPES)


class CompressionMiddleware(MiddlewareMixin):
    """Text responses in the coding negotiated for the request: brotli only for public pages."""

    def process_response(self, request, response):
        if not is_text(response) or response.has_header("Content-Encoding"):
            return response
        if not response.streaming and len(response.content) < MIN_LENGTH:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        coding = coding_for(request, response)
        if coding == "br":
            return brotli_compressed(response)
        if coding == "gzip":
            return gzip_compressed(response)
        return response


def coding_for(request, response):
    if is_public(response) and not response.streaming:
        return negotiated_encoding(request)  # the coding the page cache's key names
    return choose_coding(request.META.get("HTTP_ACCEPT_ENCODING"), OTHER_CODINGS)


def brotli_compressed(response):
    compressed = brotli.compress(response.content, quality=BROTLI_QUALITY)
    if len(compressed) >= len(response.content):
        return response
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    return encoded(response, "br")


def gzip_compressed(response):
    if response.streaming:
        compress = acompress_sequence if response.is_async else compress_sequence
        response.streaming_content = compress(
            response.streaming_content, max_random_bytes=GZIP_RANDOM_BYTES
        )
        del response.headers["Content-Length"]  # unknown until it has streamed
        return encoded(response, "gzip")
    compressed = compress_string(response.content, max_random_bytes=GZIP_RANDOM_BYTES)
    if len(compressed) >= len(response.content):
        return response
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    return encoded(response, "gzip")


def encoded(response, coding):
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag  # as GZipMiddleware does (RFC 9110 8.8.1)
    response.headers["Content-Encoding"] = coding
    return response
