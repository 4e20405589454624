"""Settings for the author site, driven by environment variables.

Development defaults are safe to run on a laptop. With DJANGO_DEBUG off, the
settings refuse to start without a secret key and allowed hosts.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from core.http.csp import site_policy

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # nosec B105 # DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS must list the site's host names when DJANGO_DEBUG is off, "
        "e.g. DJANGO_ALLOWED_HOSTS=example.com,www.example.com"
    )

INSTALLED_APPS = [
    "site_config.apps.AdminConfig",  # django.contrib.admin, with our site (site_config/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.redirects",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "markdownx",
    "reversion",
    "core",
    "blog",
    "pages",
    "books",
    "praise",
    "enquiries",
    "transfer",
    "previews",
    "search",
    "axes",
    # The demo site of `make run` (manage.py setup_demo) and the synthetic posts of
    # `make bench` (manage.py generate_posts): no runtime code.
    "demo",
    "benchmarks",
]

# The page cache (core/signals.py) starts a new content version when a model readers can
# see changes: one of these apps' models, or one of these app.model labels. No other
# model ever does: not sign-in attempts (django-axes), sessions, the admin's log,
# revisions or enquiries, so no visitor can empty the cache at will, and neither can a
# third-party app added later.
PAGE_CACHE_VISIBLE = {
    "blog", "pages", "books", "praise", "search", "sites", "redirects",
    "enquiries.need", "enquiries.budgetrange",
}  # fmt: skip
# Models of those apps that readers never see (ImageUse: the media library's record of
# where each image is used, shown in the admin only).
PAGE_CACHE_INVISIBLE = {"blog.pendingedit", "blog.imageuse"}

MIDDLEWARE = [
    # Security headers first, outside WhiteNoise, so static files get them too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.http.headers.permissions_policy_middleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above compression and ETags, so a stored page is compressed once and a
    # warm request skips everything below it (docs/performance.md, "Caching").
    "core.http.page_cache.PageCacheMiddleware",
    "core.http.compression.CompressionMiddleware",
    # Below compression, so the ETag is computed on the uncompressed page.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # request.site_settings, which the blog's and books' views read.
    "pages.middleware.site_settings_middleware",
    # A crafted id too large for the database answers 400 (core/http/errors.py).
    "core.http.errors.NumberTooLargeMiddleware",
    # Turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Last: it only answers requests that would otherwise be a 404.
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
]

# Sign-in protection (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT failed sign-ins
# a username is locked out, from any address, and so is an address, for any username,
# until DJANGO_LOGIN_COOLOFF_MINUTES pass without another try. Its backend comes first:
# it refuses locked-out sign-ins before a password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# The visitor's address as the enquiry rate limit sees it (DJANGO_CLIENT_IP_HEADER below).
AXES_CLIENT_IP_CALLABLE = "enquiries.spam.client_ip"
AXES_LOCKOUT_CALLABLE = "core.http.lockout.locked_out"
# No start-up banner; failed sign-ins and lockouts are still logged as warnings.
AXES_VERBOSE = False

# Where the admin lives: a path of your own makes it a little harder to find for the
# scripts that try passwords on /admin/ everywhere.
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip().strip("/") + "/"
if not re.fullmatch(r"[\w~-][\w.~-]*(/[\w~-][\w.~-]*)*/", ADMIN_URL):
    raise ImproperlyConfigured(
        f"DJANGO_ADMIN_URL must be a path such as 'admin/' or 'backstage/', not {ADMIN_URL!r}."
    )

# The one Site record (django.contrib.sites) names the public address that feeds,
# the sitemap and hand-made redirects use; pages/sites.py keeps it current.
SITE_ID = 1
SITE_DOMAIN = os.environ.get("DJANGO_SITE_DOMAIN", "")

ROOT_URLCONF = "site_config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pages.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "site_config.wsgi.application"

if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(exist_ok=True)

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL;",
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Two authors (or one author's two tabs) saving at once: a write transaction takes
    # SQLite's write lock when it begins (IMMEDIATE), so the second waits for the first,
    # up to `timeout` seconds, instead of failing with "database is locked" when a read
    # lock cannot be upgraded. WAL lets readers go on while a write is in progress.
    DATABASES["default"].setdefault("OPTIONS", {}).update(SQLITE_OPTIONS)
if os.environ.get("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DATABASE_TEST_NAME"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The body of a long article plus its form fields; larger posts are refused.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email goes through Django 6.1's MAILERS. The console backend prints messages
# (development); set DJANGO_EMAIL_HOST to send through SMTP.
email_host = os.environ.get("DJANGO_EMAIL_HOST", "")
MAILERS = {
    "default": (
        {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": email_host,
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "587")),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", True),
                "timeout": 10,
            },
        }
        if email_host
        else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "site@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The request header holding the visitor's address when a proxy sits in front
# (e.g. HTTP_X_REAL_IP); empty means REMOTE_ADDR. Used by the enquiry rate limit.
ENQUIRIES_CLIENT_IP_HEADER = os.environ.get("DJANGO_CLIENT_IP_HEADER", "")

# A file cache by default, so every gunicorn worker on the machine sees the same
# entries and an invalidation in one worker reaches all; Redis for several machines.
# Two caches: "default" holds the site's state (the page cache's content version, the
# enquiry rate limits, the cached site settings, the next scheduled moment) and "pages"
# the page cache's pages. Anonymous requests decide which pages are stored, so they fill
# "pages" only: past MAX_ENTRIES the file cache drops a third of its entries at random,
# and that must never be the state.
CACHE_DIR = Path(os.environ.get("DJANGO_CACHE_DIR", str(VAR_DIR / "cache")))
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": 50_000},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(CACHE_DIR / "pages"),
        # Room for every page in its compressed variants.
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
# How long the page cache keeps a page at most; it is invalidated exactly on every
# change, so this only bounds edits made behind the ORM's back. Off (0) when
# debugging, so template edits show at once.
PAGE_CACHE_SECONDS = int(os.environ.get("DJANGO_PAGE_CACHE_SECONDS", "0" if DEBUG else "3600"))
# How much of the page cache each worker also keeps in its own memory, in front
# of the shared cache (core/http/page_cache.py); 0 keeps none.
PAGE_CACHE_MEMORY_BYTES = int(os.environ.get("DJANGO_PAGE_CACHE_MEMORY_MB", "16")) * 1024 * 1024
if os.environ.get("REDIS_URL"):
    # Pages may go to a Redis of their own, whose eviction can then never touch the
    # state (docs/performance.md, "Settings").
    PAGES_REDIS_URL = os.environ.get("DJANGO_PAGE_CACHE_REDIS_URL") or os.environ["REDIS_URL"]
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": alias,
        }
        for alias, location in [("default", os.environ["REDIS_URL"]), ("pages", PAGES_REDIS_URL)]
    }

# Where `manage.py setup_demo` keeps the admin login it created, to print it again.
ADMIN_LOGIN_FILE = Path(os.environ.get("DJANGO_ADMIN_LOGIN_FILE", VAR_DIR / "admin-login.txt"))

# django-markdownx: the admin preview goes through the same function that
# renders published posts, so authors see exactly what readers will get.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "blog.rendering.render_markdown"
MARKDOWNX_MEDIA_PATH = "uploads/"
MARKDOWNX_UPLOAD_MAX_SIZE = 10 * 1024 * 1024
MARKDOWNX_UPLOAD_CONTENT_TYPES = ["image/jpeg", "image/png", "image/webp", "image/gif"]
MARKDOWNX_SERVER_CALL_LATENCY = 400

# What an upload may cost to decode (docs/images.md; core/images/reencode.py checks it,
# from the header where it can, before decoding). One frame: a 48 Mpx phone photo fits.
IMAGE_MAX_PIXELS = 50_000_000
# An animation: frames × canvas pixels (20 frames of 800×600 are 9.6 Mpx), and frames.
IMAGE_MAX_ANIMATION_PIXELS = 16_000_000
IMAGE_MAX_FRAMES = 200
# Passes of a progressive JPEG (libjpeg decodes the whole image for each); photos have 1-10.
IMAGE_MAX_JPEG_SCANS = 32
# Decoding and re-encoding run in a child process, stopped after this long (gunicorn
# stops a request at 30 s) and with this much memory at most.
IMAGE_PROCESSING_SECONDS = 10
IMAGE_PROCESSING_MEMORY = 1024 * 1024 * 1024

# Logs go to stdout; in production as JSON lines (core/http/logs.py), which log
# collectors parse; DJANGO_LOG_FORMAT=text gives plain lines.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "core.http.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json").lower(),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
}

# ---- Production HTTPS and security headers (docs/deployment.md) ----
if not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    # Off (=0) only for plain HTTP on loopback, or when the proxy in front redirects.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
# Load balancers may probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Preloading is a promise to browsers that is slow to undo, so it is the operator's
# choice (DJANGO_SECURE_HSTS_PRELOAD=1), and check --deploy need not ask for it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
# Behind a TLS-terminating proxy: the header it sets to "https", e.g. HTTP_X_FORWARDED_PROTO.
# Only when the proxy always sets or overwrites it, or visitors could claim HTTPS.
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].strip(), "https")

SECURE_CSP = site_policy(extra_img_src=env_list("DJANGO_CSP_IMG_SRC"))
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features nobody on the site needs, refused for the page and any frame.
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "usb", "browsing-topics",
]  # fmt: skip

# Uploaded media is served by Django only when asked: fine for one machine
# behind gunicorn; a bigger site serves MEDIA_ROOT from the web server or a CDN.
SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", True)

# `make bench` only (scripts/bench.py, benchmarks/bench.py): a bare fixed page at
# /_bench/fixed/ and a header counting each response's SQL queries, outermost so it
# also counts what a page cache costs. Never set in production.
BENCH_MODE = env_bool("DJANGO_BENCH", False)
if BENCH_MODE:
    MIDDLEWARE.insert(0, "benchmarks.bench.QueryCountMiddleware")

# "Check external links" in the post editor (blog/external_links.py): the server asks the
# sites a post links to. It never connects to this machine's own networks (loopback,
# private, link-local…) and only to these ports; tests against a local server allow
# private addresses and its port, nothing else should.
LINK_CHECK_ALLOW_PRIVATE = False
LINK_CHECK_PORTS = (80, 443)
