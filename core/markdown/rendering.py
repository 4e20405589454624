"""Markdown to safe HTML: markdown-it's tokens (core.markdown.syntax), shaped for an article,
highlighted by Pygments and sanitized by nh3's allowlist.

The site renders every text through blog.rendering, which adds what only it knows
(where ``post:slug`` links lead, which images were uploaded) to this renderer.
"""

import html
import re
from typing import NamedTuple
from urllib.parse import urlsplit

import nh3
from markdown_it.common.utils import escapeHtml, unescapeAll
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES
from pygments.util import ClassNotFound

from core.images.pictures import responsive_images
from core.markdown.headings import ANCHOR_CLASS, shape_headings, toc_html
from core.markdown.syntax import markdown_parser, parse_attributes
from core.markdown.tables import wrap_tables

# Classes an author may use; anything else in a class attribute is dropped. The last two
# come from GitHub's alerts (> [!IMPORTANT], > [!CAUTION]).
AUTHOR_CLASSES = {"pullquote", "takeaways", "note", "tip", "warning", "important", "caution"}
PYGMENTS_CLASSES = {name for name in STANDARD_TYPES.values() if name}
TASK_LIST_CLASS = "contains-task-list"
TASK_CLASS = "task-list-item"

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "rel", "id", "aria-label"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"},
    "sup": {"id"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start", "reversed", "type"},
    "abbr": {"title"},
    "details": {"open"},
}  # fmt: skip
ALLOWED_CLASSES = {
    "div": {"highlight", "footnote", "admonition", "toc", *AUTHOR_CLASSES},
    "p": {"admonition-title", *AUTHOR_CLASSES},
    "blockquote": AUTHOR_CLASSES,
    "ul": {TASK_LIST_CLASS, *AUTHOR_CLASSES},
    "ol": {TASK_LIST_CLASS, *AUTHOR_CLASSES},
    "li": {TASK_CLASS},
    "span": PYGMENTS_CLASSES,
    "a": {"footnote-ref", "footnote-backref", ANCHOR_CLASS},
}
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "form", "textarea", "svg"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    # Code scrolls sideways when wide; a tab stop lets keyboard users scroll it. (Tables
    # scroll in the region core.markdown.tables puts around them, which has its own.)
    set_tag_attribute_values={"pre": {"tabindex": "0"}},
    strip_comments=True,
)


def unchanged(value):
    return value


def is_external(href):
    parts = urlsplit(href)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


# Code: Pygments classes only (the colours live in the site stylesheet, no client JS), the
# language an author names and never a guessed one.
_formatter = HtmlFormatter(cssclass="highlight", wrapcode=True)
_FENCE_LANGUAGE = re.compile(r"[^\s{]+")


def fence_language(info):
    """The language of a fence's info string: ``yaml`` of ``yaml {linenos=true}``, and
    ``python`` of ``{.python}``; the attributes themselves are ignored."""
    info = unescapeAll(info).strip()
    if info.startswith("{"):
        classes = [v for k, v in parse_attributes(info.strip("{}:")) or () if k == "class"]
        return classes[0] if classes else ""
    match = _FENCE_LANGUAGE.match(info)
    return match[0] if match else ""


def highlighted(code, language):
    """``code`` as ``div.highlight > pre > code`` with Pygments' token classes."""
    try:
        lexer = get_lexer_by_name(language, stripnl=False) if language else None
    except ClassNotFound:
        lexer = None
    return highlight(code, lexer or TextLexer(stripnl=False), _formatter)


# A blank line after each block, as Python-Markdown left: unchanged posts keep their HTML.
def _render_fence(self, tokens, index, options, env):
    return highlighted(tokens[index].content, fence_language(tokens[index].info)) + "\n"


def _render_code_block(self, tokens, index, options, env):
    return highlighted(tokens[index].content, "") + "\n"


def _render_list_item(self, tokens, index, options, env):
    # A task's box as a character: an <input> has no place in sanitized author HTML.
    token = tokens[index]
    opening = self.renderToken(tokens, index, options, env)
    if token.meta and "checked" in token.meta:
        return opening + ("\u2611 " if token.meta["checked"] else "\u2610 ")
    return opening


# Footnotes with Python-Markdown's markup and ids (fn:label, fnref:label), which the
# stylesheet and links into earlier posts know.
def _footnote_ids(token):
    label = escapeHtml(str(token.meta.get("label") or token.meta["id"] + 1))
    sub = token.meta.get("subId", 0)
    return f"fn:{label}", f"fnref{sub + 1 if sub else ''}:{label}", token.meta["id"] + 1


def _render_footnote_ref(self, tokens, index, options, env):
    note, ref, number = _footnote_ids(tokens[index])
    return f'<sup id="{ref}"><a class="footnote-ref" href="#{note}">{number}</a></sup>'


def _render_footnote_anchor(self, tokens, index, options, env):
    _, ref, number = _footnote_ids(tokens[index])
    return (
        f'&#160;<a class="footnote-backref" href="#{ref}" '
        f'title="Jump back to footnote {number} in the text">&#8617;</a>'
    )


def _render_footnote_open(self, tokens, index, options, env):
    note, _, _ = _footnote_ids(tokens[index])
    return f'<li id="{note}">\n'


def _article_parser():
    md = markdown_parser()
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("list_item_open", _render_list_item)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("footnote_anchor", _render_footnote_anchor)
    md.add_render_rule("footnote_open", _render_footnote_open)
    md.add_render_rule("footnote_close", lambda *args: "</li>\n")
    md.add_render_rule("footnote_block_open", lambda *args: '<div class="footnote">\n<hr>\n<ol>\n')
    md.add_render_rule("footnote_block_close", lambda *args: "</ol>\n</div>\n")
    return md


_parser = _article_parser()


def _classes(token):
    return str(token.attrs.get("class", "")).split()


def _lift_pullquote(tokens, index):
    """A pull quote's class, which ``{: .pullquote }`` puts on the quoted paragraph, moves
    to the blockquote so the whole quote can be styled."""
    quote = tokens[index]
    depth = 0
    for token in tokens[index + 1 :]:
        if depth == 0 and token.nesting == 1 and "pullquote" in _classes(token):
            classes = [c for c in _classes(token) if c != "pullquote"]
            if classes:
                token.attrSet("class", " ".join(classes))
            else:
                del token.attrs["class"]
            quote.attrSet("class", "pullquote")
        depth += token.nesting
        if depth < 0:
            return


def shape(tokens, resolve_link):
    """Shape markdown-it's tokens for an article page.

    - an ``# h1`` in the body becomes an ``h2``: the title is the page's only h1;
    - a pull quote's class moves to its blockquote;
    - GitHub's alerts (``> [!NOTE]``) become admonitions, like ``!!! note``;
    - table headers get ``scope`` for screen readers (and cells lose markdown-it's
      alignment styles, which the sanitizer would drop anyway);
    - each link's address goes through ``resolve_link`` (the blog turns ``post:slug``
      into the post's address now); links to other sites get ``rel="noopener"``;
    - images load lazily.
    """
    for index, token in enumerate(tokens):
        if token.type in {"heading_open", "heading_close"} and token.tag == "h1":
            token.tag = "h2"
        elif token.type == "blockquote_open":
            _lift_pullquote(tokens, index)
        elif token.type == "alert_open":
            token.attrSet("class", f"admonition {token.meta['kind'].lower()}")
        elif token.type == "alert_title_open":
            token.attrSet("class", "admonition-title")
        elif token.type in {"th_open", "td_open"}:
            token.attrs.pop("style", None)
            if token.type == "th_open":
                token.attrSet("scope", "col")
        elif token.type == "inline":
            for child in token.children or ():
                if child.type == "link_open":
                    href = resolve_link(str(child.attrs.get("href", "")))
                    child.attrSet("href", href)
                    if is_external(href):
                        child.attrSet("rel", "noopener")
                elif child.type == "image":
                    child.attrSet("loading", "lazy")
                    child.attrSet("decoding", "async")
    return tokens


def _sort_attributes(tokens):
    # In name order, as Python-Markdown wrote them: the same post gives the same HTML.
    for token in tokens:
        if len(token.attrs) > 1:
            token.attrs = dict(sorted(token.attrs.items()))
        if token.children:
            _sort_attributes(token.children)


class Rendered(NamedTuple):
    html: str
    toc_html: str  # the H2/H3 contents list; "" when there are fewer than two
    # (first source line, tag) of each top-level block, in order: the editor's preview
    # finds a line's place on the page with them. Lines count from 0; the tag is the
    # element the block renders as ("" when unknown: raw HTML). Never stored.
    blocks: tuple = ()


# The element each block becomes at the top of the body: code in its highlighting box, a
# table in its scrolling region (core.markdown.tables); raw HTML could be anything.
_BLOCK_ELEMENTS = {"fence": "div", "code_block": "div", "table_open": "div", "html_block": ""}


def source_blocks(tokens):
    """(first line, tag) of each top-level block token that has a place in the source."""
    return tuple(
        (token.map[0], _BLOCK_ELEMENTS.get(token.type, token.tag))
        for token in tokens
        if token.level == 0 and token.nesting >= 0 and token.map
    )


def render_article(text, lead_image=False, resolve_link=unchanged, renditions_of=None):
    """Render author Markdown to sanitized HTML and its table of contents, in one pass.

    Uploaded images then become responsive pictures (``core.images.pictures``) and tables go in
    a scrolling region (``core.markdown.tables``): our own markup, added after sanitizing, so
    authors still cannot write ``srcset``, ``<source>``, ``role`` or ``tabindex``.
    ``lead_image`` fetches the first image first instead of lazily. ``resolve_link`` maps
    each link's address; ``renditions_of`` finds the stored renditions of uploaded images.
    The site's renderer (blog.rendering) passes both.
    """
    env = {}
    tokens = shape(_parser.parse(text or "", env), resolve_link)
    contents = shape_headings(tokens)
    _sort_attributes(tokens)
    html = _cleaner.clean(_parser.renderer.render(tokens, _parser.options, env).strip())
    body = responsive_images(wrap_tables(html), lead_image=lead_image, renditions_of=renditions_of)
    return Rendered(body, toc_html(contents), source_blocks(tokens))


_HEADING_ANCHOR = re.compile(rf'<a [^>]*class="{ANCHOR_CLASS}"[^>]*>.*?</a>')
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|div|li|h[1-6]|br|tr|td|th|blockquote|pre|ul|ol|table|dt|dd|hr|summary)\b)"
)


def html_to_text(fragment):
    """The readable text of an HTML fragment, with block boundaries as spaces."""
    return " ".join(html_to_lines(fragment).split())


def html_to_lines(fragment):
    """The readable text of an HTML fragment, one line per block (paragraph, cell, item).

    Search snippets start and end at these lines: without them a table's cells ran
    together ("…Section Before After…") with nothing to tell where a sentence begins.
    """
    spaced = _BLOCK_TAG.sub("\n<", _HEADING_ANCHOR.sub("", fragment))
    text = html.unescape(nh3.clean(spaced, tags=set()))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
