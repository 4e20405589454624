"""Search snippets that read as text: the sentence around the first match, whole.

The engines cut a window of words around the matches (search.backends), which
mostly starts and ends mid-sentence, and a table's cells ran together ("…Section
Before After…"). The indexed body keeps one line per block
(core.markdown.rendering.html_to_lines); the engine's window is found in it again
and widened or narrowed to the sentence, cell or list item around its first
match. Where a sentence is too long for a snippet, the cut falls between words
and an ellipsis says so.
"""

import re

from .indexing import HIGHLIGHT_START, HIGHLIGHT_STOP

ELLIPSIS = "…"
# How far a snippet may reach beyond the engine's window to find a sentence's edge.
REACH = 160
# A sentence ends at . ! ? (perhaps closed by a quote or bracket) before a space, or a line.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s)|\n")
_MARK = re.compile(f"{HIGHLIGHT_START}(.*?){HIGHLIGHT_STOP}", re.S)
# PostgreSQL separates a headline's fragments with this (search.backends).
FRAGMENTS = " … "


def readable(snippet, body=""):
    """The sentence of ``body`` holding ``snippet``'s first match, its matches marked.

    Without the body, or when the window is not found in it, the snippet as it came.
    """
    snippet = (snippet or "").strip()
    window = snippet.split(FRAGMENTS)[0].strip(ELLIPSIS + " ")
    plain = _MARK.sub(r"\1", window)
    at = body.find(plain) if plain and body else -1
    first = _MARK.search(window)
    if at == -1 or first is None:
        return _joined(snippet)
    marks = [(at + offset, at + offset + length) for offset, length in _mark_spans(window)]
    match_start, match_end = marks[0]
    start, cut_before = _sentence_start(body, match_start)
    end, cut_after = _sentence_end(body, match_end)
    text = "".join(_marked(body, start, end, marks))
    return _joined(f"{ELLIPSIS if cut_before else ''}{text}{ELLIPSIS if cut_after else ''}")


def _mark_spans(window):
    """(offset, length) of each marked match in ``window`` once its markers are removed."""
    spans, removed = [], 0
    for match in _MARK.finditer(window):
        spans.append((match.start() - removed, len(match[1])))
        removed += len(HIGHLIGHT_START) + len(HIGHLIGHT_STOP)
    return spans


def _sentence_start(body, position):
    floor = max(0, position - REACH)
    ends = [match.end() for match in _SENTENCE_END.finditer(body, floor, position)]
    if ends:
        return ends[-1] + (len(body[ends[-1] :]) - len(body[ends[-1] :].lstrip())), False
    if floor == 0:
        return 0, False
    # No edge within reach: start at the word after the floor.
    space = body.find(" ", floor, position)
    return (space + 1 if space != -1 else position), True


def _sentence_end(body, position):
    end = _SENTENCE_END.search(body, position, position + REACH)
    if end:
        return (end.start() if end.group() == "\n" else end.end()), False
    if position + REACH >= len(body):
        return len(body), False
    space = body.rfind(" ", position, position + REACH)
    return (space if space != -1 else position), True


def _marked(body, start, end, marks):
    at = start
    for mark_start, mark_end in marks:
        if mark_start < at or mark_end > end:
            continue
        yield body[at:mark_start]
        yield f"{HIGHLIGHT_START}{body[mark_start:mark_end]}{HIGHLIGHT_STOP}"
        at = mark_end
    yield body[at:end]


def _joined(text):
    # A table's cells or a list's items read best apart: a middle dot between lines that
    # do not end a sentence already.
    joined = ""
    for line in filter(None, (line.strip() for line in text.splitlines())):
        if joined:
            joined += " " if _SENTENCE_END.match(joined[-1] + " ") else " · "
        joined += line
    return joined
