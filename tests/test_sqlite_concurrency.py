"""Two saves at once on SQLite wait for each other instead of failing.

Each transaction reads, then writes: the shape of an admin save. Begun DEFERRED (SQLite's
default), both take a read lock and neither can upgrade it, so one fails at once with
"database is locked" whatever the timeout. The settings begin them IMMEDIATE.
"""

import contextlib
import threading

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.utils import OperationalError


@pytest.fixture(autouse=True)
def own_connections(django_db_blocker):
    # These tests open SQLite files of their own, whatever database the suite runs on.
    with django_db_blocker.unblock():
        yield


def connect(path, options):
    wrapper = DatabaseWrapper(
        {
            **settings.DATABASES["default"],
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": options,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "AUTOCOMMIT": True,
            "ATOMIC_REQUESTS": False,
            "TEST": {},
        },
        alias="concurrency",
    )
    wrapper.ensure_connection()
    return wrapper


def save_at_once(path, options):
    """Two read-then-write transactions overlapping in time; the errors they got."""
    setup = connect(path, options)
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS counter (n INTEGER)")
        cursor.execute("INSERT INTO counter VALUES (0)")
    setup.close()
    both_read = threading.Barrier(2, timeout=1)
    errors = []

    def save():
        connection = connect(path, options)
        try:
            # What transaction.atomic() does to begin and end on SQLite.
            connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
            with connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter")
                (n,) = cursor.fetchone()
                # IMMEDIATE: the other is still waiting to begin; go on without it.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait()
                cursor.execute("UPDATE counter SET n = %s", [n + 1])
            connection.commit()
        except OperationalError as error:
            errors.append(str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_deferred_transactions_fail_as_the_issue_saw(tmp_path):
    options = {"timeout": 20}  # SQLite's default DEFERRED begin
    errors = save_at_once(tmp_path / "deferred.sqlite3", options)
    assert errors and "locked" in errors[0]


def test_the_settings_make_the_second_save_wait(tmp_path):
    path = tmp_path / "immediate.sqlite3"
    assert save_at_once(path, settings.SQLITE_OPTIONS) == []
    check = connect(path, settings.SQLITE_OPTIONS)
    with check.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        assert cursor.fetchone() == (2,)  # both saves landed, neither lost the other's
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
    check.close()
