"""`make bench`: throughput and latency of the site in production mode, at several archive sizes.

For each N in BENCH_N (default 10 and 100,000), a fresh database gets the demo content
plus N generated posts (`manage.py generate_posts`), and two gunicorn servers (2 sync
workers, gunicorn.conf.py, DJANGO_DEBUG=0) serve it on loopback:

- "cache on": the site as configured;
- "cache off": the same with the page cache switched off (DJANGO_PAGE_CACHE_SECONDS=0),
  so every request is rendered.

A load generator in a separate process (wrk when installed, else a small Python one)
then measures, interleaved in rounds so that a busy machine slows every case alike:
a bare Django view returning a fixed page as large as the article (the framework's
ceiling), the article with the page cache off ("cold") and on after a first request
("warm"), the blog index page 1 and a deep page (1,000, or the last one when fewer),
the busiest tag's page and the RSS feed; list pages and the feed are measured with the
page cache off, which is what their cost per request is. With nginx and
deploy/nginx.conf present, the article through that nginx and a static file from it
are measured too.

Printed (and, in full mode, written to docs/performance.md): requests/s, p50 and p99
latency, non-2xx responses (and socket errors), SQL queries per request (the
X-Bench-Queries header of DJANGO_BENCH mode), peak RSS per worker, the machine, and
the issue's targets with PASS or FAIL.

Environment:
  BENCH_N            comma-separated sizes (default "10,100000")
  BENCH_QUICK=1      sizes 10,1000, shorter runs, docs not written (unless BENCH_WRITE=1)
  BENCH_DURATION     seconds per measurement (default 5; quick 2)
  BENCH_ROUNDS       interleaved rounds (default 3; quick 1)
  BENCH_CONNECTIONS  concurrent connections (default 16)
  BENCH_WRITE        1/0: write docs/performance.md (default: 1 in full mode)
  DATABASE_URL       a PostgreSQL server to use instead of SQLite in a temp dir: one
                     throwaway database per size is created next to the named one and
                     dropped at the end
"""

import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DOCS = ROOT / "docs" / "performance.md"
START_MARK, END_MARK = "<!-- bench:start -->", "<!-- bench:end -->"

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SIZES = [int(n) for n in os.environ.get("BENCH_N", "10,1000" if QUICK else "10,100000").split(",")]
DURATION = float(os.environ.get("BENCH_DURATION", "2" if QUICK else "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1" if QUICK else "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WRITE = os.environ.get("BENCH_WRITE", "0" if QUICK else "1") not in ("", "0")
DEEP_PAGE = 1000
# The page cache's off switch (core/http/page_cache.py): no page is kept.
CACHE_OFF = {"DJANGO_PAGE_CACHE_SECONDS": "0"}
PER_PAGE = 10  # blog.views.PostListMixin.paginate_by


def main():
    loader = "wrk" if shutil.which("wrk") else "python"
    print(f"Load generator: {loader}; sizes {SIZES}; {ROUNDS} round(s) of {DURATION:g} s each.")
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp, ExitStack() as stack:
        tmp = Path(tmp)
        collectstatic()
        sites = [stack.enter_context(Site(n, tmp / f"n{n}")) for n in SIZES]
        nginx = stack.enter_context(Nginx(tmp / "nginx", sites[-1]))
        cases = [case for site in sites for case in site.cases()] + nginx.cases()
        for case in cases:
            case.check()
        print("Warming up…", flush=True)
        for case in cases:
            load(case.url, min(1.0, DURATION), loader)
        for round_number in range(1, ROUNDS + 1):
            print(f"Round {round_number}/{ROUNDS}", flush=True)
            for case in cases:
                case.results.append(load(case.url, DURATION, loader))
                case.queries = case.count_queries()
                print("  " + case.line(), flush=True)
        for site in sites:
            site.read_memory()
        nginx_note = nginx.note
    rows = [case.summary() for case in cases]
    report = render(rows, targets(cases), machine(loader), nginx_note)
    print("\n" + report)
    if WRITE:
        write_docs(report)
        print(f"\nWritten to {DOCS.relative_to(ROOT)}.")
    return 0


def collectstatic():
    env = {**os.environ, **production_env("127.0.0.1:1")}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def production_env(addr):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_DOMAIN": addr,
        # Plain HTTP on loopback: no secure-only cookies, no redirect to HTTPS.
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DJANGO_BENCH": "1",
        # Workers are recycled every 2,000 requests in production; under a benchmark's
        # load that would be every second or two, measuring restarts instead of pages.
        "GUNICORN_MAX_REQUESTS": "0",
        "GUNICORN_WORKERS": "2",
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """A fresh database: SQLite in the temp dir, or a throwaway one on DATABASE_URL's server."""

    def __init__(self, n, workdir):
        self.url = os.environ.get("DATABASE_URL", "")
        self.name = None
        if self.url.startswith(("postgres://", "postgresql://")):
            parts = urlsplit(self.url)
            self.admin_url = self.url
            self.name = f"{parts.path.lstrip('/') or 'postgres'}_bench_{n}"
            self.url = parts._replace(path="/" + self.name).geturl()
            self.sql(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.sql(f'CREATE DATABASE "{self.name}"')
        else:
            self.url = f"sqlite:///{workdir / 'db.sqlite3'}"

    def sql(self, statement):
        import psycopg

        with psycopg.connect(self.admin_url.replace("postgres://", "postgresql://")) as conn:
            conn.autocommit = True
            conn.execute(statement)

    def drop(self):
        if self.name:
            self.sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Server:
    """gunicorn serving one site; stdout (the access log) goes to a file."""

    def __init__(self, label, env, workdir):
        self.label = label
        self.addr = f"127.0.0.1:{free_port()}"
        self.env = {**env, "DJANGO_SITE_DOMAIN": self.addr}
        self.log = open(workdir / f"gunicorn-{label.replace(' ', '-')}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", self.addr]
            + ["site_config.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.peak_rss_mb = None
        try:
            wait_for(f"http://{self.addr}/_bench/fixed/?bytes=10", self.process)
        except BaseException:
            self.stop()
            raise

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def read_memory(self):
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks.append(int(match[1]) / 1024)
        self.peak_rss_mb = max(peaks) if peaks else None

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def wait_for(url, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with status {process.returncode}; see its log")
        try:
            urllib.request.urlopen(url, timeout=2)  # nosec B310 # our loopback http URL
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"The server did not answer at {url} within {timeout} s")


class Site:
    """The demo content plus N generated posts in a fresh database, served twice."""

    def __init__(self, n, workdir):
        self.n = n
        self.workdir = workdir
        self.servers = []
        self.database = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.__exit__()
            raise

    def start(self):
        self.workdir.mkdir(parents=True)
        self.database = Database(self.n, self.workdir)
        self.env = {
            **os.environ,
            **production_env("127.0.0.1"),
            "DATABASE_URL": self.database.url,
            "DJANGO_MEDIA_ROOT": str(self.workdir / "media"),
            "DJANGO_CACHE_DIR": str(self.workdir / "cache"),
            "DJANGO_ADMIN_LOGIN_FILE": str(self.workdir / "admin-login.txt"),
        }
        started = time.monotonic()
        self.manage("migrate", "--noinput")
        self.manage("setup_demo")
        self.manage("generate_posts", str(self.n))
        facts = json.loads(self.manage("shell", "--no-imports", "-c", FACTS))
        print(f"N={self.n:,}: database ready in {time.monotonic() - started:.0f} s", flush=True)
        self.article, self.tag = facts["article"], facts["tag"]
        self.deep_page = max(1, min(DEEP_PAGE, -(-facts["published"] // PER_PAGE)))
        self.deep_tag_page = max(1, min(DEEP_PAGE, -(-facts["tagged"] // PER_PAGE)))
        self.cached = Server(f"n{self.n} cache on", self.env, self.workdir)
        self.servers.append(self.cached)
        self.uncached = Server(f"n{self.n} cache off", {**self.env, **CACHE_OFF}, self.workdir)
        self.servers.append(self.uncached)
        return self

    def __exit__(self, *exc):
        for server in self.servers:
            server.stop()
        if self.database:
            self.database.drop()

    def manage(self, *args):
        result = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        if result.returncode:
            sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def cases(self):
        # A worker's first requests fill its own caches (the Site, content types): the
        # article's own queries are the fewest any request needed.
        fetched = [fetch(f"http://{self.uncached.addr}{self.article}") for _ in range(4)]
        article = fetched[-1][1]
        bare = f"/_bench/fixed/?bytes={len(article)}"
        queries = min(int(response.headers.get("X-Bench-Queries", "0")) for response, _ in fetched)
        off, on = self.uncached, self.cached
        deep = self.deep_page
        return [
            Case(self, "bare", "bare Django view", off, bare),
            Case(
                self, "sql", f"bare view + {queries} ORM queries", off, f"{bare}&queries={queries}"
            ),
            Case(self, "chrome", "site chrome alone, rendered", off, "/_bench/chrome/"),
            Case(self, "cold", "article, cache cold", off, self.article),
            Case(self, "warm", "article, cache warm", on, self.article),
            Case(self, "index", "index page 1", off, "/blog/"),
            Case(self, "deep", f"index page {deep:,}", off, f"/blog/?page={deep}"),
            Case(self, "tag", "tag page", off, f"/blog/tag/{self.tag}/"),
            Case(
                self,
                "deep tag",
                f"tag page {self.deep_tag_page:,}",
                off,
                f"/blog/tag/{self.tag}/?page={self.deep_tag_page}",
            ),
            Case(self, "feed", "RSS feed", off, "/feed/"),
        ]

    def read_memory(self):
        for server in self.servers:
            server.read_memory()


FACTS = """
import json
from django.db.models import Count, Q
from blog.models import Post, Tag
published = Post.objects.published()
article = published.order_by("-word_count").first()
tag = (
    Tag.objects.annotate(n=Count("posts", filter=Q(posts__in=published)))
    .order_by("-n", "name").first()
)
print(json.dumps({
    "article": article.get_absolute_url(), "tag": tag.slug, "published": published.count(),
    "tagged": tag.n,
}))
"""


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:  # nosec B310 # our loopback http URL
        return response, response.read()


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    bad: int  # non-2xx/3xx responses plus socket errors


@dataclass
class Case:
    site: Site
    kind: str
    name: str
    server: Server | None
    path: str
    base: str = ""
    results: list = field(default_factory=list)
    queries: str = "–"

    @property
    def url(self):
        return (self.base or f"http://{self.server.addr}") + self.path

    @property
    def size_label(self):
        return f"{self.site.n:,}"

    def check(self):
        response, body = fetch(self.url)
        if response.status != 200:
            sys.exit(f"{self.url} answered {response.status}, not 200")
        if self.kind == "warm":
            fetch(self.url)  # the first request fills the cache

    def count_queries(self):
        if not self.server:
            return "–"
        response, _ = fetch(self.url)
        return response.headers.get("X-Bench-Queries", "?")

    def line(self):
        r = self.results[-1]
        return (
            f"N={self.size_label:>8} {self.name:24} {r.rps:9.1f} req/s  p50 {r.p50_ms:7.2f} ms"
            f"  p99 {r.p99_ms:7.2f} ms  bad {r.bad}  queries {self.queries}"
        )

    def summary(self):
        rss = self.server.peak_rss_mb if self.server else None
        return {
            "size": self.size_label,
            "case": self.name,
            "path": self.path,
            "rps": statistics.median(r.rps for r in self.results),
            "p50": statistics.median(r.p50_ms for r in self.results),
            "p99": statistics.median(r.p99_ms for r in self.results),
            "bad": sum(r.bad for r in self.results),
            "queries": self.queries,
            "rss": f"{rss:.0f}" if rss else "–",
        }


def load(url, seconds, loader):
    if loader == "wrk":
        return run_wrk(url, seconds)
    return run_python_load(url, seconds)


def run_wrk(url, seconds):
    threads = min(2, CONNECTIONS)
    out = subprocess.run(  # nosec B607 # wrk from PATH, fixed arguments
        [
            "wrk",
            f"-t{threads}",
            f"-c{CONNECTIONS}",
            f"-d{max(1, round(seconds))}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.MULTILINE))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        p50_ms=wrk_ms(percentiles["50"]),
        p99_ms=wrk_ms(percentiles["99"]),
        requests=int(re.search(r"(\d+) requests in", out)[1]),
        bad=(int(bad[1]) if bad else 0) + (sum(map(int, errors.groups())) if errors else 0),
    )


def wrk_ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_python_load(url, seconds):
    """A keep-alive HTTP/1.1 load generator in a separate process, one thread per connection."""
    out = subprocess.run(
        [PYTHON, __file__, "--python-load", url, str(seconds), str(CONNECTIONS)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return Result(**json.loads(out))


def python_load(url, seconds, connections):
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies, bad = [], [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
        mine, failures = [], 0
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", target)
                response = conn.getresponse()
                response.read()
                if not 200 <= response.status < 400:
                    failures += 1
            except OSError:
                failures += 1
                conn.close()
                conn = HTTPConnection(parts.hostname, parts.port, timeout=30)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)
            bad[0] += failures

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    print(
        json.dumps(
            {
                "rps": len(latencies) / elapsed,
                "p50_ms": pick(0.50),
                "p99_ms": pick(0.99),
                "requests": len(latencies),
                "bad": bad[0],
            }
        )
    )


class Nginx:
    """deploy/nginx.conf run by nginx in front of the largest site's "cache on" gunicorn.

    nginx runs with the checkout as its prefix (``nginx -p <checkout>``), so relative
    paths such as ``alias var/static/`` find collectstatic's output. The configuration
    is made runnable here: our port for ``listen``, our gunicorn for the upstream (any
    ``127.0.0.1:8000``, ``localhost:8000`` or ``unix:`` address), STATIC_ROOT for
    absolute ``/srv/…/var/static`` paths, and pid, logs, temp files and the proxy cache
    in the temp dir. Skipped, with a note, without nginx or the file.
    BENCH_NGINX_CONF names another file to run instead.
    """

    CONF = Path(os.environ.get("BENCH_NGINX_CONF", ROOT / "deploy" / "nginx.conf"))

    def __init__(self, workdir, site):
        self.workdir, self.site = workdir, site
        self.process = None
        self.note = ""
        self.port = free_port()

    def __enter__(self):
        binary = shutil.which("nginx") or next(
            (p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None
        )
        if not binary:
            self.note = "nginx is not installed: the nginx rows were skipped."
        elif not self.CONF.exists():
            self.note = "deploy/nginx.conf does not exist yet: the nginx rows were skipped."
        if self.note:
            print(self.note)
            return self
        self.workdir.mkdir(parents=True)
        conf = self.workdir / "nginx.conf"
        conf.write_text(self.runnable(self.CONF.read_text()))
        static = ROOT / "var" / "static" / "bench-static.html"
        static.write_bytes(fetch(f"http://{self.site.uncached.addr}{self.site.article}")[1])
        self.process = subprocess.Popen(
            [binary, "-c", str(conf), "-p", f"{ROOT}/", "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.workdir / "stderr.log", "w"),  # noqa: SIM115
        )
        try:
            wait_for(f"http://127.0.0.1:{self.port}/static/bench-static.html", self.process, 15)
        except SystemExit:
            self.note = "nginx did not start with deploy/nginx.conf: the nginx rows were skipped."
            print(self.note, (self.workdir / "stderr.log").read_text()[-1000:])
            self.stop()
        return self

    def runnable(self, text):
        tmp = self.workdir
        static_root = str(ROOT / "var" / "static")
        text = re.sub(r"(^|\s)#.*$", "", text, flags=re.MULTILINE)  # comments mention directives
        text = re.sub(r"^\s*(user|pid|daemon|error_log)\s[^;]*;", "", text, flags=re.MULTILINE)
        text = re.sub(r"listen\s+[^;\n]*;", f"listen 127.0.0.1:{self.port};", text)
        text = re.sub(r"^\s*ssl_\w+\s[^;]*;", "", text, flags=re.MULTILINE)
        text = re.sub(r"(127\.0\.0\.1|localhost):8000|unix:[^;\s]+", self.site.cached.addr, text)
        text = re.sub(r"/srv/[^\s;]*?/var/static", static_root, text)
        text = re.sub(r"access_log\s[^;]*;", f"access_log {tmp}/access.log;", text)
        text = re.sub(r"(proxy_cache_path\s+)\S+", rf"\g<1>{tmp}/proxy-cache", text)
        kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        for kind in kinds:
            text = re.sub(rf"^\s*{kind}_temp_path\s[^;]*;", "", text, flags=re.MULTILINE)
        if not re.search(r"^\s*http\s*\{", text, re.MULTILINE):
            text = f"http {{\n include /etc/nginx/mime.types;\n{text}\n}}\n"
        if not re.search(r"^\s*events\s*\{", text, re.MULTILINE):
            text = "events {}\n" + text
        temp = "".join(f" {kind}_temp_path {tmp}/{kind};" for kind in kinds)
        text = re.sub(r"^(\s*http\s*\{)", rf"\1{temp}", text, count=1, flags=re.MULTILINE)
        # Run by root, nginx's workers would drop to "nobody", who cannot enter the temp dir.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return f"{user}pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n{text}"

    def cases(self):
        if not self.process:
            return []
        base = f"http://127.0.0.1:{self.port}"
        return [
            Case(
                self.site, "static", "nginx: static file", None, "/static/bench-static.html", base
            ),
            Case(self.site, "proxied", "nginx: article", None, self.site.article, base),
        ]

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            self.process.wait(timeout=30)
        self.process = None

    def __exit__(self, *exc):
        self.stop()
        (ROOT / "var" / "static" / "bench-static.html").unlink(missing_ok=True)


def targets(cases):
    """The issue's targets, each (description, verdict, detail)."""
    by = {(case.site.n, case.kind): case for case in cases}
    rps = lambda c: statistics.median(r.rps for r in c.results)  # noqa: E731
    p99 = lambda c: statistics.median(r.p99_ms for r in c.results)  # noqa: E731
    verdict = lambda ok: "PASS" if ok else "FAIL"  # noqa: E731
    found = []
    for n in SIZES:
        bare, warm, cold = by[(n, "bare")], by[(n, "warm")], by[(n, "cold")]
        ratio = rps(warm) / rps(bare)
        found.append(
            (
                f"N={n:,}: article, warm cache ≥ 0.9 × bare view, p99 < 20 ms",
                verdict(ratio >= 0.9 and p99(warm) < 20),
                f"{ratio:.2f} ×, p99 {p99(warm):.1f} ms",
            )
        )
        ratio = rps(cold) / rps(bare)
        chrome = rps(by[(n, "chrome")]) / rps(bare)
        sql = by[(n, "sql")]
        sql_ratio = rps(sql) / rps(bare)
        queries = int(cold.queries) if cold.queries.isdigit() else None
        found.append(
            (
                f"N={n:,}: article, cold cache ≥ 0.4 × bare view, ≤ 8 queries",
                verdict(ratio >= 0.4 and queries is not None and queries <= 8),
                f"{ratio:.2f} ×, {cold.queries} queries (floors: {sql.name}, no template, "
                f"{sql_ratio:.2f} ×; the site chrome rendered with no query, {chrome:.2f} ×)",
            )
        )
    what = "Article through nginx ≥ 0.8 × static file from nginx"
    large = SIZES[-1]
    if (large, "proxied") in by:
        ratio = rps(by[(large, "proxied")]) / rps(by[(large, "static")])
        found.append((what, verdict(ratio >= 0.8), f"{ratio:.2f} ×"))
    else:
        found.append((what, "SKIP", "no nginx run"))
    small = SIZES[0]
    if small != large:
        # Both against page 1 at the small size: its deep page is its last, which may
        # hold fewer posts than a full page (a smaller, faster page).
        for kind in ("index", "deep"):
            a, b = by[(small, "index")], by[(large, kind)]
            slower = rps(a) / rps(b)
            found.append(
                (
                    f"{b.name} at N={large:,} within 1.2 × of {a.name} at N={small:,}",
                    verdict(slower <= 1.2),
                    f"{slower:.2f} × the time",
                )
            )
    # Not one of the targets, but the same promise: a deep page of a large tag
    # costs what its first page does.
    first, deep = by[(large, "tag")], by[(large, "deep tag")]
    slower = rps(first) / rps(deep)
    found.append(
        (
            f"{deep.name} at N={large:,} within 1.2 × of its page 1",
            verdict(slower <= 1.2),
            f"{slower:.2f} × the time",
        )
    )
    bad = sum(r.bad for c in cases for r in c.results)
    found.append(("Zero non-2xx responses", verdict(bad == 0), f"{bad} in all runs"))
    return found


def machine(loader):
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match[1].strip() if match else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text())[1])
        memory = f", {kb / 1024 / 1024:.1f} GB RAM"
    tool = "wrk " + wrk_version() if loader == "wrk" else "the Python load generator"
    db = os.environ.get("DATABASE_URL", "")
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; gunicorn {module_version('gunicorn')} "
        f"(2 sync workers); Django {module_version('django')}; "
        f"{database_vendor(db)}; load from {tool}, {CONNECTIONS} connections"
    )


def wrk_version():
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)  # nosec B607 # wrk from PATH
    match = re.search(r"wrk (\S+)", out.stdout + out.stderr)
    return match[1] if match else ""


def module_version(name):
    from importlib.metadata import version

    return version(name)


def database_vendor(url):
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
            return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def render(rows, found, machine_line, nginx_note):
    mode = "quick mode" if QUICK else "full mode"
    lines = [
        f"`make bench` ({mode}), {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {ROUNDS} interleaved "
        f"round(s) of {DURATION:g} s per row; medians of the rounds.",
        "",
        f"Machine: {machine_line}.",
        "",
        "| N posts | Page | Requests/s | p50 ms | p99 ms | Non-2xx | Queries | RSS/worker MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['size']} | {row['case']} (`{row['path']}`) | {row['rps']:,.0f} "
            f"| {row['p50']:.1f} | {row['p99']:.1f} | {row['bad']} | {row['queries']} "
            f"| {row['rss']} |"
        )
    lines += ["", "| Target | Result | Measured |", "|---|---|---|"]
    lines += [f"| {what} | {verdict} | {detail} |" for what, verdict, detail in found]
    if nginx_note:
        lines += ["", nginx_note]
    return "\n".join(lines)


def write_docs(report):
    text = DOCS.read_text() if DOCS.exists() else "# Performance\n"
    block = f"{START_MARK}\n{report}\n{END_MARK}"
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip() + "\n\n## Benchmark\n\n" + block + "\n"
    DOCS.write_text(text)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--python-load"]:
        python_load(sys.argv[2], float(sys.argv[3]), int(sys.argv[4]))
        sys.exit(0)
    sys.exit(main())
