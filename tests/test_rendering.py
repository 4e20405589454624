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


class TestCommonMarkAndGFM:
    """What the issue found broken with Python-Markdown, and the extensions authors expect."""

    def test_nested_list_indented_two_spaces(self):
        html = render_markdown("- one\n  - nested\n  - two")
        assert "<li>one\n<ul>\n<li>nested</li>\n<li>two</li>\n</ul>\n</li>" in html

    def test_fenced_block_inside_a_list_item_is_highlighted_code(self):
        html = render_markdown("1. Step\n\n   ```python\n   x = 1\n   ```\n")
        assert '<li>\n<p>Step</p>\n<div class="highlight">' in html
        assert '<span class="n">x</span>' in html

    def test_fence_with_attributes_highlights_and_keeps_the_prose_after_it(self):
        html = render_markdown(
            "```yaml {linenos=true}\nkey: value\n```\n\n"
            "Prose after.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
        )
        assert '<span class="nt">key</span>' in html  # highlighted as YAML
        assert "<p>Prose after.</p>" in html and '<th scope="col">a</th>' in html
        assert "linenos" not in html

    def test_unknown_language_is_plain_code_not_a_guess(self):
        html = render_markdown("```nosuchlanguage\nx = 1\n```")
        assert '<div class="highlight"><pre tabindex="0"><span></span><code>x = 1\n' in html

    def test_indented_paragraph_is_a_code_block_as_commonmark_says(self):
        assert '<div class="highlight">' in render_markdown("Text.\n\n    indented")

    def test_strikethrough_task_lists_and_autolinks(self):
        html = render_markdown("~~gone~~\n\n- [ ] todo\n- [x] done\n\nSee www.example.com.")
        assert "<s>gone</s>" in html
        assert '<ul class="contains-task-list">\n<li class="task-list-item">☐ todo</li>' in html
        assert '<li class="task-list-item">☑ done</li>' in html
        assert '<a href="http://www.example.com" rel="noopener">www.example.com</a>.' in html

    def test_definition_lists(self):
        assert "<dl>\n<dt>Term</dt>\n<dd>Its definition.</dd>\n</dl>" in render_markdown(
            "Term\n: Its definition."
        )

    def test_question_marks_open_no_box(self):
        # mdit-py-plugins' collapsible "??? note" is switched off: it was text before.
        assert render_markdown("??? Why would anyone\n    do this").startswith("<p>???")

    def test_github_alerts_are_admonitions(self):
        html = render_markdown("> [!WARNING]\n> Careful.")
        assert '<div class="admonition warning">\n<p class="admonition-title">Warning</p>' in html

    def test_typography_is_smartys_and_nothing_more(self):
        html = render_markdown("(c) (tm) +- a -- b --- c... `a -- b`")
        assert "(c) (tm) +- a – b — c… <code>a -- b</code>" in html

    def test_repeated_footnote_references_keep_python_markdown_ids(self):
        html = render_markdown("x[^n] y[^n]\n\n[^n]: Note.")
        assert '<sup id="fnref:n"><a class="footnote-ref" href="#fn:n">1</a></sup>' in html
        assert '<sup id="fnref2:n">' in html and 'href="#fnref2:n"' in html
        assert '<div class="footnote">\n<hr>\n<ol>\n<li id="fn:n">' in html

    def test_attribute_list_on_a_paragraph_and_after_an_image(self):
        html = render_markdown('A tip.\n{: .tip }\n\n![x](/a.png){: title="T" }')
        assert '<p class="tip">A tip.</p>' in html
        assert "<figcaption>T</figcaption>" in html and "{:" not in html  # a title: a caption

    def test_email_address_with_an_underscore_links_whole(self):
        html = render_markdown("Write to first_last@example.com.")
        assert '<a href="mailto:first_last@example.com">first_last@example.com</a>' in html
