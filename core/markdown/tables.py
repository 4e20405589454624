"""Tables in a scrolling region: wide ones scroll sideways on a phone, and a keyboard can too.

Each outermost ``<table>`` of sanitized HTML is wrapped in

    <div class="table-scroll" role="region" tabindex="0" aria-label="…">…</div>

The wrapper is the scroll container: the stylesheet lets it grow past the text column up
to the page's width when the table needs it, and draws a shadow at an edge that has more
table beyond it. ``tabindex`` lets a keyboard user scroll it with the arrow keys, and a
focusable scroll area needs a name (``role="region"`` with a label): the table's caption,
else its column headings, else its number on the page. Names stay distinct, since axe
(and screen readers listing landmarks) want each region told apart.

Added after sanitizing, as ``core.images.pictures`` adds pictures: this is our markup, so an
author cannot write ``role`` or ``tabindex`` attributes themselves.
"""

import html
import re

import nh3

# nh3 writes lowercase tags and double-quoted attributes, so these match only real tags.
_TABLE_TAG = re.compile(r"<(/?)table\b[^>]*>")
_CAPTION = re.compile(r"\A<table\b[^>]*>\s*<caption\b[^>]*>(.*?)</caption>", re.S)
_FIRST_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_HEADER_CELL = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
LABEL_LENGTH = 100  # characters of column headings in a label, cut at a word


def _text(fragment):
    return " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())


def _shortened(text, limit=LABEL_LENGTH):
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;") + "…"


def table_label(table, number):
    """The accessible name of a table's scroll region (see the module docstring)."""
    caption = _CAPTION.match(table)
    if caption and (text := _text(caption[1])):
        return text
    row = _FIRST_ROW.search(table)
    headings = [_text(cell) for cell in _HEADER_CELL.findall(row[1])] if row else []
    if headings := [heading for heading in headings if heading]:
        return "Table: " + _shortened(", ".join(headings))
    return f"Table {number}"


def _outermost_tables(fragment):
    """(start, end) of each table not inside another one."""
    depth, start = 0, None
    for match in _TABLE_TAG.finditer(fragment):
        if not match[1]:
            if depth == 0:
                start = match.start()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                yield start, match.end()


def wrap_tables(fragment):
    """Sanitized HTML with each outermost table in its scroll region."""
    if "<table" not in fragment:
        return fragment
    parts, end, labels = [], 0, set()
    for number, (start, stop) in enumerate(_outermost_tables(fragment), start=1):
        table = fragment[start:stop]
        label = table_label(table, number)
        if label in labels:  # two tables with the same headings
            label = f"{label} ({number})"
        labels.add(label)
        parts += [
            fragment[end:start],
            '<div class="table-scroll" role="region" tabindex="0" '
            f'aria-label="{html.escape(label, quote=True)}">',
            table,
            "</div>",
        ]
        end = stop
    parts.append(fragment[end:])
    return "".join(parts)
