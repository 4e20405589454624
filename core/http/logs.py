"""Structured logs: one JSON object per line on stdout, for Django and for gunicorn.

Django's LOGGING uses ``JsonFormatter`` in production; gunicorn.conf.py names
``GunicornLogger``, which writes its error log and access log the same way.
"""

import json
import logging
import sys
from datetime import UTC, datetime

from django.http import HttpRequest
from gunicorn import glogging

# Attributes every LogRecord has; anything else was passed in ``extra=`` and is kept.
_RECORD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "taskName",
}


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message and extras."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key in _RECORD_ATTRIBUTES or key.startswith("_"):
                continue
            if isinstance(value, HttpRequest):
                # django.request passes the request: its method and path say enough.
                entry["method"], entry["path"] = value.method, value.path
            elif isinstance(value, str | int | float | bool | None):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class GunicornLogger(glogging.Logger):
    """gunicorn's logs as JSON lines on stdout; successful health probes are not logged."""

    quiet_paths = ("/healthz", "/readyz")

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                handler.setFormatter(JsonFormatter())
                if isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr:
                    handler.setStream(sys.stdout)

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = int(atoms["s"])
        if atoms["U"] in self.quiet_paths and status < 400:
            return
        self.access_log.info(
            "%s %s %s",
            atoms["m"],
            atoms["U"],
            status,
            extra={
                "method": atoms["m"],
                "path": atoms["U"],
                "query": atoms["q"],
                "status": status,
                "bytes": atoms["B"],
                "duration_ms": atoms["M"],
                "remote_addr": atoms["h"],
                "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR"),
                "referer": environ.get("HTTP_REFERER"),
                "user_agent": environ.get("HTTP_USER_AGENT"),
            },
        )
