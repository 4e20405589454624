"""`make soak`: readers and an author hammer the site in production mode; nothing may be lost.

Starts gunicorn (DEBUG off, several workers) on loopback, on a fresh database with the
demo content. For SOAK_SECONDS (60 by default):

- SOAK_READERS (48) reader threads, each on its own keep-alive connection, fetch
  articles, the blog index, tag pages, the feed and searches as fast as they can;
- one author signs in to the admin and every ~0.5 s edits a post through its change
  form (every field, inlines included, resubmitted with a new title and body line), or
  adds a post as a draft, which a later edit publishes.

Then it checks that every edit is in the database (each one is a django-reversion
revision, and each post ends with its last edit) and on the public page, and prints
requests, errors by status, latency percentiles and the verdict as Markdown. It exits 1
on any 5xx, any lost edit or any failed edit.

Options:
  --kill-worker   SIGKILL one gunicorn worker halfway (gunicorn starts another);
                  requests that failed around the kill are counted separately.
  DATABASE_URL=postgres://user@127.0.0.1:5432/anything
                  run on PostgreSQL: a scratch database `ops_soak` (SOAK_DB_NAME) on
                  that server is created and dropped.

Loopback only: it refuses any other address.
"""

import argparse
import http.client
import http.cookiejar
import ipaddress
import json
import os
import platform
import random
import re
import signal
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from local_site import LocalSite

ADDR = os.environ.get("SOAK_ADDR", "127.0.0.1:8766")
HOST, PORT = ADDR.rsplit(":", 1)
BASE = f"http://{ADDR}"
SECONDS = float(os.environ.get("SOAK_SECONDS", "60"))
READERS = int(os.environ.get("SOAK_READERS", "48"))
WORKERS = int(os.environ.get("SOAK_WORKERS", "3"))
EDIT_INTERVAL = 0.5
# Failures this close to the worker kill are blamed on it.
KILL_WINDOW = 3.0
SEARCH_TERMS = ["hiring", "evaluation", "team", "platform", "postmortem", "llm", "nothing-here"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kill-worker", action="store_true", help="SIGKILL a worker halfway")
    args = parser.parse_args()
    if not ipaddress.ip_address(HOST).is_loopback:
        sys.exit(f"The soak test only runs on loopback, not {HOST}.")

    with tempfile.TemporaryDirectory(prefix="soak-") as workdir, database() as db_url:
        server = Server(Path(workdir), db_url)
        with server:
            urls = server.reader_urls()
            run = Run(urls, server, kill_worker=args.kill_worker)
            run.go()
            verification = server.verify(run.author)
        report = Report(run, verification, server).markdown()
    print(report)
    return 0 if run.passed(verification) else 1


# The database -----------------------------------------------------------------


class database:
    """A fresh SQLite file, or a scratch PostgreSQL database made and dropped here."""

    def __init__(self):
        self.url = os.environ.get("DATABASE_URL", "")
        self.name = os.environ.get("SOAK_DB_NAME", "ops_soak")
        self.postgres = self.url.startswith(("postgres://", "postgresql://"))
        self.tmp = None

    def admin(self):
        import psycopg

        parts = urllib.parse.urlsplit(self.url)
        return psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=urllib.parse.unquote(parts.username or ""),
            password=urllib.parse.unquote(parts.password or "") or None,
            dbname="postgres",
            autocommit=True,
        )

    def __enter__(self):
        if not self.postgres:
            self.tmp = tempfile.TemporaryDirectory(prefix="soak-db-")
            return f"sqlite:///{self.tmp.name}/db.sqlite3"
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.name):
            sys.exit(f"SOAK_DB_NAME must be a plain identifier, not {self.name!r}.")
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {self.name}")
        return urllib.parse.urlsplit(self.url)._replace(path=f"/{self.name}").geturl()

    def __exit__(self, *exc):
        if self.postgres:
            with self.admin() as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        else:
            self.tmp.cleanup()


# The server -------------------------------------------------------------------


class Server(LocalSite):
    """The demo site under gunicorn, with the access log and errors kept for the report."""

    def __init__(self, workdir, db_url):
        super().__init__(workdir, ADDR, db_url, DJANGO_LOG_LEVEL="WARNING")
        self.log = workdir / "gunicorn.log"

    def __enter__(self):
        with open(self.log, "w") as log:
            # stdout is the access log (one line per request); errors go to the log file.
            self.start(WORKERS, ["--access-logfile", "-"], stderr=log)
        self.versions = json.loads(self.shell(VERSIONS))
        return self

    def __exit__(self, *exc):
        self.stop()

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def admin_login(self):
        user, password = re.fullmatch(
            r"user '(.+)', password '(.+)'", self.login_file.read_text().strip()
        ).groups()
        return user, password

    def reader_urls(self):
        urls = json.loads(self.shell(READER_URLS))
        urls["search"] = [f"/search/?q={term}" for term in SEARCH_TERMS]
        return urls

    def verify(self, author):
        """Every edit the author made, checked in the database and on the public page."""
        state = json.loads(self.shell(POST_STATE))
        lost, stale, not_public = [], [], []
        for post_id, edits in author.edits_by_post().items():
            post = state.get(str(post_id))
            if post is None:
                lost.extend(edits)
                continue
            lost.extend(edit for edit in edits if edit["title"] not in post["revision_titles"])
            last = edits[-1]
            if (post["title"], post["status"]) != (last["title"], last["status"]):
                stale.append({"expected": last, "found": post})
            if post["public"]:  # published, and not scheduled for later
                page = fetch(post["url"])
                if page[0] != 200 or last["marker"] not in page[1]:
                    not_public.append({"url": post["url"], "status": page[0]})
        unexpected = [line for line in self.log.read_text().splitlines() if is_server_error(line)]
        return {
            "edits": len(author.done),
            "lost": lost,
            "stale": stale,
            "not_public": not_public,
            "server_errors_logged": unexpected,
        }


VERSIONS = """
import json, sqlite3, django, gunicorn
from django.db import connection
postgres = connection.vendor == "postgresql"
with connection.cursor() as c:
    c.execute("select version()" if postgres else "select sqlite_version()")
    db = c.fetchone()[0] if postgres else f"SQLite {c.fetchone()[0]}"
print(json.dumps({"django": django.get_version(), "gunicorn": gunicorn.__version__,
                  "vendor": connection.vendor, "database": db.split(" on ")[0]}))
"""

READER_URLS = """
import json
from blog.models import Post, Tag
posts = [p.get_absolute_url() for p in Post.objects.published()]
tags = Tag.objects.filter(posts__in=Post.objects.published()).distinct()
tags = [t.get_absolute_url() for t in tags]
print(json.dumps({"article": posts, "index": ["/blog/", "/"], "tag": tags, "feed": ["/feed/"]}))
"""

POST_STATE = """
import json
from reversion.models import Version
from blog.models import Post
state = {}
for post in Post.objects.all():
    titles = [v.field_dict["title"] for v in Version.objects.get_for_object(post)]
    state[post.pk] = {"title": post.title, "status": post.status, "revision_titles": titles,
                      "url": post.get_absolute_url(), "public": post.is_public}
print(json.dumps(state))
"""


def is_server_error(line):
    return "Internal Server Error" in line or "Traceback" in line or "database is locked" in line


def fetch(path):
    try:
        with urllib.request.urlopen(BASE + path, timeout=30) as response:  # nosec B310 # loopback http
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


# Readers ----------------------------------------------------------------------


class Readers:
    """Threads that fetch public pages on keep-alive connections until told to stop."""

    def __init__(self, urls, stop):
        self.urls = urls
        self.kinds = list(urls)
        self.stop = stop
        self.results = []  # (kind, status or exception name, seconds, finished at)
        self.lock = threading.Lock()

    def run(self, seed):
        rng = random.Random(seed)  # nosec B311 # picks pages, not secrets
        connection = http.client.HTTPConnection(HOST, int(PORT), timeout=30)
        mine = []
        while not self.stop.is_set():
            kind = rng.choice(self.kinds)
            path = rng.choice(self.urls[kind])
            started = time.monotonic()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                outcome = response.status
            except (OSError, http.client.HTTPException) as error:
                outcome = type(error).__name__
                connection.close()
            finished = time.monotonic()
            mine.append((kind, outcome, finished - started, finished))
        connection.close()
        with self.lock:
            self.results.extend(mine)


# The author -------------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of one <form> as a browser would submit them (without files)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = []  # (name, value), in order, repeated names allowed
        self.errors = []
        self._textarea = self._select = None
        self._select_multiple = False
        self._select_chosen = []
        self._error = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if "errorlist" in (attrs.get("class") or ""):
            self._error = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "file", "button"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append((name, attrs.get("value") or ("on" if "checked" in attrs else "")))
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
        elif tag == "select" and name:
            self._select, self._select_multiple, self._select_chosen = name, "multiple" in attrs, []
            self._first_option = None
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attrs:
                self._select_chosen.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data
        if self._error and data.strip():
            self.errors.append(data.strip())

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline right after <textarea>.
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "select" and self._select:
            chosen = self._select_chosen
            if not chosen and not self._select_multiple and self._first_option is not None:
                chosen = [self._first_option]
            self.fields.extend((self._select, value) for value in chosen)
            self._select = None
        elif tag == "form":
            self.inside = False
        elif tag in {"ul", "li"}:
            self._error = False


def parse_form(html, form_id="post_form"):
    parser = FormParser(form_id)
    parser.feed(html)
    return parser


def replace(fields, name, value):
    return [(key, value if key == name else old) for key, old in fields]


class Author:
    """Signs in to the admin and edits, adds and publishes posts through it."""

    def __init__(self, login, stop):
        self.login = login
        self.stop = stop
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        self.done = []  # {"post": id, "title", "status", "marker", "at"}
        self.failures = []  # (what, detail, at)
        self.statuses = Counter()
        self.latencies = []
        self.posts = []
        self.rng = random.Random(7)  # nosec B311 # picks posts, not secrets

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            response = self.opener.open(BASE + path, body, timeout=30)
            status, html, location = response.status, response.read().decode(), None
        except urllib.error.HTTPError as error:
            status, html = error.code, error.read().decode(errors="replace")
            location = error.headers.get("Location")
        self.latencies.append(time.monotonic() - started)
        self.statuses[status] += 1
        return status, html, location

    def sign_in(self):
        status, html, _ = self.request("/admin/login/")
        token = parse_form(html, "login-form").fields
        user, password = self.login
        data = [*token, ("username", user), ("password", password), ("next", "/admin/")]
        status, _, location = self.request("/admin/login/?next=/admin/", dict(data))
        if status != 302:
            raise RuntimeError(f"Admin sign-in failed with {status}")
        status, html, _ = self.request("/admin/blog/post/?o=1")
        self.posts = [int(pk) for pk in dict.fromkeys(re.findall(r"/admin/blog/post/(\d+)/", html))]

    def run(self):
        self.sign_in()
        step = 0
        while not self.stop.is_set():
            step += 1
            started = time.monotonic()
            try:
                if step % 4 == 0:
                    self.add_post(step)
                else:
                    self.edit_post(step)
            except (OSError, http.client.HTTPException, RuntimeError) as error:
                self.failures.append((f"step {step}", repr(error), time.monotonic()))
            self.stop.wait(max(0.0, EDIT_INTERVAL - (time.monotonic() - started)))

    def edit_post(self, step):
        # Publish the newest draft first, so every added post also goes live.
        drafts = [edit for edit in self.done if edit["status"] == "draft"]
        drafts = [d for d in drafts if self.last_edit(d["post"])["status"] == "draft"]
        post_id = drafts[-1]["post"] if drafts else self.rng.choice(self.posts)
        status, html, _ = self.request(f"/admin/blog/post/{post_id}/change/")
        if status != 200:
            raise RuntimeError(f"change form answered {status}")
        form = parse_form(html)
        fields = dict(form.fields)
        base = fields["title"].split(" · ")[0]
        marker = f"soak-edit-{step}-{os.urandom(3).hex()}"
        title = f"{base} · {marker}"
        body = fields["body"].rstrip() + f"\n\nEdited by the soak test: {marker}.\n"
        data = replace(replace(form.fields, "title", title), "body", body)
        data = replace(data, "status", "published")
        self.save(f"/admin/blog/post/{post_id}/change/", data, post_id, title, marker)

    def add_post(self, step):
        status, html, _ = self.request("/admin/blog/post/add/")
        if status != 200:
            raise RuntimeError(f"add form answered {status}")
        form = parse_form(html)
        marker = f"soak-new-{step}-{os.urandom(3).hex()}"
        title = f"Soak test post {step} · {marker}"
        values = {
            "title": title,
            "slug": f"soak-test-post-{step}-{marker[-6:]}",
            "description": "Written by the soak test while readers load the site.",
            "body": f"A post the soak test wrote.\n\n## Why\n\nTo be found again: {marker}.\n",
            "status": "draft",
        }
        data = [(key, values.get(key, value)) for key, value in form.fields]
        self.save("/admin/blog/post/add/", data, None, title, marker)

    def save(self, path, data, post_id, title, marker):
        # "Save and continue editing" redirects to the post's change form, naming its id.
        status, html, location = self.request(path, [*data, ("_continue", "Save")])
        if status != 302:
            errors = parse_form(html).errors if status == 200 else []
            raise RuntimeError(f"saving {path} answered {status}: {errors[:3]}")
        if post_id is None:
            post_id = int(re.search(r"/admin/blog/post/(\d+)/change/", location)[1])
            self.posts.append(post_id)
        fields = dict(data)
        self.done.append(
            {
                "post": post_id,
                "title": title,
                "status": fields["status"],
                "marker": marker,
                "at": time.monotonic(),
            }
        )

    def last_edit(self, post_id):
        return [edit for edit in self.done if edit["post"] == post_id][-1]

    def edits_by_post(self):
        grouped = {}
        for edit in self.done:
            grouped.setdefault(edit["post"], []).append(edit)
        return grouped


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# The run ----------------------------------------------------------------------


class Run:
    def __init__(self, urls, server, kill_worker=False):
        self.stop = threading.Event()
        self.readers = Readers(urls, self.stop)
        self.author = Author(server.admin_login(), self.stop)
        self.server = server
        self.kill_worker = kill_worker
        self.killed = None  # (pid, monotonic time)
        self.workers_after = []

    def go(self):
        threads = [
            threading.Thread(target=self.readers.run, args=(seed,)) for seed in range(READERS)
        ]
        threads.append(threading.Thread(target=self.author.run))
        self.started = time.monotonic()
        self.started_at = datetime.now(UTC)
        for thread in threads:
            thread.start()
        if self.kill_worker:
            self.stop.wait(SECONDS / 2)
            pid = self.server.workers()[0]
            os.kill(pid, signal.SIGKILL)
            self.killed = (pid, time.monotonic())
        self.stop.wait(max(0.0, SECONDS - (time.monotonic() - self.started)))
        self.stop.set()
        for thread in threads:
            thread.join()
        self.elapsed = time.monotonic() - self.started
        self.workers_after = self.server.workers()

    def blamed_on_kill(self, finished):
        return self.killed is not None and abs(finished - self.killed[1]) <= KILL_WINDOW

    def server_errors(self):
        readers = sum(1 for r in self.readers.results if isinstance(r[1], int) and r[1] >= 500)
        return readers + sum(n for status, n in self.author.statuses.items() if status >= 500)

    def passed(self, verification):
        failed = [r for r in self.readers.results if not isinstance(r[1], int) or r[1] >= 400]
        unexplained = [r for r in failed if not self.blamed_on_kill(r[3])]
        return not (
            self.server_errors()
            or unexplained
            or [f for f in self.author.failures if not self.blamed_on_kill(f[2])]
            or verification["lost"]
            or verification["stale"]
            or verification["not_public"]
            or verification["server_errors_logged"]
        )


# The report -------------------------------------------------------------------


def percentiles(seconds):
    if len(seconds) < 2:
        return ["-"] * 3
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    return [f"{cuts[i] * 1000:.0f}" for i in (49, 94, 98)]


class Report:
    def __init__(self, run, verification, server):
        self.run = run
        self.verification = verification
        self.server = server

    def machine(self):
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        memory = next(
            line.split()[1]
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        versions = self.server.versions
        return (
            f"{cpu}, {os.cpu_count()} CPUs, {int(memory) / 1024**2:.0f} GB RAM; "
            f"{platform.platform()}; Python {platform.python_version()}, "
            f"Django {versions['django']}, gunicorn {versions['gunicorn']} "
            f"({WORKERS} sync workers); {versions['database']}"
        )

    def markdown(self):
        run, verification = self.run, self.verification
        results = run.readers.results
        statuses = Counter(outcome for _, outcome, _, _ in results)
        total = len(results) + sum(run.author.statuses.values())
        lines = [
            f"### Soak run, {run.started_at:%Y-%m-%d %H:%M} UTC: "
            f"{self.server.versions['vendor']}"
            + (", one worker killed mid-run" if run.kill_worker else ""),
            "",
            f"- Machine: {self.machine()}",
            f"- Load average when the run ended (other work on the machine shows here): "
            f"{' / '.join(f'{load:.1f}' for load in os.getloadavg())} (1 / 5 / 15 min)",
            f"- {READERS} reader threads (keep-alive) and one admin author for {run.elapsed:.0f} s",
            f"- Requests: {total} ({total / run.elapsed:.0f}/s); readers {len(results)}, "
            f"author {sum(run.author.statuses.values())}",
            f"- Reader outcomes: {format_counter(statuses)}",
            f"- Author responses: {format_counter(run.author.statuses)}",
            f"- 5xx responses: {run.server_errors()}; errors in the server log: "
            f"{len(verification['server_errors_logged'])}",
            "",
            "| Pages | Requests | p50 ms | p95 ms | p99 ms |",
            "|---|---:|---:|---:|---:|",
        ]
        for kind in [*run.readers.kinds, "all readers"]:
            times = [t for k, _, t, _ in results if kind in (k, "all readers")]
            lines.append(f"| {kind} | {len(times)} | " + " | ".join(percentiles(times)) + " |")
        admin = run.author.latencies
        lines.append(f"| admin (author) | {len(admin)} | " + " | ".join(percentiles(admin)) + " |")
        lines.append("")
        if run.killed:
            pid, at = run.killed
            failed = [r for r in results if not isinstance(r[1], int) or r[1] >= 400]
            blamed = [r for r in failed if run.blamed_on_kill(r[3])]
            lines += [
                f"- Killed worker {pid} (SIGKILL) at {at - run.started:.0f} s; workers after "
                f"the run: {len(run.workers_after)} (gunicorn started a new one).",
                f"- Failed reader requests within {KILL_WINDOW:.0f} s of the kill: {len(blamed)} "
                f"({format_counter(Counter(r[1] for r in blamed)) or 'none'}); "
                f"failed at other times: {len(failed) - len(blamed)}.",
            ]
        edits = run.author.done
        published = sum(1 for e in edits if e["status"] == "published")
        added = sum(1 for e in edits if e["marker"].startswith("soak-new"))
        lines += [
            f"- Author: {len(edits)} admin saves ({added} new posts added as drafts, "
            f"{published} edits saved as published), {len(run.author.failures)} failed"
            + (f": {run.author.failures[:3]}" if run.author.failures else ""),
            f"- Afterwards: {len(edits) - len(verification['lost'])} of {len(edits)} edits found "
            f"as revisions; posts not ending on their last edit: {len(verification['stale'])}; "
            f"published posts whose page lacks the last edit: {len(verification['not_public'])}",
            f"- Verdict: **{'PASS' if run.passed(verification) else 'FAIL'}**",
        ]
        for name in ("lost", "stale", "not_public", "server_errors_logged"):
            if verification[name]:
                lines.append(f"  - {name}: {verification[name][:5]}")
        return "\n".join(lines)


def format_counter(counter):
    return ", ".join(f"{key}: {n}" for key, n in sorted(counter.items(), key=str))


if __name__ == "__main__":
    sys.exit(main())
