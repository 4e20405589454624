"""The Markdown authors write: CommonMark, GitHub's extensions and a few long-form ones.

``markdown_parser()`` is markdown-it-py's CommonMark preset with:

- GFM: tables, strikethrough (``~~text~~`` or ``~text~``), task lists (``- [ ]``,
  ``- [x]``), autolinks (``www.example.com``, ``https://…``, e-mail addresses) and alerts
  (``> [!NOTE]``);
- footnotes (``[^1]``), definition lists (``Term`` then ``: definition``) and admonitions
  (``!!! note "Title"``, from mdit-py-plugins);
- attribute lists as Python-Markdown wrote them, which the site's posts already use: a
  paragraph's last line ``{: .pullquote }`` gives the paragraph that class, and
  ``## Heading {#id}`` (or ``{: #id }``) gives the heading its id;
- typography like Python-Markdown's smarty: straight quotes become curly ones, ``--`` an en
  dash, ``---`` an em dash, ``...`` an ellipsis; nothing else is replaced (``(c)`` stays).

Raw HTML is parsed as CommonMark says and left for the sanitizer (core.markdown.rendering).
The parser's own ``render()`` gives markdown-it's plain HTML: the CommonMark conformance test
(tests/test_commonmark.py) compares that with the spec; the site renders the same tokens its
own way.
"""

import re

from markdown_it import MarkdownIt
from markdown_it.rules_core.smartquotes import process_inlines
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.admon.index import admonition
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin
from mdit_py_plugins.gfm_autolink import index as gfm_autolink


def markdown_parser():
    """A new markdown-it parser with the site's syntax (module docstring)."""
    md = MarkdownIt("commonmark", {"typographer": True})
    # Not "replacements": it would also turn (c), (tm) and +- into symbols.
    md.enable(["table", "strikethrough", "smartquotes"])
    md.options["tasklists"] = True
    md.options["alerts"] = True
    md.options["strikethrough_single_tilde"] = True  # GFM: one tilde or two
    # Links to any scheme are kept for the sanitizer to judge (it drops javascript:, data:…),
    # rather than left as literal "[text](javascript:…)" text as markdown-it would.
    md.validateLink = lambda url: True
    md.use(gfm_autolink_plugin)
    md.inline.ruler.at("gfm_autolink_www", bounded(gfm_autolink._www_inline_rule))
    md.inline.ruler.at("gfm_autolink_protocol", bounded(protocol_autolink))
    md.inline.ruler.at("gfm_autolink_email", bounded(gfm_autolink._email_rule))
    md.use(footnote_plugin, inline=False)
    md.use(deflist_plugin)
    md.use(admon_plugin)
    md.block.ruler.at(
        "admonition", bang_admonition, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
    # Before inline parsing, so the attribute list is never smartened or linked.
    md.core.ruler.after("block", "attribute_lists", attribute_lists)
    md.core.ruler.after("inline", "inline_attribute_lists", inline_attribute_lists)
    md.core.ruler.after("inline", "whole_email_autolinks", whole_email_autolinks)
    md.core.ruler.at("smartquotes", bounded_smartquotes)
    md.core.ruler.after("smartquotes", "dashes", dashes)
    return md


# GFM autolinks, with their cost bounded. The plugin's rules copy the rest of the text at
# every ":", "@" and "www." and search all the text before a ":" not yet made into tokens:
# time in the square of the length, 45 s for 50,000 characters of "a:a:…". Here an
# address is looked for in the next AUTOLINK_REACH characters only, and a protocol by the
# end of that text alone.
AUTOLINK_REACH = 2048
_PROTOCOLS = ("https", "http", "mailto", "xmpp")


def bounded(rule):
    """``rule`` seeing at most ``AUTOLINK_REACH`` characters after the current position."""

    def bounded_rule(state, silent):
        end = state.posMax
        state.posMax = min(end, state.pos + AUTOLINK_REACH)
        try:
            return rule(state, silent)
        finally:
            state.posMax = end

    return bounded_rule


def protocol_autolink(state, silent):
    """The plugin's ``https://…``, ``mailto:…`` rule, finding the protocol by ``endswith``."""
    if state.linkLevel > 0 or state.src[state.pos] != ":":
        return False
    protocol = next((p for p in _PROTOCOLS if state.pending.endswith(p)), None)
    remaining = state.src[state.pos : state.posMax]
    if protocol is None or len(remaining) < 4:
        return False
    length = len(protocol)
    if not gfm_autolink._preceding_ok(state, length):
        return False
    combined = protocol + remaining
    if protocol in ("mailto", "xmpp"):
        result = gfm_autolink.match_any_email(combined, length + 1, protocol)
    else:
        result = gfm_autolink.match_http(combined)
    if result is None or silent:  # silent: see the plugin's _www_inline_rule
        return False
    url, total = result
    return gfm_autolink._create_autolink(state, length, total, url, combined[:total])


def bang_admonition(state, start_line, end_line, silent):
    """``!!! note`` only: the plugin's collapsible ``??? note`` would turn a paragraph that
    opens with "???" into a box, and the site has no collapsible boxes."""
    if state.src.startswith("?", state.bMarks[start_line] + state.tShift[start_line]):
        return False
    return admonition(state, start_line, end_line, silent)


# Python-Markdown's attr_list: ``{: .class #id key=value }``, the colon optional.
_ATTRIBUTES = r"\{:?[ ]*([^\}\n ][^\n]*)\}"
_HEADING_ATTRIBUTES = re.compile(rf"[ ]+{_ATTRIBUTES}[ ]*$")
_BLOCK_ATTRIBUTES = re.compile(rf"\n[ ]*{_ATTRIBUTES}[ ]*$")
_INLINE_ATTRIBUTES = re.compile(r"^\{:?[ ]*([^\}\n ][^\}\n]*)\}")
_ATTRIBUTE = re.compile(r"""([^ =}]+)=(?:"([^"]*)"|'([^']*)'|([^ =}]+))|([^ =}]+)| +""")
_ATTRIBUTE_NAME = re.compile(r"^[A-Za-z][\w-]*$")
ATTRIBUTE_LIST_REACH = 300  # characters from the end of a heading or paragraph


def parse_attributes(text):
    """``[(name, value)]`` from the inside of an attribute list, or None if it is not one."""
    found, position = [], 0
    while position < len(text):
        match = _ATTRIBUTE.match(text, position)
        if match is None:
            return None
        position = match.end()
        name, double, single, bare, word = match.groups()
        if word:
            if word.startswith("."):
                found.append(("class", word[1:]))
            elif word.startswith("#"):
                found.append(("id", word[1:]))
        elif name:
            value = next(v for v in (double, single, bare) if v is not None)
            found.append((name, value))
    return [(name, value) for name, value in found if value and _ATTRIBUTE_NAME.match(name)]


def _apply(token, attributes):
    for name, value in attributes:
        if name == "class":
            token.attrJoin("class", value)
        else:
            token.attrSet(name, value)


def attribute_lists(state):
    """Move a trailing ``{: … }`` of a heading or paragraph onto it, as Python-Markdown did.

    A paragraph's list must be its last line (as in a pull quote); a heading's ends it. In a
    tight list item, whose paragraph is not rendered, the item gets the attributes.
    """
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == 0 or "{" not in token.content:
            continue
        opening = tokens[index - 1]
        pattern = {"heading_open": _HEADING_ATTRIBUTES, "paragraph_open": _BLOCK_ATTRIBUTES}
        regex = pattern.get(opening.type)
        # Only the end is searched: the list is short, and a long line of " {" would
        # otherwise cost the regex time in the square of its length.
        start = max(0, len(token.content) - ATTRIBUTE_LIST_REACH)
        match = regex.search(token.content, start) if regex else None
        attributes = parse_attributes(match[1]) if match else None
        if attributes is None:
            continue
        content = token.content[: match.start()]
        if opening.type == "heading_open":
            content = content.rstrip("#").rstrip()
        token.content = content
        if opening.hidden:
            opening = next(t for t in reversed(tokens[:index]) if t.type == "list_item_open")
        _apply(opening, attributes)


def inline_attribute_lists(state):
    """Move ``{: … }`` right after an image, link, emphasis or code span onto that element."""
    for block in state.tokens:
        if block.type != "inline" or not block.children or "{" not in block.content:
            continue
        children = block.children
        for index, token in enumerate(children[1:], start=1):
            if token.type != "text" or not token.content.startswith("{"):
                continue
            match = _INLINE_ATTRIBUTES.match(token.content)
            attributes = parse_attributes(match[1]) if match else None
            if attributes is None:
                continue
            previous = children[index - 1]
            if previous.nesting == -1:  # the element's opening token gets them
                depth = 0
                for opening in reversed(children[:index]):
                    depth += opening.nesting
                    if depth == 0:
                        previous = opening
                        break
            elif previous.type not in {"image", "code_inline"}:
                continue
            _apply(previous, attributes)
            token.content = token.content[match.end() :]


_LOCAL_PART = re.compile(r"[A-Za-z0-9.+-]*_[A-Za-z0-9._+-]*$")
_BRACKETED_ADDRESS = re.compile(r"<([^<>\s]*)>")


def whole_email_autolinks(state):
    """Give a bare e-mail address back the part of its name before an underscore.

    mdit-py-plugins' GFM autolinks find an address's name in the text not yet made into
    tokens, and an ``_`` (a possible emphasis) has been: ``first_last@example.com`` would
    link ``last@example.com`` alone.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children or "_" not in block.content:
            continue
        children = block.children
        bracketed = None  # CommonMark's <name@example.com> autolinks, found once per block
        for index in range(1, len(children) - 1):
            before, link, text = children[index - 1 : index + 2]
            href = str(link.attrs.get("href", ""))
            if not (
                link.type == "link_open"
                and link.info == "auto"
                and href.startswith("mailto:")
                and before.type == "text"
                and text.type == "text"
                and not text.content.startswith("mailto:")
            ):
                continue
            # A name has at most 64 characters (RFC 5321): the regex looks no further back.
            tail = before.content[-64:]
            match = _LOCAL_PART.search(tail)
            if match is None:
                continue
            if bracketed is None:
                bracketed = set(_BRACKETED_ADDRESS.findall(block.content))
            if text.content in bracketed:
                continue
            before.content = before.content[: len(before.content) - len(tail) + match.start()]
            text.content = match[0] + text.content
            link.attrSet("href", f"mailto:{match[0]}{href.removeprefix('mailto:')}")


SMART_QUOTES_PER_BLOCK = 2000


def bounded_smartquotes(state):
    """markdown-it's smart quotes, except in a paragraph (or heading, cell…) of more than
    ``SMART_QUOTES_PER_BLOCK`` quotes, which keeps its straight ones.

    markdown-it rewrites a text once per quote in it: a 100,000-character paragraph of
    quotes took 55 s (Python-Markdown's smarty: 7 s). No prose has 2,000 quotes in one
    paragraph.
    """
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        quotes = token.content.count('"') + token.content.count("'")
        if 0 < quotes <= SMART_QUOTES_PER_BLOCK:
            process_inlines(token.children, state)


_TYPOGRAPHY = re.compile(r"--|\.\.\.")
_EM_DASH = re.compile(r"(?<!-)---(?!-)")
_EN_DASH = re.compile(r"(?<!-)--(?!-)")
_ELLIPSIS = re.compile(r"(?<!\.)\.{3}(?!\.)")


def dashes(state):
    """``---``, ``--`` and ``...`` as smarty wrote them: em dash, en dash, ellipsis.

    Not in code, nor in the text of an autolink, whose address it is.
    """
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        in_autolink = 0
        for token in block.children:
            if token.type == "link_open" and token.info == "auto":
                in_autolink += 1
            elif token.type == "link_close" and in_autolink:
                in_autolink -= 1
            elif token.type == "text" and not in_autolink and _TYPOGRAPHY.search(token.content):
                text = _EM_DASH.sub("\u2014", token.content)
                text = _EN_DASH.sub("\u2013", text)
                token.content = _ELLIPSIS.sub("\u2026", text)
