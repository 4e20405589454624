from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from ..snippets import readable

register = template.Library()


@register.filter
def highlight(snippet, body=""):
    """A search snippet as HTML: whole sentences, everything escaped, matches in ``<mark>``."""
    html = escape(readable(snippet, body or ""))
    # Escaped above; only the marker characters become <mark> tags.
    marked = html.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(marked)  # nosec B308 B703
