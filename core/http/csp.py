"""The site's Content-Security-Policy, for Django's ContentSecurityPolicyMiddleware.

Strict: scripts, styles, images and fonts come from the site itself. The one inline
script (the theme boot script in <head>, which must run before the first paint) is
allowed by the SHA-256 hash of its text, computed here from the same file the
``{% inline_script %}`` tag inlines, so the two cannot drift apart. Hashes, not
nonces: whole pages are cached (browsers, proxies, the page cache) and a per-request
nonce would not match the header of a cached page. JSON-LD blocks are data that
browsers never execute, so the policy does not apply to them.
"""

import base64
import hashlib
from functools import cache
from pathlib import Path

from django.utils.csp import CSP

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"  # the project's static/

# Scripts that templates may inline; each one's hash is in script-src.
INLINE_SCRIPTS = ("js/theme-boot.js",)


@cache
def inline_script_source(path):
    """The text of one of INLINE_SCRIPTS, as ``{% inline_script %}`` puts it in the page."""
    if path not in INLINE_SCRIPTS:
        raise ValueError(
            f"{path!r} is not in core.http.csp.INLINE_SCRIPTS, so the "
            "Content-Security-Policy would block it inline"
        )
    return (STATIC_DIR / path).read_text(encoding="utf-8").strip()


def source_hash(text):
    """A CSP hash source (``'sha256-...'``) that allows exactly this inline text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def site_policy(extra_img_src=()):
    """The policy for every response; ``extra_img_src`` adds image hosts (a CDN)."""
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, *(source_hash(inline_script_source(p)) for p in INLINE_SCRIPTS)],
        "style-src": [CSP.SELF],
        "img-src": [CSP.SELF, *extra_img_src],
        "object-src": [CSP.NONE],
        "base-uri": [CSP.SELF],
        "form-action": [CSP.SELF],
        "frame-ancestors": [CSP.NONE],
    }
