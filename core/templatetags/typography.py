"""Typographic quotes, dashes and ellipses in every short text a reader sees.

Markdown bodies get them from the renderer (core.markdown.syntax, markdown-it's
typographer); titles, ledes, summaries, FAQ questions and the site's own texts are
plain text and get them here, where they are drawn, from SmartyPants. The author's
source is never changed: search, feeds' titles, meta descriptions and structured data
keep it as typed.
"""

import re

import smartypants
from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

# Curly quotes, -- as an en dash and --- as an em dash (as in bodies), ... as an ellipsis,
# written as characters, not entities.
ATTRIBUTES = smartypants.Attr.q | smartypants.Attr.D | smartypants.Attr.e | smartypants.Attr.u
# SmartyPants turns a backslash-escaped character (\" for a straight quote) into an entity;
# it is given back as the character, which escaping then makes safe.
_ESCAPED = re.compile(r"&#(34|39|45|46|92|96);")


def smarten(text):
    """``text`` (plain, not HTML) with typographic punctuation, still plain."""
    if not text or not any(mark in text for mark in "'\"-."):
        return text or ""
    return _ESCAPED.sub(lambda match: chr(int(match[1])), smartypants.smartypants(text, ATTRIBUTES))


@register.filter(is_safe=True)
def smart(value):
    """A plain text as HTML with typographic punctuation: "Isn't" becomes “Isn’t”.

    HTML given to it (already safe) is left as it is: it was rendered from Markdown,
    which has its own typographer.
    """
    if hasattr(value, "__html__"):
        return value
    return mark_safe(conditional_escape(smarten(str(value))))  # nosec B308 B703 # escaped
