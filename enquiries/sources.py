"""Where an enquiry came from: the ?from= of a call to action, else the Referer.

Both come from the visitor's browser, so they are reduced to a short run of URL-safe
characters before they are stored or shown; nothing else about them is trusted.
"""

import re
from urllib.parse import urlsplit

SOURCE_MAX_LENGTH = 100
UNSAFE = re.compile(r"[^A-Za-z0-9._~%/-]+")


def clean_source(value):
    return UNSAFE.sub("", value or "")[:SOURCE_MAX_LENGTH]


def source_from_request(request):
    """The ?from= value; else the referring path on this site, or the referring site's host."""
    if "from" in request.GET:
        return clean_source(request.GET["from"])
    try:
        referer = urlsplit(request.headers.get("Referer", ""))
    except ValueError:  # e.g. an unbalanced "[" in the host
        return ""
    if not referer.netloc:
        return ""
    if referer.netloc != request.get_host():
        return clean_source(referer.netloc)
    if referer.path == request.path:  # a reload says nothing about where they came from
        return ""
    return clean_source(referer.path)
