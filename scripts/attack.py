"""`make attack`: replay the attacks of docs/security.md against the site in production mode.

The demo site runs under gunicorn (scripts/local_site.py) with the file cache, then with
Redis (REDIS_URL, when one answers on 127.0.0.1:6379), each directly and behind the
shipped deploy/nginx.conf (when nginx is installed). Every attack is made as an
anonymous visitor (or a signed-in staff user without permissions), and then checked from
a second, plain client: the attack "held" when that client got what it would have got
without the attack. Prints a table of attack → held, and exits 1 if any did not hold.

    make attack                 # every set-up this machine can run
    ATTACK_URL_FLOOD=500 make attack   # fewer distinct URLs for the cache flood (default 6,000)
"""

import os
import re
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import Nginx, free_port  # noqa: E402
from local_site import LocalSite  # noqa: E402
from upload_bombs import Author, Reader, gif_bomb, largest_gif, percentile  # noqa: E402

FLOOD = int(os.environ.get("ATTACK_URL_FLOOD", "6000"))
ARTICLE = "/blog/hiring-ai-engineers/"
TIMEOUT = 30


def plain(base, path="/"):
    """What an ordinary client (curl, a feed reader) gets: no cookies, no compression."""
    return requests.get(base + path, headers={"Accept-Encoding": "identity"}, timeout=TIMEOUT)


def encoding_poisoning(site, base):
    """The attacker's request is the first for its page, so it is the one the cache stores."""
    poisoned = []
    for number, accept in enumerate(
        ["gzip;q=0", "x-gzip", "GZIP;Q=0", "br;q=0, gzip;q=0", "*;q=0, identity"]
    ):
        path = f"/blog/?attack={os.getpid()}-{number}"
        requests.get(base + path, headers={"Accept-Encoding": accept}, timeout=TIMEOUT)
        if "Content-Encoding" in plain(base, path).headers:
            poisoned.append(accept)
    detail = (
        f"compressed body for a plain client after: {', '.join(poisoned)}"
        if poisoned
        else ("a plain request after each of 5 hostile Accept-Encoding headers")
    )
    return not poisoned, detail


def failed_sign_in_flush(site, base):
    before = site.content_version()
    session = requests.Session()
    login = site.admin_url + "login/"
    session.get(base + login, timeout=TIMEOUT)
    token = session.cookies.get("csrftoken", "")
    session.post(
        base + login,
        # A wrong password on purpose: the attack is a failed sign-in.
        data={"username": "nobody", "password": "wrong", "csrfmiddlewaretoken": token},  # nosec B105
        headers={"Referer": base + login},
        timeout=TIMEOUT,
    )
    kept = site.content_version() == before
    return kept, f"content version {'kept' if kept else 'replaced'} by a wrong-password sign-in"


def url_flood(site, base):
    version = site.content_version()

    def get(number):
        return requests.get(f"{base}/blog/?utm_source=x{number}", timeout=TIMEOUT).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(get, range(FLOOD)))
    kept = site.content_version() == version
    return kept and set(statuses) == {200}, f"{FLOOD:,} distinct URLs; content version kept: {kept}"


def header_variants(site, base):
    """Hostile headers on cached pages never change what a plain client gets next."""
    paths = ["/", "/blog/", ARTICLE, "/feed/", "/sitemap.xml"]
    baseline = {path: plain(base, path).content for path in paths}
    hostile = [
        {"Accept-Encoding": "gzip;q=0"},
        {"Accept-Encoding": "br, gzip", "Cookie": "sessionid=forged; csrftoken=x"},
        {"X-Forwarded-Host": "evil.example"},
        {"X-Forwarded-Proto": "https"},
        {"X-Original-URL": "/admin/"},
        {"If-None-Match": "*"},
        {"Range": "bytes=0-10"},
        {"Accept": "application/json"},
    ]
    changed = []
    for headers in hostile:
        for path in paths:
            requests.get(base + path, headers=headers, timeout=TIMEOUT)
            if plain(base, path).content != baseline[path]:
                changed.append(f"{path} after {headers}")
    return not changed, "; ".join(changed) or f"{len(hostile)} header sets × {len(paths)} pages"


def permissionless_staff(site, base):
    session = requests.Session()
    login = site.admin_url + "login/"
    session.get(base + login, timeout=TIMEOUT)
    session.post(
        base + login,
        data={
            "username": "no-perms",
            "password": site.staff_password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        headers={"Referer": base + login},
        timeout=TIMEOUT,
    )
    paths = ["blog/post/", "blog/post/broken-links/", "enquiries/enquiry/"]
    answers = {
        path: session.get(base + site.admin_url + path, timeout=TIMEOUT).status_code
        for path in paths
    }
    return all(code in (302, 403) for code in answers.values()), ", ".join(
        f"{path} {code}" for path, code in answers.items()
    )


def forwarded_proto(site, base):
    """Plain HTTP claiming to be HTTPS: only the header the operator names may say so.

    The site runs with HSTS on (production mode), which Django sends only over HTTPS: a
    Strict-Transport-Security header on a plain-HTTP answer means the claim was believed.
    """
    believed = []
    for header in ("X-Forwarded-Proto", "X-Forwarded-Ssl", "X-Forwarded-Protocol"):
        value = "on" if header == "X-Forwarded-Ssl" else "https"
        answer = requests.get(base + "/", headers={header: value}, timeout=TIMEOUT)
        if "Strict-Transport-Security" in answer.headers:
            believed.append(header)
    detail = f"believed: {', '.join(believed)}" if believed else "3 forwarded-scheme headers"
    return not believed, detail + " over plain HTTP"


def upload_bombs(site, base):
    """Two image bombs uploaded at once by a signed-in author, while a reader keeps reading.

    Held when both uploads get an answer (a refusal beside the field, or the post saved)
    and the reader's p99 stays under 1 s: no worker is held for long. Then the same with
    the costliest animation the budget accepts (scripts/upload_bombs.py has the details).
    """
    login = re.fullmatch(r"user '(.+)', password '(.+)'", site.login_file.read_text().strip())
    authors = [Author(login.groups(), base) for _ in range(2)]
    for author in authors:
        author.sign_in()
    reader = Reader(base)
    reader.start()
    answers, started = [], time.monotonic()
    # The bomb is refused beside the field (200); the costliest accepted one is saved (302).
    for kind, content in (("refused", gif_bomb()), ("saved", largest_gif())):

        def upload(author, marker, kind=kind, content=content):
            status, _, errors = author.add_post_with(f"{kind}.gif", content, marker)
            answers.append((kind, status, " ".join(errors)[:120]))

        pair = [
            threading.Thread(target=upload, args=(author, f"{os.urandom(4).hex()}-{kind}-{i}"))
            for i, author in enumerate(authors)
        ]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join()
    reader.stop.set()
    reader.join()
    during = [seconds for begun, seconds, _ in reader.samples if begun >= started]
    p99 = percentile(during, 0.99) if during else float("inf")
    expected = {"refused": 200, "saved": 302}
    answered = len(answers) == 4 and all(status == expected[kind] for kind, status, _ in answers)
    told = ", ".join(
        f"{status} ({kind}{': ' + error if status != expected[kind] else ''})"
        for kind, status, error in answers
    )
    return answered and p99 < 1.0, (
        f"uploads answered {told}; reader p99 {p99:.2f} s over {len(during)} requests"
    )


ATTACKS = [
    ("Accept-Encoding q=0 poisons the page cache", encoding_poisoning),
    ("a failed sign-in empties the page cache", failed_sign_in_flush),
    ("distinct URLs evict the site's state", url_flood),
    ("hostile headers change what others get", header_variants),
    ("staff without permissions read admin pages", permissionless_staff),
    ("a forwarded-scheme header over plain HTTP is believed", forwarded_proto),
    ("two image bombs at once hold the workers", upload_bombs),
]


class Target(LocalSite):
    def setup_attacker(self):
        self.admin_url = "/admin/"
        self.staff_password = "no-perms-" + os.urandom(6).hex()
        self.shell(
            "from django.contrib.auth.models import User;"
            f"User.objects.filter(username='no-perms').delete();"
            f"User.objects.create_user('no-perms', password='{self.staff_password}', is_staff=True)"
        )

    def content_version(self):
        return self.shell(
            "from core.http.page_cache import content_version; print(content_version())"
        ).strip()


class NginxSite:
    """What bench.Nginx expects of a site: the gunicorn it proxies, and a page to copy."""

    def __init__(self, site):
        self.cached = self.uncached = site
        self.article = ARTICLE


def run(setups):
    rows = []
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        for name, env in setups:
            workdir = Path(tmp) / name.replace(" ", "-")
            workdir.mkdir()
            site = Target(workdir, f"127.0.0.1:{free_port()}", **env)
            site.start()
            stack.callback(site.stop)
            site.setup_attacker()
            fronts = [("gunicorn", site.base)]
            nginx = stack.enter_context(Nginx(workdir / "nginx", NginxSite(site)))
            if nginx.process:
                fronts.append(("nginx", f"http://127.0.0.1:{nginx.port}"))
            for front, base in fronts:
                for attack, check in ATTACKS:
                    held, detail = check(site, base)
                    rows.append((attack, f"{name}, {front}", held, detail))
                    print(f"{'held' if held else 'BROKE'}: {attack} ({name}, {front}): {detail}")
    return rows


def redis_available():
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001 - any failure means "no Redis here"
        return False
    return True


def main():
    setups = [("file cache", {})]
    if redis_available():
        setups.append(("Redis", {"REDIS_URL": f"redis://127.0.0.1:6379/{os.getpid() % 16}"}))
    rows = run(setups)
    print("\n| Attack | Set-up | Held | Detail |\n|---|---|---|---|")
    for attack, setup, held, detail in rows:
        print(f"| {attack} | {setup} | {'yes' if held else '**no**'} | {detail} |")
    sys.exit(0 if all(held for *_, held, _ in rows) else 1)


if __name__ == "__main__":
    main()
