"""The demo site under gunicorn in production mode on loopback, for `make audit` and `make soak`.

A throwaway copy: its own database, media, cache and admin login in ``workdir``,
plain HTTP (no SSL redirect, HSTS or secure cookies) because it only listens on loopback.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


IMPORTED_EXPORT = ROOT / "tests" / "fixtures" / "wordpress" / "site.WordPress.2026-12-01.xml"


class LocalSite:
    def __init__(self, workdir, addr, database_url=None, **env):
        self.addr = addr
        self.base = f"http://{addr}"
        self.login_file = workdir / "admin-login.txt"
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "local-" + os.urandom(16).hex(),
            "DJANGO_ALLOWED_HOSTS": addr.rsplit(":", 1)[0],
            "DJANGO_SITE_DOMAIN": addr,
            "DJANGO_SECURE_COOKIES": "0",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": database_url or f"sqlite:///{workdir / 'db.sqlite3'}",
            "DJANGO_MEDIA_ROOT": str(workdir / "media"),
            "DJANGO_CACHE_DIR": str(workdir / "cache"),
            "DJANGO_ADMIN_LOGIN_FILE": str(self.login_file),
            **env,
        }
        self.process = None

    def manage(self, *args):
        """Run a management command against this site; returns its output."""
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def shell(self, code):
        return self.manage("shell", "--no-imports", "-c", code)

    def start(
        self, workers=2, gunicorn_args=(), stdout=subprocess.DEVNULL, stderr=None, content="demo"
    ):
        """Set the site up and serve it; returns once it answers.

        ``content`` is "demo" (the demo site) or "imported": only the posts of the
        WordPress export in tests/fixtures, as a site moved in from elsewhere starts, with
        no owner, tagline, books or praise.
        """
        self.manage("migrate", "--noinput")
        self.manage("collectstatic", "--noinput")
        if content == "imported":
            self.manage("import", str(IMPORTED_EXPORT))
        else:
            self.manage("setup_demo")
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", self.addr]
            + ["--workers", str(workers), *gunicorn_args, "site_config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=stdout,
            stderr=stderr if stderr is not None else subprocess.DEVNULL,
        )
        wait_for(self.base + "/")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # nosec B310 # our loopback http URL
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"The server did not answer at {url} within {timeout} s")
