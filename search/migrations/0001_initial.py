"""The search index table, plus what each database indexes it with.

PostgreSQL: a GIN index on the weighted text-search vector of the table.
SQLite: an FTS5 table, kept in step with the table by triggers.
Other databases get the table alone (and no search).
"""

import django.db.models.deletion
from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

GIN_INDEX = "search_document_vector"

FTS_COLUMNS = "title, description, tags, body"
FTS_VALUES = "new.post_id, new.title, new.description, new.tags, new.body"
SQLITE_FTS = [
    # porter: "hiring" finds "hire", as PostgreSQL's english configuration does.
    f"CREATE VIRTUAL TABLE search_fts USING fts5({FTS_COLUMNS}, "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN "
    f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES ({FTS_VALUES}); END",  # nosec B608 # constants
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.post_id; "
    f"INSERT INTO search_fts(rowid, {FTS_COLUMNS}) VALUES ({FTS_VALUES}); END",  # nosec B608 # constants
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN "
    "DELETE FROM search_fts WHERE rowid = old.post_id; END",
]
SQLITE_FTS_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TABLE IF EXISTS search_fts",
]


def gin_index():
    from search.models import weighted_vector

    return GinIndex(weighted_vector(), name=GIN_INDEX)


def create_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("search", "SearchDocument"), gin_index())
    elif vendor == "sqlite":
        for statement in SQLITE_FTS:
            schema_editor.execute(statement)


def drop_engine_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("search", "SearchDocument"), gin_index())
    elif vendor == "sqlite":
        for statement in SQLITE_FTS_DROP:
            schema_editor.execute(statement)


def index_existing_posts(apps, schema_editor):
    from search.indexing import document_fields

    Post = apps.get_model("blog", "Post")
    SearchDocument = apps.get_model("search", "SearchDocument")
    for post in Post.objects.prefetch_related("tags"):
        fields = document_fields(post, [tag.name for tag in post.tags.all()])
        SearchDocument.objects.create(post=post, **fields)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("blog", "0006_featured_image_size"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="blog.post",
                    ),
                ),
                ("title", models.TextField()),
                ("description", models.TextField(blank=True)),
                ("tags", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(create_engine_index, drop_engine_index),
        migrations.RunPython(index_existing_posts, migrations.RunPython.noop),
    ]
