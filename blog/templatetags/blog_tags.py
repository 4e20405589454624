"""Template helpers for blog pages."""

import json
from urllib.parse import quote

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import mark_safe

register = template.Library()

# Escape what could end the <script> element or start markup inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data):
    """A JSON-LD <script> that no title or description can break out of."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    # The payload is JSON with <, > and & escaped, so it cannot end the element.
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # nosec B308 B703


@register.simple_tag
def share_links(url, title):
    """Plain share URLs: no third-party scripts, nothing loads until a reader clicks."""
    url_q, title_q = quote(url, safe=""), quote(title, safe="")
    return [
        ("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={url_q}"),
        ("X", f"https://x.com/intent/post?url={url_q}&text={title_q}"),
        ("Email", f"mailto:?subject={title_q}&body={url_q}"),
    ]
