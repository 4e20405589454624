"""Template helpers for site-wide furniture."""

from django import template

register = template.Library()


@register.filter
def is_current(url, path):
    """Whether a navigation target is the page being shown, or a section containing it."""
    if url == "/":
        return path == "/"
    return url.startswith("/") and path.startswith(url)
