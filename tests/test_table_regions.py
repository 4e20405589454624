"""Tables render inside a named, focusable scroll region (core/markdown/tables.py)."""

import html
import io
import re

import pytest
from django.core.management import call_command

from blog.models import Post
from core.markdown.rendering import html_to_text, render_article
from core.markdown.tables import LABEL_LENGTH, wrap_tables

PIPE_TABLE = "| Profile | Hire one when |\n|---|---|\n| ML engineer | You have data |\n"
REGION = re.compile(r'<div class="table-scroll" role="region" tabindex="0" aria-label="([^"]*)">')


def regions(html):
    return REGION.findall(html)


def test_a_table_is_wrapped_in_a_region_named_after_its_columns():
    html = render_article("Before.\n\n" + PIPE_TABLE + "\nAfter.").html
    assert regions(html) == ["Table: Profile, Hire one when"]
    # The region, not the table, is the tab stop, and it closes right after the table.
    assert "<table>" in html and 'tabindex="0"><table' not in html.replace("\n", "")
    assert re.search(r"</table>\s*</div>\s*<p>After\.</p>", html)
    assert html.count("<table") == 1 and html.index("<p>Before.</p>") < html.index("table-scroll")


def test_a_caption_names_the_region():
    html = render_article(
        "<table><caption>Hires by <em>year</em></caption><tr><th>Year</th></tr></table>"
    ).html
    assert regions(html) == ["Hires by year"]


def test_tables_without_headings_are_numbered_and_equal_names_told_apart():
    body = "\n\n".join(
        ["<table><tr><td>a</td></tr></table>", PIPE_TABLE, "<table><tr><td>b</td></tr></table>"]
        + [PIPE_TABLE]
    )
    names = regions(render_article(body).html)
    assert names == [
        "Table 1",
        "Table: Profile, Hire one when",
        "Table 3",
        "Table: Profile, Hire one when (4)",
    ]
    assert len(set(names)) == len(names)


def test_only_the_outer_table_of_a_nested_one_gets_a_region():
    html = render_article(
        "<table><tr><td><table><tr><th>Inner</th></tr></table></td></tr></table>"
    ).html
    assert len(regions(html)) == 1 and html.count("<table") == 2
    assert html.endswith("</table></td></tr></tbody></table></div>")


def test_the_name_is_escaped_and_long_headings_are_cut_at_a_word():
    # Raw HTML, where quotes stay straight.
    markup = render_article(
        f'<table><tr><th>Say "hi" &amp; &lt;wave&gt;</th><th>{"word " * 40}</th></tr></table>'
    ).html
    (name,) = regions(markup)
    assert name.startswith("Table: Say &quot;hi&quot; &amp; &lt;wave&gt;, word word")
    assert name.endswith("…") and len(html.unescape(name)) <= len("Table: ") + LABEL_LENGTH + 1
    assert not name.endswith(" …")


def test_an_author_cannot_write_a_region_or_tab_stops_themselves():
    html = render_article(
        '<div class="table-scroll" role="region" tabindex="0" aria-label="x">text</div>\n\n'
        '<table tabindex="5" role="presentation"><tr><td>c</td></tr></table>'
    ).html
    forged = html[: html.index("text")]
    assert "role" not in forged and "tabindex" not in forged and "table-scroll" not in forged
    assert "<table><tbody>" in html and 'tabindex="5"' not in html and "presentation" not in html
    assert regions(html) == ["Table 1"]


def test_text_without_tables_is_left_alone():
    fragment = "<p>No tables, only the word table.</p>"
    assert wrap_tables(fragment) is fragment


def test_search_and_reading_time_see_the_same_text():
    html = render_article(PIPE_TABLE).html
    assert html_to_text(html) == "Profile Hire one when ML engineer You have data"


@pytest.mark.django_db
def test_rerender_puts_stored_tables_of_older_posts_in_regions(make_post):
    post = make_post(body=PIPE_TABLE)
    # As an earlier renderer stored it: the table itself was the tab stop.
    Post.objects.filter(pk=post.pk).update(
        body_html=re.sub(r"</?div[^>]*>", "", post.body_html).replace(
            "<table>", '<table tabindex="0">'
        )
    )
    out = io.StringIO()
    call_command("rerender", "--dry-run", stdout=out)
    assert f"({post.slug}): HTML" in out.getvalue()

    call_command("rerender", stdout=io.StringIO())
    assert regions(Post.objects.get(pk=post.pk).body_html) == ["Table: Profile, Hire one when"]
