"""Index bodies one line per block, so snippets can end at sentences (search.snippets)."""

from django.db import migrations


def reindex_bodies(apps, schema_editor):
    from search.indexing import document_fields

    SearchDocument = apps.get_model("search", "SearchDocument")
    for document in SearchDocument.objects.select_related("post").prefetch_related("post__tags"):
        post = document.post
        document.body = document_fields(post, [tag.name for tag in post.tags.all()])["body"]
        document.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(reindex_bodies, migrations.RunPython.noop)]
