"""Markdown rendering: the features authors use, and what sanitizing must remove."""

import pytest

from blog.rendering import render_markdown


def test_tables_get_header_scope():
    html = render_markdown("| Role | Pay |\n|---|---|\n| ML | High |")
    assert '<th scope="col">Role</th>' in html
    assert "<td>ML</td>" in html


def test_fenced_code_is_highlighted_on_the_server():
    html = render_markdown("```python\ndef answer():\n    return 42\n```")
    assert '<div class="highlight">' in html
    assert '<span class="k">def</span>' in html
    assert "<script" not in html


def test_footnotes_and_heading_ids_survive_sanitizing():
    html = render_markdown("## Why it matters\n\nA claim.[^1]\n\n[^1]: The source.")
    assert '<h2 id="why-it-matters">' in html
    assert 'href="#fn:1"' in html and 'id="fn:1"' in html


def test_body_h1_becomes_h2_so_the_title_stays_the_only_h1():
    html = render_markdown("# Big heading\n\ntext")
    assert "<h1" not in html
    assert '<h2 id="big-heading">Big heading<a ' in html


def test_pull_quote_class_moves_to_the_blockquote():
    html = render_markdown("> Hire engineers first.\n> {: .pullquote }")
    assert '<blockquote class="pullquote">' in html
    assert '<p class="pullquote">' not in html


def test_takeaways_box():
    html = render_markdown('!!! takeaways "Key takeaways"\n    - One\n    - Two')
    assert '<div class="admonition takeaways">' in html
    assert '<p class="admonition-title">Key takeaways</p>' in html


def test_typographic_quotes_and_sane_lists():
    html = render_markdown('He said "hello" -- it\'s fine.')
    assert "“hello”" in html and "’" in html


def test_external_links_get_noopener_and_internal_links_do_not():
    html = render_markdown("[out](https://example.org/x) and [in](/blog/other/)")
    assert '<a href="https://example.org/x" rel="noopener">out</a>' in html
    assert '<a href="/blog/other/">in</a>' in html


def test_images_lazy_load():
    html = render_markdown("![A chart](/media/uploads/chart.png)")
    assert 'alt="A chart"' in html and 'loading="lazy"' in html


@pytest.mark.parametrize(
    "markdown_text, forbidden",
    [
        ("<script>alert(1)</script>", "<script"),
        ("<img src=x onerror=alert(1)>", "onerror"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ("[x](javascript:alert(1))", "javascript:"),
        ("[x](JaVaScRiPt:alert(1))", "avascript:"),
        ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data:"),
        ('<a href="data:text/html,<script>x</script>">x</a>', "data:"),
        ('<p style="position:fixed">x</p>', "style="),
        ('<iframe src="https://evil.example"></iframe>', "iframe"),
        ('<form action="/x"><input name="a"></form>', "<form"),
        ("<svg onload=alert(1)></svg>", "svg"),
        ('<div onclick="steal()">x</div>', "onclick"),
        ("<object data=x></object>", "object"),
        ('<a href="/x" class="site-header">x</a>', "site-header"),
        ("<style>body{display:none}</style>", "<style"),
        ('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', "javascript:"),
    ],
)
def test_sanitizer_removes_dangerous_markup(markdown_text, forbidden):
    html = render_markdown(markdown_text)
    assert forbidden.lower() not in html.lower()


def test_sanitizer_keeps_harmless_raw_html():
    html = render_markdown("Press <kbd>Ctrl</kbd> and <mark>look</mark>.")
    assert "<kbd>Ctrl</kbd>" in html and "<mark>look</mark>" in html
