"""The links and images in author Markdown, each with the source line it is written on.

Read from markdown-it's tokens (core.markdown.syntax), so an address is found exactly
where the renderer finds one: inline and reference links, GFM autolinks, images, links in
tables and footnotes, and ``<a href>``/``<img src>`` written as HTML; never inside code.
The pre-publish checks use it (missing media files, external links checked on demand).
"""

from html.parser import HTMLParser
from typing import NamedTuple

from core.markdown.syntax import markdown_parser

LINK = "link"
IMAGE = "image"
_BREAKS = {"softbreak", "hardbreak"}
_parser = markdown_parser()


class FoundLink(NamedTuple):
    url: str
    line: int  # 1-based, in the Markdown source
    kind: str  # LINK or IMAGE


class _HTMLAddresses(HTMLParser):
    """``<a href>`` and ``<img src>`` in a piece of raw HTML, with the line of each tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": ("href", LINK), "img": ("src", IMAGE)}.get(tag)
        if wanted is None:
            return
        name, kind = wanted
        for attribute, value in attrs:
            if attribute == name and value:
                self.found.append((value.strip(), self.getpos()[0] - 1, kind))

    handle_startendtag = handle_starttag


def _in_html(html, first_line):
    reader = _HTMLAddresses()
    try:
        reader.feed(html)
        reader.close()
    except (AssertionError, ValueError):  # a tag too broken to read: no address from it
        pass
    return [FoundLink(url, first_line + offset, kind) for url, offset, kind in reader.found]


def _in_inline(children, first_line):
    found, line = [], first_line
    for child in children:
        if child.type in _BREAKS:
            line += 1
        elif child.type == "link_open":
            found.append(FoundLink(str(child.attrs.get("href", "")), line, LINK))
        elif child.type == "image":
            found.append(FoundLink(str(child.attrs.get("src", "")), line, IMAGE))
            line += sum(1 for alt in child.children or () if alt.type in _BREAKS)
        elif child.type == "html_inline":
            found += _in_html(child.content, line)
    return found


def links_in(markdown_text):
    """Every link and image in ``markdown_text`` as ``FoundLink``, in the order of the text.

    The same address written twice is listed twice, each with its own line.
    """
    found = []
    for token in _parser.parse(markdown_text or "", {}):
        if token.map is None:
            continue
        first_line = token.map[0] + 1
        if token.type == "inline":
            found += _in_inline(token.children or (), first_line)
        elif token.type == "html_block":
            found += _in_html(token.content, first_line)
    return sorted(found, key=lambda link: link.line)
