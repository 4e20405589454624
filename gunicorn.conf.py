"""gunicorn settings for production; each can be overridden from the environment.

Graceful reload (new code, new settings, no dropped requests): send HUP to the
master, ``kill -HUP "$(cat "$GUNICORN_PIDFILE")"`` or ``systemctl reload site``.
It starts new workers, then lets the old ones finish their requests (up to
``graceful_timeout``) before they exit. TERM stops gracefully; INT/QUIT at once.
"""

import os


def env_int(*names, default):
    """The first of ``names`` set in the environment, as an integer."""
    for name in names:
        value = os.environ.get(name, "").strip()
        if value:
            try:
                return int(value)
            except ValueError:
                raise SystemExit(f"{name} must be a whole number, not {value!r}") from None
    return default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is what many platforms (Heroku, Render, Dokku) set.
workers = env_int("GUNICORN_WORKERS", "WEB_CONCURRENCY", default=2)
# Threads: while one request waits (an upload decoded in its child process, a slow
# client, the database), the worker's other threads go on serving readers. With one
# thread, two large uploads at once held both workers and readers waited seconds.
threads = env_int("GUNICORN_THREADS", default=4)
# A request taking longer than this is killed (the worker restarts).
timeout = env_int("GUNICORN_TIMEOUT", default=30)
# On HUP or TERM, how long old workers may finish their requests.
graceful_timeout = env_int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = env_int("GUNICORN_KEEPALIVE", default=5)
# Recycle each worker after this many requests (plus up to the jitter, so the
# workers do not all restart at once): a slow leak can never grow for long.
max_requests = env_int("GUNICORN_MAX_REQUESTS", default=2000)
max_requests_jitter = env_int("GUNICORN_MAX_REQUESTS_JITTER", default=200)
pidfile = os.environ.get("GUNICORN_PIDFILE") or None
# gunicorn 25.1+ opens a control socket for gunicornc at one path per user
# ($XDG_RUNTIME_DIR/gunicorn.ctl, else ~/.gunicorn/gunicorn.ctl): a second instance on
# the machine (two `make run`, `make soak` beside one) takes it over, and the first to
# stop deletes it, so gunicornc would steer the wrong site. Signals and the pidfile do
# what this site needs; GUNICORN_CONTROL_SOCKET names a socket of this instance's own.
if os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip():
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"].strip()
else:
    control_socket_disable = True

# Whether a request came over HTTPS is Django's to decide, from the one header the
# operator names (DJANGO_SECURE_PROXY_SSL_HEADER, docs/deployment.md). Left to its
# defaults, gunicorn believes X-Forwarded-Proto, -Ssl and -Protocol from 127.0.0.1 (and
# from anyone on a Unix socket) and tells Django the request is HTTPS, so plain HTTP
# with such a header gets HSTS instead of the redirect. Trust no forwarded header here.
secure_scheme_headers = {}
forwarded_allow_ips = ""

# Access and error logs as JSON lines on stdout (core/http/logs.py), without
# the successful /healthz and /readyz probes.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "core.http.logs.GunicornLogger"
