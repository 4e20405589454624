"""Production settings: `check --deploy` is clean, missing secrets fail fast, HTTPS is on
by default and each part can be turned off from the environment (docs/deployment.md)."""

import json
import os
import re
import secrets
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR


def production_env(tmp_path, **overrides):
    """A production environment, as an operator would set it, and nothing inherited."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "GUNICORN_", "WEB_CONCURRENCY"))
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="alexnavarro.com,www.alexnavarro.com",
        DJANGO_EMAIL_HOST="smtp.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


SHOW_SETTINGS = """
import json
from django.conf import settings
names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE",
         "CSRF_COOKIE_SECURE", "SECURE_CSP"]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def production_settings(tmp_path, **overrides):
    result = manage(
        production_env(tmp_path, **overrides), "shell", "--no-imports", "-c", SHOW_SETTINGS
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_reports_nothing_in_production(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_still_flags_a_production_site_served_over_plain_http(tmp_path):
    # The opt-outs are for loopback and TLS proxies; the check keeps saying so.
    env = production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_HSTS_SECONDS="0")
    result = manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "security.W004" in result.stderr


def make_run_env():
    """The variables `make run` serves with (RUN_ENV in the Makefile), as make expands them."""
    show = "show-run-env: ; @$(RUN_ENV) env"
    result = subprocess.run(
        ["make", "-s", "--no-print-directory", "--eval", show, "show-run-env"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(
        line.split("=", 1) for line in result.stdout.splitlines() if line.startswith("DJANGO_")
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_check_deploy_under_make_run_reports_what_the_docs_say(tmp_path):
    env = production_env(tmp_path, DJANGO_EMAIL_HOST=None) | make_run_env()
    result = manage(env, "check", "--deploy")
    reported = set(re.findall(r"\((\w+\.[EW]\d{3})\)", result.stdout + result.stderr))
    docs = (ROOT / "docs" / "deployment.md").read_text()
    paragraph = re.search(r"^`make run` and `make audit`.*?\n\n", docs, re.M | re.S).group(0)
    documented = set(re.findall(r"`(\w+\.[EW]\d{3})`", paragraph))
    assert reported == documented
    # Plain HTTP on loopback: HSTS, the redirect, and both cookies; and no SMTP server.
    assert reported == {
        "security.W004",
        "security.W008",
        "security.W012",
        "security.W016",
        "mail.E001",
    }


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS must list the site's host names"),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(tmp_path, missing, message):
    result = manage(production_env(tmp_path, **{missing: None}), "check")
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_a_malformed_number_is_a_clear_error(tmp_path):
    result = manage(production_env(tmp_path, DJANGO_SECURE_HSTS_SECONDS="one year"), "check")
    assert result.returncode != 0
    assert "DJANGO_SECURE_HSTS_SECONDS must be a whole number, not 'one year'" in result.stderr


def test_https_is_on_by_default_in_production(tmp_path):
    production = production_settings(tmp_path)
    assert production["DEBUG"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] == 365 * 24 * 60 * 60
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SECURE_HSTS_PRELOAD"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] is None


def test_each_https_setting_comes_from_the_environment(tmp_path):
    production = production_settings(
        tmp_path,
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="3600",
        DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        DJANGO_SECURE_HSTS_PRELOAD="1",
        DJANGO_SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_CSP_IMG_SRC="https://images.example.net",
    )
    assert production["SECURE_SSL_REDIRECT"] is False
    assert production["SECURE_HSTS_SECONDS"] == 3600
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert production["SECURE_HSTS_PRELOAD"] is True
    assert production["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert production["SESSION_COOKIE_SECURE"] is False
    assert production["SECURE_CSP"]["img-src"] == ["'self'", "https://images.example.net"]


def test_make_run_and_the_audit_serve_plain_http_on_loopback():
    """`make run`, `make audit` and `make soak` use production settings over plain HTTP, so
    they turn off the HTTPS redirect and HSTS (and secure cookies) themselves; the scripts
    through scripts/local_site.py."""
    run_env = re.search(r"^RUN_ENV = (.*?)\n\n", (ROOT / "Makefile").read_text(), re.M | re.S)[1]
    audit = (ROOT / "scripts" / "local_site.py").read_text()
    for name in ("DJANGO_SECURE_SSL_REDIRECT", "DJANGO_SECURE_HSTS_SECONDS"):
        assert f"{name}=$${{{name}:-0}}" in run_env
        assert f'"{name}": "0"' in audit


@pytest.fixture
def https_on(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["testserver"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client, https_on):
    response = client.get("/blog/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/blog/?page=2"


@pytest.mark.django_db
def test_https_through_the_proxy_gets_hsts(client, https_on):
    response = client.get("/blog/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_load_balancers_may_probe_over_plain_http(client, https_on, path):
    assert client.get(path).status_code == 200
