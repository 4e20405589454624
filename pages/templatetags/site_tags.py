"""Template helpers for site-wide furniture."""

from urllib.parse import urlencode, urlsplit

from django import template
from django.utils.safestring import mark_safe

from core.http.csp import inline_script_source

register = template.Library()


@register.filter
def is_current(url, path):
    """Whether a navigation target is the page being shown, or a section containing it."""
    if url == "/":
        return path == "/"
    return url.startswith("/") and path.startswith(url)


@register.filter
def with_source(url, source):
    """The call-to-action URL, telling the enquiry form which page the visitor came from."""
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({'from': source})}"


@register.filter
def display_address(url):
    """A profile's address as readers say it: ``https://www.github.com/ab/`` → ``github.com/ab``."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    return f"{host}{parts.path}".rstrip("/") or url


@register.simple_tag
def inline_script(path):
    """A small static script of ours inlined, for what must run before the first paint.

    Only scripts listed in core.http.csp.INLINE_SCRIPTS, whose hashes the
    Content-Security-Policy allows; any other path is an error.
    """
    source = inline_script_source(path)
    return mark_safe(f"<script>{source}</script>")  # nosec B308 B703 # our own file, not input
