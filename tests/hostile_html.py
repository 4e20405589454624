"""Checks shared by the hostile-input tests: is this HTML safe to put in a page?

The HTML is parsed the way a browser would (html5lib), then the tree is checked, so
tricks that fool a regex (case, entities, whitespace, unclosed tags) do not fool these.
"""

import json
import re

from bs4 import BeautifulSoup

# Elements that run code, load other documents or post data: never in author HTML.
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "option", "svg", "math", "base", "link", "meta",
    "template", "noscript", "portal", "video", "audio", "source", "track", "marquee",
    "isindex", "xmp", "plaintext", "noembed", "noframes", "dialog", "canvas",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "srcset", "action", "formaction", "poster", "background", "data", "cite",
    "xlink:href", "codebase", "dynsrc", "lowsrc", "ping", "longdesc",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "formaction", "xlink:href"}
DANGEROUS_SCHEME = re.compile(r"^(javascript|data|vbscript|livescript|mocha|jar|file):")
# What browsers drop before reading a URL's scheme (the WHATWG URL parser): tabs and
# newlines anywhere, control characters and spaces at either end.
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def parse_fragment(fragment):
    """``fragment`` inside ``<div id=root>``, then a sentinel: (soup, root, sentinel)."""
    soup = BeautifulSoup(f'<div id="root">{fragment}</div><span id="sentinel"></span>', "html5lib")
    return soup, soup.find(id="root"), soup.find(id="sentinel")


def dangerous_url(value):
    cleaned = _TAB_OR_NEWLINE.sub("", value).strip("".join(map(chr, range(0x21)))).lower()
    return bool(DANGEROUS_SCHEME.match(cleaned))


def url_values(name, value):
    if name == "srcset":
        return [candidate.strip().split(" ")[0] for candidate in value.split(",")]
    return [value]


def problems_in_element(element, allowed_scripts=()):
    """What is unsafe about ``element`` itself (not its children)."""
    found = []
    if element.name in FORBIDDEN_ELEMENTS and element not in allowed_scripts:
        found.append(f"<{element.name}> element")
    for name, value in element.attrs.items():
        value = " ".join(value) if isinstance(value, list) else value
        lowered = name.lower()
        if lowered.startswith("on"):
            found.append(f"event handler {name}= on <{element.name}>")
        if lowered in FORBIDDEN_ATTRIBUTES:
            found.append(f"{name}= on <{element.name}>")
        if lowered in URL_ATTRIBUTES and any(
            dangerous_url(url) for url in url_values(lowered, value)
        ):
            found.append(f"{name}={value!r} on <{element.name}>")
    return found


def fragment_problems(fragment):
    """Everything unsafe about sanitized author HTML, as readable strings (empty: safe)."""
    soup, root, sentinel = parse_fragment(fragment)
    found = []
    body = soup.body
    # Balanced: the fragment closes everything it opens and closes nothing it did not open,
    # so the container ends where it should and nothing follows it but the sentinel.
    if [child for child in body.children] != [root, sentinel]:
        found.append("the fragment escapes its container (an unbalanced or stray tag)")
    if sentinel.find_parent(id="root") is not None:
        found.append("an unclosed tag swallows what follows the fragment")
    if soup.head and list(soup.head.children):
        found.append("the fragment put elements into <head>")
    for element in [root, *root.find_all(True)]:
        found.extend(problems_in_element(element))
    return found


# In a whole page: the templates' own head, forms and icons are fine; these never are.
PAGE_FORBIDDEN = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal"}


def page_problems(html):
    """Everything unsafe in a whole page: only our own scripts, JSON-LD that parses,
    no handlers or script URLs anywhere. Payloads in tests carry the marker ``1337``."""
    soup = BeautifulSoup(html, "html5lib")
    found = []
    for script in soup.find_all("script"):
        if script.get("type") == "application/ld+json":
            try:
                json.loads(script.string or "")
            except ValueError:
                found.append("JSON-LD that does not parse (broken out of?)")
        elif script.get("src", "").startswith("/static/"):
            continue
        elif script.get("src") or script.get("type") or "1337" in (script.string or ""):
            found.append(f"a script that is not ours: {str(script)[:80]}")
    for element in soup.find_all(True):
        if element.name in PAGE_FORBIDDEN:
            found.append(f"<{element.name}> element")
        found.extend(
            problem
            for problem in problems_in_element(element)
            if not problem.endswith(f"<{element.name}> element")
        )
    return found
