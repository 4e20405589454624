"""Template helpers for site-wide furniture."""

from functools import cache
from urllib.parse import urlencode

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import mark_safe

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


@cache
def script_source(path):
    with open(finders.find(path), encoding="utf-8") as script:
        return script.read().strip()


@register.simple_tag
def inline_script(path):
    """A small static script of ours inlined, for what must run before the first paint."""
    return mark_safe(f"<script>{script_source(path)}</script>")  # nosec B308 B703 # our own file
