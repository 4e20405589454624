"""One search interface, two engines: PostgreSQL full-text search or SQLite FTS5.

``search_posts(query)`` returns published posts matching ``query``, best first,
each annotated with ``rank`` and ``snippet``: plain text from the body in which
matched terms sit between ``HIGHLIGHT_START`` and ``HIGHLIGHT_STOP`` (the
``highlight`` template filter trims it to whole sentences with search.snippets,
escapes the text and turns the markers into ``<mark>``). ``indexed_body`` is the
text the snippet came from.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, TextField
from django.db.models.expressions import RawSQL

from blog.models import Post

from .indexing import HIGHLIGHT_START, HIGHLIGHT_STOP
from .models import CONFIG, SearchDocument, weighted_vector

MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 40  # a window with room to trim to whole sentences (search.snippets)
ORDERING = ("-published_at", "-pk")  # among equally ranked results, newest first


def clean_query(raw):
    """The query as we search for it: control characters dropped, spaces collapsed, capped."""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def search_posts(query):
    """Published posts matching ``query`` (already cleaned), best first, with ``snippet``."""
    if not query:
        return Post.objects.none()
    if connection.vendor == "postgresql":
        return _postgres_search(query)
    return _sqlite_search(query)


def postgres_query(query):
    # websearch syntax ("phrases", -exclusions, or) never raises a syntax error.
    return SearchQuery(query, search_type="websearch", config=CONFIG)


def matching_documents(search_query):
    """Search documents matching the query: the GIN index on ``weighted_vector()`` answers it."""
    return SearchDocument.objects.alias(vector=weighted_vector()).filter(vector=search_query)


def _postgres_search(query):
    search_query = postgres_query(query)
    vector = weighted_vector("search_document__")
    return (
        Post.objects.published()
        .filter(search_document__in=matching_documents(search_query))
        .annotate(
            indexed_body=F("search_document__body"),  # for whole-sentence snippets
            rank=SearchRank(vector, search_query),
            snippet=SearchHeadline(
                F("search_document__body"),
                search_query,
                config=CONFIG,
                start_sel=HIGHLIGHT_START,
                stop_sel=HIGHLIGHT_STOP,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", *ORDERING)
    )


# bm25() weights of the FTS5 columns: title, description, tags, body.
FTS_WEIGHTS = "10.0, 4.0, 4.0, 1.0"
FTS_BODY_COLUMN = 3


def _sqlite_search(query):
    match = fts5_query(query)
    if not match:
        return Post.objects.none()
    post_id = f'"{Post._meta.db_table}"."{Post._meta.pk.column}"'
    per_post = f"FROM search_fts WHERE search_fts MATCH %s AND search_fts.rowid = {post_id}"
    return (
        Post.objects.published()
        .filter(pk__in=RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [match]))
        .annotate(
            indexed_body=F("search_document__body"),  # for whole-sentence snippets
            # bm25() is lower for better matches.
            # FTS_WEIGHTS, FTS_BODY_COLUMN and the table names are constants; the query is a
            # parameter.
            rank=RawSQL(  # nosec B611
                f"SELECT bm25(search_fts, {FTS_WEIGHTS}) {per_post}", [match], FloatField()
            ),
            snippet=RawSQL(  # nosec B611
                f"SELECT snippet(search_fts, {FTS_BODY_COLUMN}, %s, %s, %s, %s) {per_post}",
                [HIGHLIGHT_START, HIGHLIGHT_STOP, "…", SNIPPET_WORDS, match],
                TextField(),
            ),
        )
        .order_by("rank", *ORDERING)
    )


_PART = re.compile(r'(?P<exclude>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_WORD = re.compile(r"\w+")


def fts5_query(query):
    """A safe FTS5 query for what the reader typed, or "" when nothing is searchable.

    Every term becomes a quoted FTS5 string of plain word characters, so FTS5
    operators (AND, NEAR, *, ^, column filters) are searched as words and no input
    can make a syntax error. Like PostgreSQL's websearch syntax, "quoted words" are
    a phrase and -word excludes; all other terms must all match.
    """
    wanted, unwanted = [], []
    for part in _PART.finditer(query):
        words = _WORD.findall(part["word"] or part["phrase"] or "")
        if words:
            term = '"' + " ".join(words) + '"'
            (unwanted if part["exclude"] else wanted).append(term)
    if not wanted:
        return ""
    match = " AND ".join(wanted)
    if unwanted:
        match = f"({match}) NOT ({' OR '.join(unwanted)})"
    return match
