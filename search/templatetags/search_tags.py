from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..indexing import HIGHLIGHT_START, HIGHLIGHT_STOP

register = template.Library()


@register.filter
def highlight(snippet):
    """A search snippet as HTML: everything escaped, matched terms in ``<mark>``."""
    html = escape(snippet or "")
    return mark_safe(html.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>"))
