"""Search snippets start and end at sentences or blocks around the match (issue 17)."""

import re

from core.markdown.rendering import html_to_lines, html_to_text
from search.indexing import HIGHLIGHT_START as START
from search.indexing import HIGHLIGHT_STOP as STOP
from search.snippets import readable


def marked(word):
    return f"{START}{word}{STOP}"


BODY = "The plan was late. We hired two engineers in May, and a third later. Then a pause."


def test_the_sentence_around_the_match_is_whole_whatever_window_the_engine_cut():
    for window in (
        f"…two {marked('engineers')} in May, and…",  # narrower than the sentence
        f"…plan was late. We hired two {marked('engineers')} in May, and a third later. Then…",
    ):
        assert (
            readable(window, BODY)
            == f"We hired two {marked('engineers')} in May, and a third later."
        )


def test_every_match_in_the_sentence_is_marked_again():
    body = "Hiring is slow. Hiring engineers is slower than hiring managers. End."
    window = f"{marked('Hiring')} {marked('engineers')} is slower than {marked('hiring')}…"
    assert readable(window, body) == (
        f"{marked('Hiring')} {marked('engineers')} is slower than {marked('hiring')} managers."
    )


def test_a_sentence_too_long_is_cut_between_words():
    body = "word " * 100 + "engineers " + "word " * 100
    window = f"…word word {marked('engineers')} word word…"
    text = readable(window, body.strip())
    assert text.startswith("…word") and text.endswith("word…") and marked("engineers") in text
    assert len(text) < 2 * 160 + 20


def test_without_the_body_the_snippet_stays_as_the_engine_cut_it():
    window = f"…words {marked('engineers')} and more…"
    assert readable(window) == window
    assert readable(window, "a body that does not hold the window") == window


def test_a_table_cell_is_a_block_of_its_own():
    html = (
        "<p>Intro sentence.</p><table><tr><th>Section</th><th>Before</th><th>After</th></tr>"
        "<tr><td>Hiring</td><td>12 weeks</td><td>5 weeks</td></tr></table><p>After the table.</p>"
    )
    lines = html_to_lines(html)
    assert lines.splitlines() == [
        "Intro sentence.",
        "Section",
        "Before",
        "After",
        "Hiring",
        "12 weeks",
        "5 weeks",
        "After the table.",
    ]
    assert html_to_text(html) == " ".join(lines.splitlines())  # unchanged for other uses
    window = f"…Before\nAfter\n{marked('Hiring')}\n12 weeks…"
    assert readable(window, lines) == marked("Hiring")


def test_lines_without_a_full_stop_are_set_apart():
    assert readable("no match\nat all") == "no match · at all"


def search_snippet(client, query):
    html = client.get("/search/", {"q": query}).content.decode()
    return re.search(r'<p class="search-snippet">(.*?)</p>', html, re.S).group(1)


def test_a_result_snippet_reads_from_a_sentence_start(client, make_post):
    make_post(
        body="A first sentence that is rather long and says nothing at all about it. "
        "Then another sentence to push the match to the middle of the window here. "
        "We hired two zeppelin pilots in the first month. "
        "After that came a long wait for the rest of the team to arrive in town."
    )
    snippet = search_snippet(client, "zeppelin")
    assert snippet == "We hired two <mark>zeppelin</mark> pilots in the first month."


def test_a_match_in_a_table_shows_its_cell_not_the_neighbours(client, make_post):
    make_post(
        body="Text before the table.\n\n| Section | Before | After |\n|---|---|---|\n"
        "| Zeppelin hiring | 12 weeks | 5 weeks |\n\nText after the table."
    )
    assert search_snippet(client, "zeppelin") == "<mark>Zeppelin</mark> hiring"
