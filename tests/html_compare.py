"""HTML compared by structure: the normal form the conformance tests compare.

Two fragments are the same when they parse to the same elements, attributes and text,
whatever the attribute order, quoting, entity spelling (``&amp;`` or ``&#38;``), ``<br>`` or
``<br />``, and whitespace between blocks or runs of it inside text (``<pre>`` keeps its own).
This follows the normalisation of the CommonMark spec's own runner (``test/normalize.py``).

A few differences of spelling between markdown-it and the spec are folded too, each a way of
writing the same thing rather than a different structure:

- typography (the site's smart quotes, dashes and ellipsis) back to straight quotes,
  ``--``, ``---`` and ``...``: the site writes them on purpose (docs/authoring.md);
- ``<s>`` as ``<del>`` and ``style="text-align: x"`` as ``align="x"`` (GFM's spelling);
- the classes markdown-it adds to task lists, which GFM's examples do not have.
"""

import re
from html.parser import HTMLParser

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "col",
    "colgroup", "dd", "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "form", "frame", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "head", "header", "hr", "html", "iframe", "legend", "li", "link", "main", "menu",
    "menuitem", "nav", "noframes", "ol", "optgroup", "option", "p", "param", "pre", "section",
    "source", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
    "track", "ul",
}  # fmt: skip
TYPOGRAPHY = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2014": "---", "\u2013": "--",
     "\u2026": "..."}
)  # fmt: skip
TASK_CLASSES = {"task-list-item", "contains-task-list", "task-list-item-checkbox"}
_ALIGN = re.compile(r"^text-align:\s*(\w+);?$")
_SPACE = re.compile(r"\s+")


class _Normalizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []  # ("tag", text) or ("text", text)
        self.in_pre = 0

    def _start(self, tag, attrs):
        tag = "del" if tag == "s" else tag
        cleaned = []
        for name, value in attrs:
            value = value or ""
            if name == "style" and (align := _ALIGN.match(value)):
                name, value = "align", align[1]
            if name == "class":
                value = " ".join(c for c in value.split() if c not in TASK_CLASSES)
                if not value:
                    continue
            cleaned.append((name, value))
        rendered = "".join(
            f' {name}="{value.translate(TYPOGRAPHY)}"' for name, value in sorted(cleaned)
        )
        return tag, f"<{tag}{rendered}>"

    def handle_starttag(self, tag, attrs):
        tag, text = self._start(tag, attrs)
        self.parts.append(("block" if tag in BLOCK_TAGS else "tag", text))
        self.in_pre += tag == "pre"

    def handle_startendtag(self, tag, attrs):
        tag, text = self._start(tag, attrs)
        self.parts.append(("block" if tag in BLOCK_TAGS else "tag", text))

    def handle_endtag(self, tag):
        tag = "del" if tag == "s" else tag
        self.parts.append(("block" if tag in BLOCK_TAGS else "tag", f"</{tag}>"))
        self.in_pre -= tag == "pre" and self.in_pre > 0

    def handle_data(self, data):
        data = data.translate(TYPOGRAPHY)
        self.parts.append(("pre" if self.in_pre else "text", data))

    def handle_comment(self, data):
        self.parts.append(("tag", f"<!--{data}-->"))

    def handle_decl(self, decl):
        self.parts.append(("tag", f"<!{decl}>"))

    def handle_pi(self, data):
        self.parts.append(("tag", f"<?{data}>"))

    def unknown_decl(self, data):
        self.parts.append(("tag", f"<![{data}]>"))


def normalize_html(fragment):
    """``fragment`` in the normal form described above, as one string."""
    parser = _Normalizer()
    parser.feed(fragment)
    parser.close()
    merged = []  # adjacent text joined, so that whitespace is judged once
    for kind, text in parser.parts:
        if merged and kind == merged[-1][0] and kind in {"text", "pre"}:
            merged[-1] = (kind, merged[-1][1] + text)
        else:
            merged.append((kind, text))
    out = []
    for index, (kind, text) in enumerate(merged):
        if kind == "text":
            text = _SPACE.sub(" ", text)
            if index == 0 or merged[index - 1][0] == "block":
                text = text.lstrip()
            if index == len(merged) - 1 or merged[index + 1][0] == "block":
                text = text.rstrip()
        out.append(text)
    return "".join(out)
