"""Section headings: their ids, a self-link on each, and the table of contents built from them.

Python-Markdown's toc extension gives every heading an id made from its text,
so an anchor stays the same as long as the heading's wording does; repeated
headings get ``_1``, ``_2``… in order. ``HeadingAnchors`` then adds the
self-link, and ``toc_html()`` turns the extension's tokens into the list the
article shows.
"""

from html import unescape
from xml.etree import ElementTree  # nosec B405 # builds Markdown's tree, parses no XML

from django.utils.html import format_html, format_html_join
from markdown.extensions.toc import slugify, slugify_unicode
from markdown.treeprocessors import Treeprocessor

ANCHORED_HEADINGS = {"h2", "h3"}
ANCHOR_CLASS = "heading-anchor"
ANCHOR_TEXT = "#"
ANCHOR_LABEL = "Link to this section"
TOC_LEVELS = (2, 3)


def heading_slug(text, separator):
    """An ASCII slug when the heading has Latin letters, else one in its own script.

    ASCII first keeps the ids earlier posts already have ("Naïve" → "naive");
    a heading in Chinese, Japanese, Russian… would otherwise get an empty slug
    and a meaningless "_1".
    """
    return slugify(text, separator) or slugify_unicode(text, separator)


class HeadingAnchors(Treeprocessor):
    """Ends every h2 and h3 with a small link to itself, for readers who share a section."""

    def run(self, root):
        for heading in root.iter():
            if heading.tag in ANCHORED_HEADINGS and heading.get("id"):
                anchor = ElementTree.SubElement(
                    heading,
                    "a",
                    {
                        "class": ANCHOR_CLASS,
                        "href": f"#{heading.get('id')}",
                        "aria-label": ANCHOR_LABEL,
                    },
                )
                anchor.text = ANCHOR_TEXT


def toc_html(tokens):
    """The table of contents as a nested ``<ol>`` of H2 and H3 links, or "" under two entries.

    ``tokens`` is Python-Markdown's ``md.toc_tokens``; their names are already
    HTML-escaped text, so they are unescaped once before escaping again here.
    """
    entries = [token for token in tokens if token["level"] in TOC_LEVELS]
    count = len(entries) + sum(
        1 for token in entries for child in token["children"] if child["level"] in TOC_LEVELS
    )
    if count < 2:  # one link is no table of contents
        return ""
    return _toc_list(entries)


def _toc_list(tokens):
    items = format_html_join(
        "",
        '<li><a href="#{}">{}</a>{}</li>',
        (
            (
                token["id"],
                unescape(token["name"]),
                _toc_list([c for c in token["children"] if c["level"] in TOC_LEVELS]),
            )
            for token in tokens
        ),
    )
    return format_html("<ol>{}</ol>", items) if tokens else ""
