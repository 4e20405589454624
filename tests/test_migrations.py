"""Every migration can be undone: each operation is reversible, and the whole schema
goes to zero and back up on the test database's vendor, with a site's content in it.

(`makemigrations --check` runs before the suite in `make test`.)
"""

import json

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.scratch import scratch_database

PROJECT_APPS = ["blog", "pages", "books", "praise", "enquiries", "previews", "search"]

TO_ZERO_AND_BACK = """
import json
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

executor = MigrationExecutor(connection)
apps = sorted(executor.loader.migrated_apps)
executor.migrate([(app, None) for app in apps])  # every app to zero, in dependency order
connection.close()
with connection.cursor() as cursor:
    left = [t for t in connection.introspection.table_names(cursor) if t != "django_migrations"]
    if connection.vendor == "sqlite":
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        left += [row[0] for row in cursor.fetchall()]
executor = MigrationExecutor(connection)
applied = [key for key in executor.loader.applied_migrations]
print(json.dumps({"apps": apps, "left": left, "applied": applied}))
"""

SEARCH_WORKS = """
from blog.models import Post
from search.backends import search_posts
post = Post.objects.published().first()
word = post.title.split()[-1]
print(any(hit.pk == post.pk for hit in search_posts(word)))
"""


def test_every_operation_in_the_project_migrations_is_reversible():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    irreversible = [
        f"{app}.{name}: {operation.describe()}"
        for (app, name), migration in loader.disk_migrations.items()
        if app in PROJECT_APPS
        for operation in migration.operations
        if not operation.reversible
    ]
    assert irreversible == []


def test_every_app_migrates_to_zero_and_back_with_content(tmp_path):
    with scratch_database(tmp_path, "migrations") as site:
        site.manage("migrate", "--noinput")
        site.manage("setup_demo")

        down = json.loads(site.manage("shell", "--no-imports", "-c", TO_ZERO_AND_BACK).stdout)
        assert set(PROJECT_APPS) <= set(down["apps"])
        assert down["left"] == []
        assert down["applied"] == []

        site.manage("migrate", "--noinput")
        shown = site.manage("showmigrations", "--plan").stdout
        assert "[ ]" not in shown
        # A working site again: the demo loads over the default settings, search finds it.
        site.manage("setup_demo")
        assert site.manage("shell", "--no-imports", "-c", SEARCH_WORKS).stdout.strip() == "True"


@pytest.mark.django_db
def test_the_test_database_is_fully_migrated():
    loader = MigrationLoader(connection)
    assert set(loader.graph.leaf_nodes()) <= set(loader.applied_migrations)
