"""Section headings: their ids, a self-link on each, and the table of contents built from them.

Every heading gets an id made from its text, so an anchor stays the same as long as the
heading's wording does; repeated headings get ``_1``, ``_2``… in order, and an id the author
set (``## Heading {#id}``) is kept. These are the ids Python-Markdown's toc extension gave,
so links into posts written before the switch to markdown-it still land. ``shape_headings``
works on markdown-it's tokens: it sets the ids, ends every h2 and h3 with a link to itself,
and returns the entries ``toc_html()`` turns into the list the article shows.
"""

import re
import unicodedata

from django.utils.html import format_html, format_html_join
from markdown_it.token import Token

ANCHORED_HEADINGS = {"h2", "h3"}
ANCHOR_CLASS = "heading-anchor"
ANCHOR_TEXT = "#"
ANCHOR_LABEL = "Link to this section"
TOC_LEVELS = (2, 3)
SEPARATOR = "-"


def _slugify(value, separator, keep_unicode=False):
    # Python-Markdown's toc.slugify, so that ids stay what they were.
    if not keep_unicode:
        value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


def heading_slug(text, separator=SEPARATOR):
    """An ASCII slug when the heading has Latin letters, else one in its own script.

    ASCII first keeps the ids earlier posts already have ("Naïve" → "naive");
    a heading in Chinese, Japanese, Russian… would otherwise get an empty slug
    and a meaningless "_1".
    """
    return _slugify(text, separator) or _slugify(text, separator, keep_unicode=True)


_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def _unique(slug, used, counters):
    """``slug``, or the first free ``slug_1``, ``slug_2``… (``base_n`` counts up from ``n``).

    ``counters`` remembers the last number each base took, so that a thousand headings of
    the same words cost a thousand steps, not half a million.
    """
    while slug in used or not slug:
        match = _NUMBERED.match(slug)
        base, number = (match[1], int(match[2])) if match else (slug, 0)
        number = max(number, counters.get(base, 0)) + 1
        counters[base] = number
        slug = f"{base}_{number}"
    used.add(slug)
    return slug


def heading_text(inline):
    """What a reader reads of a heading: its text and code, without markup or footnote marks."""
    return "".join(
        " " if child.type in {"softbreak", "hardbreak"} else child.content
        for child in inline.children or ()
        if child.type in {"text", "code_inline", "softbreak", "hardbreak"}
    ).strip()


def shape_headings(tokens):
    """Give every heading of ``tokens`` its id and every h2 and h3 its self-link.

    Returns the contents entries: ``{"level", "id", "name", "children"}`` per heading, h3s
    nested under the h2 before them (as Python-Markdown's ``toc_tokens``).
    """
    headings = [
        (token, tokens[index + 1])
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]
    used = {token.attrs["id"] for token, _ in headings if token.attrs.get("id")}
    entries, parents, counters = [], [], {}
    for token, inline in headings:
        name = heading_text(inline)
        slug = token.attrs.get("id") or _unique(heading_slug(name), used, counters)
        token.attrSet("id", slug)
        if token.tag in ANCHORED_HEADINGS:
            inline.children = [*(inline.children or []), *self_link(slug)]
        entry = {"level": int(token.tag[1]), "id": slug, "name": name, "children": []}
        while parents and parents[-1]["level"] >= entry["level"]:
            parents.pop()
        (parents[-1]["children"] if parents else entries).append(entry)
        parents.append(entry)
    return entries


def self_link(slug):
    """The tokens of the small ``#`` link to a heading, for readers who share a section."""
    opening = Token("link_open", "a", 1)
    opening.attrs = {"class": ANCHOR_CLASS, "href": f"#{slug}", "aria-label": ANCHOR_LABEL}
    text = Token("text", "", 0)
    text.content = ANCHOR_TEXT
    return [opening, text, Token("link_close", "a", -1)]


def toc_html(entries):
    """The table of contents as a nested ``<ol>`` of H2 and H3 links, or "" under two entries.

    ``entries`` are ``shape_headings``' entries; their names are plain text, escaped here.
    """
    entries = [entry for entry in entries if entry["level"] in TOC_LEVELS]
    count = len(entries) + sum(
        1 for entry in entries for child in entry["children"] if child["level"] in TOC_LEVELS
    )
    if count < 2:  # one link is no table of contents
        return ""
    return _toc_list(entries)


def _toc_list(entries):
    items = format_html_join(
        "",
        '<li><a href="#{}">{}</a>{}</li>',
        (
            (
                entry["id"],
                entry["name"],
                _toc_list([c for c in entry["children"] if c["level"] in TOC_LEVELS]),
            )
            for entry in entries
        ),
    )
    return format_html("<ol>{}</ol>", items) if entries else ""
