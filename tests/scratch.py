"""A scratch site for tests that run manage.py in subprocesses.

Some tests need a database of their own (restoring a backup over it, migrating every
app to zero) rather than the test database, which lives in a transaction or in
memory. This gives them one on the test database's vendor: a file in a temp folder on
SQLite, a database next to the test database on PostgreSQL, dropped afterwards.
"""

import hashlib
import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


class ScratchSite:
    """manage.py against a scratch database and media folder."""

    def __init__(self, tmp_path, database_url):
        self.media = tmp_path / "media"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_TEST_NAME"},
            "DATABASE_URL": database_url,
            "DJANGO_DEBUG": "1",
            "DJANGO_MEDIA_ROOT": str(self.media),
            "DJANGO_CACHE_DIR": str(tmp_path / "cache"),
            "DJANGO_ADMIN_LOGIN_FILE": str(tmp_path / "admin-login.txt"),
        }

    def manage(self, *args, check=True):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if check and result.returncode:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def data(self):
        """Every row of every model, as dumpdata writes them (ordered by key)."""
        return json.loads(self.manage("dumpdata", "--indent", "0").stdout)

    def files(self):
        return {
            path.relative_to(self.media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in self.media.rglob("*")
            if path.is_file()
        }


@contextmanager
def scratch_database(tmp_path, suffix):
    """A ScratchSite on a new, empty database named after the test database plus `suffix`."""
    if connection.vendor == "sqlite":
        yield ScratchSite(tmp_path, f"sqlite:///{tmp_path / f'{suffix}.sqlite3'}")
        return
    import psycopg

    db = connection.settings_dict
    name = f"{db['NAME']}_{suffix}"
    params = {
        "host": db["HOST"] or None,
        "port": db["PORT"] or None,
        "user": db["USER"] or None,
        "password": db["PASSWORD"] or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    try:
        yield ScratchSite(tmp_path, f"postgres://{auth}@{host}/{name}")
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
