"""Markdown to safe HTML: Python-Markdown's extensions, our tree shaping, nh3's allowlist.

The site renders every text through blog.rendering, which adds what only it knows
(where ``post:slug`` links lead, which images were uploaded) to this renderer.
"""

import html
import re
from typing import NamedTuple
from urllib.parse import urlsplit

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from pygments.token import STANDARD_TYPES

from core.images.pictures import responsive_images
from core.markdown.headings import ANCHOR_CLASS, HeadingAnchors, heading_slug, toc_html

MARKDOWN_EXTENSIONS = [
    "tables",
    "fenced_code",
    "codehilite",
    "footnotes",
    "toc",
    "sane_lists",
    "smarty",
    "attr_list",
    "admonition",
]
MARKDOWN_EXTENSION_CONFIGS = {
    # Pygments classes only: the colours live in the site stylesheet, no client JS.
    "codehilite": {"css_class": "highlight", "guess_lang": False},
    "toc": {"permalink": False, "slugify": heading_slug},
    "smarty": {"smart_angled_quotes": False},
}

# Classes an author may use; anything else in a class attribute is dropped.
AUTHOR_CLASSES = {"pullquote", "takeaways", "note", "tip", "warning"}
PYGMENTS_CLASSES = {name for name in STANDARD_TYPES.values() if name}

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
    "ul": AUTHOR_CLASSES,
    "ol": AUTHOR_CLASSES,
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
    # Code and tables scroll sideways when wide; a tab stop lets keyboard users scroll them.
    set_tag_attribute_values={"pre": {"tabindex": "0"}, "table": {"tabindex": "0"}},
    strip_comments=True,
)


def unchanged(value):
    return value


class ArticleTreeprocessor(Treeprocessor):
    """Shape the tree for an article page.

    - an ``# h1`` in the body becomes an ``h2``: the title is the page's only h1;
    - a pull quote's class, which attr_list puts on the quoted paragraph, moves to
      the blockquote so the whole quote can be styled;
    - table headers get ``scope`` for screen readers;
    - each link's address goes through ``resolve_link`` (the blog turns ``post:slug``
      into the post's address now);
    - links to other sites get ``rel="noopener"``;
    - images load lazily.
    """

    def __init__(self, md, resolve_link):
        super().__init__(md)
        self.resolve_link = resolve_link

    def run(self, root):
        for element in root.iter():
            if element.tag == "h1":
                element.tag = "h2"
            elif element.tag == "blockquote":
                self.lift_pullquote(element)
            elif element.tag == "a":
                href = self.resolve_link(element.get("href", ""))
                element.set("href", href)
                if is_external(href):
                    element.set("rel", "noopener")
            elif element.tag == "th":
                element.set("scope", "col")
            elif element.tag == "img":
                element.set("loading", "lazy")
                element.set("decoding", "async")

    @staticmethod
    def lift_pullquote(blockquote):
        for child in blockquote:
            classes = child.get("class", "").split()
            if "pullquote" in classes:
                classes.remove("pullquote")
                if classes:
                    child.set("class", " ".join(classes))
                else:
                    child.attrib.pop("class")
                blockquote.set("class", "pullquote")


class ArticleExtension(Extension):
    def __init__(self, resolve_link=unchanged):
        super().__init__()
        self.resolve_link = resolve_link

    def extendMarkdown(self, md):
        # After attr_list (priority 8) has placed author classes, before the
        # toc extension (priority 5) gives headings their ids.
        md.treeprocessors.register(ArticleTreeprocessor(md, self.resolve_link), "article", 6)
        # After the toc extension, so the contents list and ids read the bare heading.
        md.treeprocessors.register(HeadingAnchors(md), "heading_anchors", 4)


def is_external(href):
    parts = urlsplit(href)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


class Rendered(NamedTuple):
    html: str
    toc_html: str  # the H2/H3 contents list; "" when there are fewer than two


def render_article(text, lead_image=False, resolve_link=unchanged, renditions_of=None):
    """Render author Markdown to sanitized HTML and its table of contents, in one pass.

    Uploaded images then become responsive pictures (``core.images.pictures``): our own markup,
    added after sanitizing, so authors still cannot write ``srcset`` or ``<source>``.
    ``lead_image`` fetches the first image first instead of lazily. ``resolve_link`` maps
    each link's address; ``renditions_of`` finds the stored renditions of uploaded images.
    The site's renderer (blog.rendering) passes both.
    """
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS, ArticleExtension(resolve_link)],
        extension_configs=MARKDOWN_EXTENSION_CONFIGS,
        output_format="html",
    )
    html = _cleaner.clean(md.convert(text or ""))
    body = responsive_images(html, lead_image=lead_image, renditions_of=renditions_of)
    return Rendered(body, toc_html(md.toc_tokens))


_HEADING_ANCHOR = re.compile(rf'<a [^>]*class="{ANCHOR_CLASS}"[^>]*>.*?</a>')
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|div|li|h[1-6]|br|tr|td|th|blockquote|pre|ul|ol|table|dt|dd|hr|summary)\b)"
)


def html_to_text(fragment):
    """The readable text of an HTML fragment, with block boundaries as spaces."""
    spaced = _BLOCK_TAG.sub(" <", _HEADING_ANCHOR.sub("", fragment))
    text = html.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(text.split())
