"""`manage.py backup` and `restore`: a whole site round-trips on the test database's vendor.

The round trip runs manage.py in subprocesses against a scratch database (a file in a
temp folder on SQLite, a scratch database next to the test database on PostgreSQL),
since the test database itself lives inside a transaction or in memory.
"""

import json

import pytest
from django.core.management.base import CommandError
from django.db import connection

from pages import backups
from tests.scratch import scratch_database

ADD_CONTENT = """
from enquiries.models import Enquiry, Need
from praise.models import Testimonial
from pages.models import SiteSettings
Enquiry.objects.create(name="Sam", email="sam@example.com", message="Let's talk.",
                       need=Need.objects.first())
SiteSettings.objects.filter(pk=1).update(tagline="Restored exactly")
assert Testimonial.objects.exclude(photo="").exists()
"""

CHANGE_AFTER_BACKUP = """
from blog.models import Post
from enquiries.models import Enquiry
post = Post.objects.order_by("pk").first()
post.title = "Changed after the backup"
post.save()
Enquiry.objects.all().delete()
"""


@pytest.fixture
def scratch_site(tmp_path):
    with scratch_database(tmp_path, "roundtrip") as site:
        yield site


def test_a_site_round_trips_through_backup_and_restore(scratch_site, tmp_path):
    site = scratch_site
    site.manage("migrate", "--noinput")
    site.manage("setup_demo")
    site.manage("shell", "--no-imports", "-c", ADD_CONTENT)
    before, files_before = site.data(), site.files()
    models = {row["model"] for row in before}
    assert {"blog.post", "enquiries.enquiry", "books.book", "praise.testimonial"} <= models
    assert {"pages.sitesettings", "blog.faqitem", "auth.user"} <= models
    assert any(name.startswith("testimonial/") for name in files_before)

    dest = tmp_path / "backup"
    site.manage("backup", str(dest))
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["database_vendor"] == connection.vendor
    assert manifest["counts"]["blog.Post"] == sum(row["model"] == "blog.post" for row in before)
    assert manifest["counts"]["enquiries.Enquiry"] == 1

    # Lose some data, then put the backup back.
    site.manage("shell", "--no-imports", "-c", CHANGE_AFTER_BACKUP)
    lost = sorted(files_before)[0]
    (site.media / lost).unlink()
    (site.media / "orphan.txt").write_text("written after the backup")

    refused = site.manage("restore", str(dest), check=False)
    assert refused.returncode != 0
    assert "already has content" in refused.stderr
    assert site.files() != files_before

    site.manage("restore", str(dest), "--force")
    assert site.data() == before
    assert site.files() == files_before


def test_restore_refuses_a_backup_that_does_not_match_its_checksums(scratch_site, tmp_path):
    site = scratch_site
    dest = tmp_path / "backup"
    site.manage("backup", str(dest))
    with open(dest / "media.tar", "ab") as tar:
        tar.write(b"\0" * 512)
    result = site.manage("restore", str(dest), check=False)
    assert result.returncode != 0
    assert "does not match its checksum" in result.stderr


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("keep me")
    with pytest.raises(CommandError, match="not empty"):
        backups.backup(tmp_path)
    assert (tmp_path / "something").read_text() == "keep me"


def test_postgres_password_goes_in_the_environment_not_the_command_line():
    env = backups.pg_env(
        {"NAME": "site", "USER": "u", "PASSWORD": "s3cret", "HOST": "db", "PORT": 5433}
    )
    assert env["PGPASSWORD"] == "s3cret"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db",
        "5433",
        "u",
        "site",
    )


def test_missing_pg_dump_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("PG_BIN_DIR", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found.*postgresql-client"):
        backups.pg_tool("pg_dump")
