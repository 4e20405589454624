"""Template helpers for site-wide furniture."""

from urllib.parse import urlencode

from django import template

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
