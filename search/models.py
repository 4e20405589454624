"""The search index: one row of plain text per post, indexed by whichever database we run on."""

from django.contrib.postgres.search import SearchVector
from django.db import models

# The text-search configuration (stemming, stop words) for PostgreSQL.
CONFIG = "english"


class SearchDocument(models.Model):
    """A post's searchable text, flattened: title, descriptions, tag names, body as plain text.

    Kept up to date by ``search.indexing``. Migration 0001 indexes it per database:
    on PostgreSQL a GIN index on ``weighted_vector()``, on SQLite an FTS5 table
    (``search_fts``) that triggers on this table keep in step. Altering this table on
    SQLite rebuilds it and drops those triggers: such a migration must recreate them.
    """

    post = models.OneToOneField(
        "blog.Post", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    description = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    body = models.TextField(blank=True)

    def __str__(self):
        return self.title


def weighted_vector(prefix=""):
    """The PostgreSQL document: title weighs most, then descriptions and tags, then the body.

    The GIN index is built on exactly this expression, so queries that filter on it
    use the index; ``prefix`` reaches the same columns from a related model
    ("search_document__" from Post).
    """
    return (
        SearchVector(f"{prefix}title", weight="A", config=CONFIG)
        + SearchVector(f"{prefix}description", f"{prefix}tags", weight="B", config=CONFIG)
        + SearchVector(f"{prefix}body", weight="C", config=CONFIG)
    )
