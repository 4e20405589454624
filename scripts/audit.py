"""`make audit`: Lighthouse and the Nu Html Checker on the demo site in production mode.

Starts gunicorn (DEBUG off) on a fresh SQLite database with the demo content,
then for the home, blog index, article, tag, books, praise, About and work-with-me pages
(AUDIT_PAGES=home,about for some of them; AUDIT_CONTENT=imported for a site made only of
imported posts instead of the demo) prints the four Lighthouse category scores on mobile (median of
AUDIT_RUNS runs, 5 by default,
since mobile performance varies on a busy machine) and desktop (median of
AUDIT_DESKTOP_RUNS, 3), and the Nu checker's error count for the page's HTML.

Needs: Chromium (/usr/bin/chromium or CHROME_PATH), Node with `npm ci` done
(Lighthouse 12.2.3 and vnu-jar from package.json), and Java for vnu.jar.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from local_site import ROOT, LocalSite

NODE_BIN = ROOT / "node_modules" / ".bin"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
    "--disable-background-networking --disable-component-update --disable-sync"
)
ADDR = os.environ.get("AUDIT_ADDR", "127.0.0.1:8765")
BASE = f"http://{ADDR}"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MOBILE_RUNS = int(os.environ.get("AUDIT_RUNS", "5"))
DESKTOP_RUNS = int(os.environ.get("AUDIT_DESKTOP_RUNS", "3"))
REPORTS = ROOT / "test-artifacts" / "audit"
# AUDIT_CONTENT=imported audits a site made only of imported posts (scripts/local_site.py).
CONTENT = os.environ.get("AUDIT_CONTENT", "demo")


def main():
    check_tools()
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as workdir, demo_server(Path(workdir), ADDR) as pages:
        rows = []
        for name, path in pages.items():
            url = BASE + path
            mobile = median_scores(url, "mobile", MOBILE_RUNS, name)
            desktop = median_scores(url, "desktop", DESKTOP_RUNS, name)
            errors = html_errors(url, name)
            rows.append((name, path, mobile, desktop, errors))
            print(format_row(rows[-1]), flush=True)
    print()
    print(markdown_table(rows))
    failures = [row[0] for row in rows if not meets_targets(row)]
    if failures:
        print(f"\nBelow target: {', '.join(failures)}")
        return 1
    print("\nEvery page meets the targets.")
    return 0


def check_tools():
    missing = []
    if not Path(CHROME).exists():
        missing.append(f"Chromium at {CHROME} (apt-get install chromium)")
    if not (NODE_BIN / "lighthouse").exists() or not VNU_JAR.exists():
        missing.append("Lighthouse and vnu-jar (npm ci --ignore-scripts)")
    if not shutil.which("java"):
        missing.append("Java for the Nu checker (apt-get install default-jre-headless)")
    if missing:
        sys.exit("make audit needs: " + "; ".join(missing))


class demo_server(LocalSite):
    """The demo site, served; entering gives the pages to audit."""

    def __enter__(self):
        self.start(content=CONTENT)
        article, tag = self.shell(ARTICLE_AND_TAG_URLS).split()
        pages = {
            "home": "/",
            "blog": "/blog/",
            "article": article,
            "tag": tag,
            "books": "/books/",
            "praise": "/praise/",
            "about": "/about/",
            "work-with-me": "/work-with-me/",
        }
        wanted = [name for name in os.environ.get("AUDIT_PAGES", "").split(",") if name]
        return {name: path for name, path in pages.items() if not wanted or name in wanted}

    def __exit__(self, *exc):
        self.stop()


# The longest article, and the tag with the most published posts.
ARTICLE_AND_TAG_URLS = (
    "from django.db.models import Count, Q; from blog.models import Post, Tag; "
    "print(Post.objects.published().order_by('-word_count').first().get_absolute_url()); "
    "print(Tag.objects.annotate(n=Count('posts', filter=Q(posts__in=Post.objects.published())))"
    ".order_by('-n').first().get_absolute_url())"
)


def lighthouse(url, form_factor, report_path):
    command = [
        str(NODE_BIN / "lighthouse"),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report_path}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    # Lighthouse 12.2.3 trips over a trace field this Chromium renamed; a few
    # diagnostic audits error out but every score is still computed, and the
    # exit status may be non-zero. The report's scores are what count.
    report_path.unlink(missing_ok=True)
    for _attempt in range(3):
        result = subprocess.run(
            command, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True
        )
        if report_path.exists():
            break
        print(f"  Lighthouse failed on {url}, retrying: {result.stderr.strip()[-300:]}")
    else:
        sys.exit(f"Lighthouse produced no report for {url}")
    report = json.loads(report_path.read_text())
    return {
        category: round((report["categories"][category]["score"] or 0) * 100)
        for category in CATEGORIES
    }


def median_scores(url, form_factor, runs, name):
    results = [
        lighthouse(url, form_factor, REPORTS / f"{name}-{form_factor}-{run}.json")
        for run in range(runs)
    ]
    return {
        category: round(statistics.median(result[category] for result in results))
        for category in CATEGORIES
    }


def html_errors(url, name):
    """The Nu checker's errors for the page as served, fed from a saved copy."""
    page = REPORTS / f"{name}.html"
    page.write_bytes(urllib.request.urlopen(url).read())  # nosec B310 # loopback http
    result = subprocess.run(  # nosec B607 # java from the PATH, as documented
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", str(page)],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    for message in messages:
        print(f"  {name}: line {message.get('lastLine')}: {message['message']}")
    return len(messages)


def meets_targets(row):
    _, _, mobile, desktop, errors = row
    others = ["accessibility", "best-practices", "seo"]
    return (
        all(mobile[c] == 100 and desktop[c] == 100 for c in others)
        and desktop["performance"] == 100
        and mobile["performance"] >= 95
        and errors == 0
    )


def format_row(row):
    name, path, mobile, desktop, errors = row
    scores = lambda s: "/".join(str(s[c]) for c in CATEGORIES)  # noqa: E731
    return f"{name:14} mobile {scores(mobile):16} desktop {scores(desktop):16} HTML errors {errors}"


def markdown_table(rows):
    header = (
        "| Page | Mobile perf | Mobile a11y | Mobile best practices | Mobile SEO "
        "| Desktop perf | Desktop a11y | Desktop best practices | Desktop SEO | HTML errors |"
    )
    lines = [
        f"Lighthouse 12.2.3 (mobile: median of {MOBILE_RUNS} runs, desktop: median of "
        f"{DESKTOP_RUNS}) and the Nu Html Checker, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.node()} ({os.cpu_count()} cores), Chromium at {CHROME}.",
        "",
        header,
        "|" + "---|" * 10,
    ]
    for name, path, mobile, desktop, errors in rows:
        cells = [f"{name} (`{path}`)"]
        cells += [str(mobile[c]) for c in CATEGORIES] + [str(desktop[c]) for c in CATEGORIES]
        lines.append("| " + " | ".join([*cells, str(errors)]) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
