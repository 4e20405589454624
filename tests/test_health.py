"""Health checks, structured logs and gunicorn's settings (docs/deployment.md)."""

import io
import json
import logging
import runpy
import sys
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

from core.http.logs import GunicornLogger, JsonFormatter

GUNICORN_CONF = settings.BASE_DIR / "gunicorn.conf.py"


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ok_when_migrated(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_unavailable_until_every_migration_is_applied(client):
    # As after deploying a release with a new migration, before `migrate` runs.
    app, name = MigrationLoader(connection).graph.leaf_nodes("praise")[0]
    MigrationRecorder(connection).record_unapplied(app, name)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": f"1 unapplied migration(s): praise.{name}",
    }
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_unavailable_without_the_database(client, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OperationalError('connection to server at "db.internal" failed: password for "site"')

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "reason": "database unavailable (OperationalError)",
    }
    assert "db.internal" not in response.text


# ---- gunicorn.conf.py ----


def load_gunicorn_conf(monkeypatch, **env):
    for name in (
        "GUNICORN_WORKERS",
        "WEB_CONCURRENCY",
        "GUNICORN_TIMEOUT",
        "GUNICORN_BIND",
        "GUNICORN_CONTROL_SOCKET",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def gunicorn_settings(namespace):
    return {k: v for k, v in namespace.items() if not k.startswith("_") and k in Config().settings}


def test_gunicorn_conf_defaults(monkeypatch):
    conf = load_gunicorn_conf(monkeypatch)
    assert conf["workers"] == 2
    assert conf["timeout"] == 30
    assert conf["graceful_timeout"] == 30
    assert conf["max_requests"] == 2000
    assert conf["max_requests_jitter"] == 200
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["logger_class"] == "core.http.logs.GunicornLogger"


def test_gunicorn_conf_reads_the_environment(monkeypatch):
    conf = load_gunicorn_conf(
        monkeypatch,
        GUNICORN_WORKERS="5",
        GUNICORN_TIMEOUT="60",
        GUNICORN_GRACEFUL_TIMEOUT="45",
        GUNICORN_MAX_REQUESTS="500",
        GUNICORN_MAX_REQUESTS_JITTER="50",
        GUNICORN_BIND="0.0.0.0:8080",
        GUNICORN_PIDFILE="/run/site/gunicorn.pid",
    )
    assert (conf["workers"], conf["timeout"], conf["graceful_timeout"]) == (5, 60, 45)
    assert (conf["max_requests"], conf["max_requests_jitter"]) == (500, 50)
    assert conf["bind"] == "0.0.0.0:8080"
    assert conf["pidfile"] == "/run/site/gunicorn.pid"


def test_gunicorn_workers_fall_back_to_web_concurrency(monkeypatch):
    assert load_gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3")["workers"] == 3
    both = load_gunicorn_conf(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_WORKERS="4")
    assert both["workers"] == 4


def test_gunicorn_conf_refuses_a_malformed_number(monkeypatch):
    with pytest.raises(SystemExit, match="GUNICORN_WORKERS must be a whole number, not 'many'"):
        load_gunicorn_conf(monkeypatch, GUNICORN_WORKERS="many")


def test_gunicorn_accepts_every_value(monkeypatch):
    """Each name in the file is a gunicorn setting and passes its validation."""
    conf = load_gunicorn_conf(monkeypatch, GUNICORN_WORKERS="3")
    names = [k for k in conf if not k.startswith("_") and k not in {"os", "env_int"}]
    config = Config()
    for name in names:
        assert name in config.settings, name
        config.set(name, conf[name])
    assert config.workers == 3
    assert config.logger_class is GunicornLogger


def loaded_config(conf):
    """gunicorn's settings as it runs with ``conf`` (gunicorn.conf.py's names)."""
    config = Config()
    for name, value in gunicorn_settings(conf).items():
        config.set(name, value)
    return config


def parsed_request(conf, peer, *headers):
    """The request gunicorn, configured by ``conf``, reads from ``peer``."""
    config = loaded_config(conf)
    raw = "\r\n".join(["GET / HTTP/1.1", "Host: 127.0.0.1", *headers, "", ""]).encode()
    return next(iter(RequestParser(config, io.BytesIO(raw), peer)))


@pytest.mark.parametrize(
    "peer", [("127.0.0.1", 50000), ("::1", 50000, 0, 0), ("203.0.113.9", 50000), ""]
)
@pytest.mark.parametrize(
    "header", ["X-Forwarded-Proto: https", "X-Forwarded-Ssl: on", "X-Forwarded-Protocol: ssl"]
)
def test_gunicorn_never_takes_the_scheme_from_a_header(monkeypatch, peer, header):
    """Plain HTTP stays plain, whoever claims otherwise: loopback (gunicorn's default trust),
    another address, or a Unix socket (always trusted by gunicorn). Django alone reads the
    one header the operator names (DJANGO_SECURE_PROXY_SSL_HEADER)."""
    for name in ("FORWARDED_ALLOW_IPS", "DJANGO_SECURE_PROXY_SSL_HEADER"):
        monkeypatch.delenv(name, raising=False)
    assert parsed_request(load_gunicorn_conf(monkeypatch), peer, header).scheme == "http"


def test_gunicorn_opens_no_control_socket_shared_with_other_instances(monkeypatch, tmp_path):
    """gunicorn's default control socket is one per user, so a second `make run` took over
    the first one's; none is opened unless this instance is given a path of its own."""
    config = loaded_config(load_gunicorn_conf(monkeypatch))
    assert config.control_socket_disable is True

    own = str(tmp_path / "site-8001.ctl")
    config = loaded_config(load_gunicorn_conf(monkeypatch, GUNICORN_CONTROL_SOCKET=own))
    assert config.control_socket_disable is False and config.control_socket == own


# ---- structured logs ----


def gunicorn_logger(monkeypatch):
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stdout)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    config = Config()
    config.set("accesslog", "-")
    config.set("errorlog", "-")
    return GunicornLogger(config), stdout


def access(logger, path, status):
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "page=2",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.9",
        "HTTP_USER_AGENT": 'Mozilla/5.0 "quoted"',
    }
    response = SimpleNamespace(status=f"{status} X", sent=1234, headers=[])
    request = SimpleNamespace(headers=[])
    logger.access(response, request, environ, timedelta(milliseconds=42))


def test_gunicorn_logs_json_lines_on_stdout(monkeypatch):
    logger, stdout = gunicorn_logger(monkeypatch)
    access(logger, "/blog/", 200)
    logger.error("Worker (pid:%s) was sent SIGKILL!", 123)
    access_line, error_line = (json.loads(line) for line in stdout.getvalue().splitlines())
    assert access_line["logger"] == "gunicorn.access"
    assert access_line["message"] == "GET /blog/ 200"
    assert access_line["path"] == "/blog/"
    assert access_line["query"] == "page=2"
    assert access_line["status"] == 200
    assert access_line["bytes"] == 1234
    assert access_line["duration_ms"] == 42
    assert access_line["user_agent"] == 'Mozilla/5.0 "quoted"'
    assert error_line["level"] == "ERROR"
    assert error_line["message"] == "Worker (pid:123) was sent SIGKILL!"


def test_successful_health_probes_stay_out_of_the_access_log(monkeypatch):
    logger, stdout = gunicorn_logger(monkeypatch)
    access(logger, "/healthz", 200)
    access(logger, "/readyz", 200)
    assert stdout.getvalue() == ""
    access(logger, "/readyz", 503)
    assert json.loads(stdout.getvalue())["status"] == 503


def test_django_logs_are_json_with_the_request_and_traceback(rf):
    request = rf.get("/blog/broken/")
    try:
        raise ValueError("bad value")
    except ValueError:
        record = logging.getLogger("django.request").makeRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/blog/broken/",),
            sys.exc_info(),
            extra={"status_code": 500, "request": request},
        )
    line = json.loads(JsonFormatter().format(record))
    assert line["level"] == "ERROR"
    assert line["message"] == "Internal Server Error: /blog/broken/"
    assert (line["method"], line["path"], line["status_code"]) == ("GET", "/blog/broken/", 500)
    assert "ValueError: bad value" in line["exception"]
