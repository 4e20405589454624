"""Backups: a consistent snapshot of the database and the media files, and putting it back.

A backup is a folder with three files:

- ``db.sqlite3`` (SQLite's online backup API, safe while the site runs) or ``db.dump``
  (``pg_dump`` in its custom format, for ``pg_restore``);
- ``media.tar``: every uploaded file under ``MEDIA_ROOT``;
- ``manifest.json``: when, from what (Django and site versions, database vendor), the
  number of rows per model in the snapshot, and the SHA-256 of the two files above.

The database is copied before the media, so every file a row refers to is in the tar
(the tar may hold a few newer files nothing refers to yet; that is harmless).

Used by ``manage.py backup`` and ``manage.py restore``; see docs/operations.md.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import tomllib
from contextlib import closing
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
SQLITE_FILE = "db.sqlite3"
PG_DUMP_FILE = "db.dump"

# A freshly migrated site already has rows here (content types, permissions, the Site
# record, the default site settings); rows anywhere else mean real content.
SETUP_APPS = {"contenttypes", "sites", "pages"}
SETUP_MODELS = {"auth.Permission"}


def site_version():
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def tables():
    """{"app_label.ModelName": table} for every table Django manages."""
    return {
        model._meta.label: model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def count_rows(cursor, existing=None):
    existing = set(existing if existing is not None else connection.introspection.table_names())
    quote = connection.ops.quote_name
    counts = {}
    for label, table in sorted(tables().items()):
        if table in existing:
            # Table names come from the models, never from input.
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # nosec B608
            counts[label] = cursor.fetchone()[0]
    return counts


def has_content():
    """Whether the database holds anything a restore would destroy."""
    with connection.cursor() as cursor:
        counts = count_rows(cursor)
    return any(
        count
        for label, count in counts.items()
        if label.split(".")[0] not in SETUP_APPS and label not in SETUP_MODELS
    )


# PostgreSQL -----------------------------------------------------------------------


def pg_tool(name):
    """The path of pg_dump or pg_restore, or a clear error."""
    folder = os.environ.get("PG_BIN_DIR")
    path = shutil.which(name, path=folder) if folder else shutil.which(name)
    if not path:
        raise CommandError(
            f"{name} was not found on the PATH{f' or in PG_BIN_DIR={folder}' if folder else ''}. "
            "Install the PostgreSQL client tools of your server's major version "
            "(Debian: apt-get install postgresql-client) or set PG_BIN_DIR to their folder."
        )
    return path


def pg_env(db):
    """libpq environment variables for a DATABASES entry.

    The password goes in PGPASSWORD, never on the command line where `ps` shows it.
    """
    env = dict(os.environ)
    for key, var in [("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")]:
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = db["NAME"]
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    options = db.get("OPTIONS", {})
    for key, var in [("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")]:
        if options.get(key):
            env[var] = str(options[key])
    return env


def run_pg(command, db):
    result = subprocess.run(command, env=pg_env(db), capture_output=True, text=True, check=False)
    if result.returncode:
        raise CommandError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def dump_postgresql(target):
    """pg_dump, with row counts from the very snapshot it dumps."""
    pg_dump = pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = count_rows(cursor)
        run_pg(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            connection.settings_dict,
        )
    return counts


def restore_postgresql(source):
    connection.close()  # pg_restore drops tables this connection may hold locks on
    run_pg(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        ],
        connection.settings_dict,
    )


# SQLite ---------------------------------------------------------------------------


def sqlite_path():
    return Path(connection.settings_dict["NAME"])


def dump_sqlite(target):
    """SQLite's online backup API: a consistent copy even while the site writes."""
    with closing(sqlite3.connect(sqlite_path())) as live, closing(sqlite3.connect(target)) as copy:
        live.backup(copy)
        existing = [row[0] for row in copy.execute("SELECT name FROM sqlite_master")]
        cursor = copy.cursor()
        counts = count_rows(cursor, existing)
        cursor.close()
    return counts


def restore_sqlite(source):
    """Copy the snapshot into the live database file through the backup API.

    Unlike replacing the file, this keeps the WAL and any open connections
    consistent; still, stop the site while restoring (docs/operations.md).
    """
    connection.close()
    target = sqlite_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(source)) as snapshot, closing(sqlite3.connect(target)) as live:
        snapshot.backup(live)


# Media ----------------------------------------------------------------------------


def tar_media(target):
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(target, "w") as tar:
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    tar.add(path, arcname=path.relative_to(media).as_posix())


def restore_media(source):
    """Replace MEDIA_ROOT with the files in the tar, swapping folders at the end."""
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media.parent))
    with tarfile.open(source) as tar:
        # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
        tar.extractall(fresh, filter="data")
    if media.exists():
        old = media.with_name(f".{media.name}-before-restore")
        shutil.rmtree(old, ignore_errors=True)
        media.rename(old)
        fresh.rename(media)
        shutil.rmtree(old)
    else:
        fresh.rename(media)


# The two commands ---------------------------------------------------------------


def backup(dest):
    """Write a backup into the folder `dest` (new or empty); returns the manifest."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise CommandError(f"{dest} is not empty; give a new or empty folder.")
    dest.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        db_file = SQLITE_FILE
        counts = dump_sqlite(dest / db_file)
    elif vendor == "postgresql":
        db_file = PG_DUMP_FILE
        counts = dump_postgresql(dest / db_file)
    else:
        raise CommandError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    tar_media(dest / MEDIA_TAR)
    manifest = {
        "created_at": timezone.now().isoformat(),
        "django_version": django.get_version(),
        "site_version": site_version(),
        "database_vendor": vendor,
        "counts": counts,
        "files": {name: sha256(dest / name) for name in (db_file, MEDIA_TAR)},
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def read_manifest(src):
    src = Path(src)
    try:
        manifest = json.loads((src / MANIFEST).read_text())
        files = manifest["files"]
        vendor = manifest["database_vendor"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CommandError(f"{src} does not hold a readable backup ({error}).") from error
    if vendor != connection.vendor:
        raise CommandError(
            f"This backup is of a {vendor} database; the site is configured for "
            f"{connection.vendor}. Point DATABASE_URL at a {vendor} database."
        )
    for name, expected in files.items():
        path = src / Path(name).name
        if not path.is_file() or sha256(path) != expected:
            raise CommandError(f"{path} is missing or does not match its checksum.")
    return manifest


def restore(src, force=False):
    """Put the backup in the folder `src` back; returns its manifest."""
    src = Path(src)
    manifest = read_manifest(src)
    if not force and has_content():
        raise CommandError(
            "The database already has content; restoring would replace it. "
            "Run again with --force to overwrite it."
        )
    if connection.vendor == "sqlite":
        restore_sqlite(src / SQLITE_FILE)
    else:
        restore_postgresql(src / PG_DUMP_FILE)
    restore_media(src / MEDIA_TAR)
    cache.clear()  # cached site settings and pages describe the database that was replaced
    return manifest
