"""Images a body refers to, found on disk, for the pipeline to upload.

Readers know where their platform keeps images (Jekyll: the site's folders; Hugo: the page
bundle, ``static/``, ``assets/``); this module finds the addresses written in a Markdown
body and looks for each one in the folders a reader names.
"""

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

# ![alt](address "title"), ![alt](<address>), <img src="address">
_MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'(][^)]*)?\)")
_HTML_IMAGE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.I)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".webp"}


def image_addresses(markdown):
    """Every image address in ``markdown``, in order, once each."""
    found = _MARKDOWN_IMAGE.findall(markdown) + _HTML_IMAGE.findall(markdown)
    return list(dict.fromkeys(found))


def is_external(address):
    parts = urlsplit(address)
    return bool(parts.scheme or parts.netloc) or address.startswith("data:")


def find_file(address, relative_to, roots, strip_prefix=""):
    """The file an address names: relative ones beside ``relative_to`` first, then under
    each of ``roots`` (a site's folders served at ``/``). Never outside those folders."""
    path = unquote(urlsplit(address).path)
    if strip_prefix and path.startswith(strip_prefix.rstrip("/") + "/"):
        path = path[len(strip_prefix.rstrip("/")) :]
    places = [] if path.startswith("/") else [relative_to]
    places += list(roots)
    for folder in places:
        folder = Path(folder).resolve()
        candidate = (folder / path.lstrip("/")).resolve()
        if candidate.is_relative_to(folder) and candidate.is_file():
            return candidate
    return None


def collect(post, relative_to, roots, strip_prefix=""):
    """Put the body's local images in ``post.assets``; a note for each one not found."""
    for address in image_addresses(post.body):
        if is_external(address):
            continue
        found = find_file(address, relative_to, roots, strip_prefix)
        if found is None:
            post.notes.append(f"image not found: {address} (the body keeps the address)")
        else:
            post.assets[address] = found
