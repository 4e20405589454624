"""Two image bombs uploaded at once through the admin while a reader times `GET /blog/`.

Starts the demo site under gunicorn in production mode on loopback (``local_site.py``,
two workers of four threads and a 30 s timeout, as shipped), signs in to the admin, and has
a reader fetch `/blog/` back to back. After a few quiet seconds, two threads each add a
post whose featured image is a bomb, at the same moment, ``--rounds`` times one pair after
another. It prints, as Markdown, what each upload got and how long it took, and the
reader's latency percentiles while uploads ran. (Two posts saved at the same moment on
SQLite wait for each other: the settings begin write transactions IMMEDIATE, with a 20 s
timeout.)

Bombs (``--bomb``, the first by default):
  gif      11 frames of 6,000×6,000 (396 Mpx, ~300 KB): issue 14's
  scans    a 4,000×3,000 progressive JPEG whose last scan is repeated 1,000 times (~100 KB)
  largest  the costliest animated GIF the budget accepts: 200 frames (IMAGE_MAX_FRAMES)
           of 282×282, each with its own palette, 16 Mpx in all (IMAGE_MAX_ANIMATION_PIXELS)
  photo    an ordinary 1600×1200 JPEG, to check the form goes through (302)

Usage: .venv/bin/python scripts/upload_bombs.py [--bomb gif|scans|largest|photo] [--rounds N]
(gunicorn.conf.py runs 4 threads a worker; GUNICORN_THREADS=1 runs one, as before.)
Loopback only.
"""

import argparse
import http.client
import http.cookiejar
import io
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from local_site import LocalSite
from PIL import Image
from soak import NoRedirect, parse_form

ADDR = "127.0.0.1:8767"
BASE = f"http://{ADDR}"
QUIET_SECONDS = 3.0  # the reader alone, before the uploads, and again after them


def gif_bomb():
    frames = [Image.new("P", (6000, 6000), i % 2) for i in range(11)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def scan_bomb(repeats=1000):
    """A progressive JPEG whose last scan (an AC refinement pass) is repeated."""
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 3000), (120, 130, 140)).save(
        buffer, "JPEG", progressive=True, quality=90
    )
    data = buffer.getvalue()
    last_scan, end = data.rindex(b"\xff\xda"), data.rindex(b"\xff\xd9")
    return data[:end] + data[last_scan:end] * repeats + data[end:]


def largest_gif(budget=16_000_000, frames=200):
    """As many frames as accepted, each with a palette of its own, up to the pixel budget.

    The costliest animation the budget lets through: frames after the first are decoded
    in full colour and quantized again, and that costs most per frame.
    """
    side = int((budget / frames) ** 0.5)
    ramp = Image.linear_gradient("L").resize((side, side))
    images = []
    for i in range(frames):
        shifted = ramp.point(lambda v, i=i: (v * 3 + i * 17) % 256)
        rgb = Image.merge("RGB", [ramp, ramp.rotate(90), shifted])
        images.append(rgb.convert("P", palette=Image.Palette.ADAPTIVE))
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


def photo():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 80, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


BOMBS = {
    "gif": (gif_bomb, "bomb.gif"),
    "scans": (scan_bomb, "bomb.jpg"),
    "largest": (largest_gif, "big.gif"),
    "photo": (photo, "photo.jpg"),  # not a bomb: checks that the form goes through
}


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        disposition = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for name, (filename, content) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Author:
    def __init__(self, login, base=BASE):
        self.login, self.base = login, base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def open(self, path, body=None, content_type=None):
        request = urllib.request.Request(self.base + path, body)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            response = self.opener.open(request, timeout=120)
            return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def sign_in(self):
        _, html = self.open("/admin/login/")
        user, password = self.login
        fields = [*parse_form(html, "login-form").fields, ("username", user)]
        fields += [("password", password), ("next", "/admin/")]
        status, _ = self.open("/admin/login/?next=/admin/", urllib.parse.urlencode(fields).encode())
        if status != 302:
            sys.exit(f"Admin sign-in failed with {status}")

    def add_post_with(self, filename, content, marker):
        """Fill in the add-post form as a browser would and submit it with the image."""
        status, html = self.open("/admin/blog/post/add/")
        if 'name="author"' not in html:
            title = re.search(r"<title>(.*?)</title>", html, re.S)
            return status, 0.0, [f"no add form: {title[1].strip() if title else html[:200]}"]
        fields = dict(parse_form(html).fields)
        authors = re.findall(r'<option value="(\d+)"[^>]*>', html.split('name="author"', 1)[1])
        fields.update(
            author=authors[0],
            status="draft",
            title=f"Bomb {marker}",
            slug=f"bomb-{marker}",
            body="Words.",
            featured_image_alt="A picture",
        )
        body, content_type = multipart(
            list(fields.items()), {"featured_image": (filename, content)}
        )
        started = time.monotonic()
        try:
            status, html = self.open("/admin/blog/post/add/", body, content_type)
        except (OSError, http.client.HTTPException) as error:  # a worker killed mid-request
            status, html = type(error).__name__, ""
        errors = parse_form(html).errors if status == 200 else []
        return status, time.monotonic() - started, errors


class Reader(threading.Thread):
    def __init__(self, base=BASE):
        super().__init__(daemon=True)
        self.base = base
        self.stop = threading.Event()
        self.samples = []  # (started, seconds, status)

    def run(self):
        while not self.stop.is_set():
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + "/blog/", timeout=120) as response:  # nosec B310 # loopback
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except OSError as error:
                status = type(error).__name__
            self.samples.append((started, time.monotonic() - started, status))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bomb", choices=BOMBS, default="gif")
    parser.add_argument("--rounds", type=int, default=1, help="pairs of uploads, one after another")
    args = parser.parse_args()
    make, filename = BOMBS[args.bomb]
    content = make()
    with tempfile.TemporaryDirectory(prefix="bombs-") as workdir:
        site = LocalSite(Path(workdir), ADDR, DJANGO_LOG_LEVEL="WARNING")
        log_path = Path(workdir) / "gunicorn.log"
        log = open(log_path, "w")  # noqa: SIM115 # open while the site runs
        site.start(workers=2, stdout=log, stderr=log)
        try:
            user, password = re.fullmatch(
                r"user '(.+)', password '(.+)'", site.login_file.read_text().strip()
            ).groups()
            authors = [Author((user, password)) for _ in range(2)]
            for author in authors:
                author.sign_in()
            reader = Reader()
            reader.start()
            time.sleep(QUIET_SECONDS)
            results, windows = [], []
            for round_number in range(args.rounds):
                pair = [None, None]

                def upload(index, pair=pair, round_number=round_number):
                    marker = f"{round_number}-{index}"
                    pair[index] = authors[index].add_post_with(filename, content, marker)

                started = time.monotonic()
                threads = [threading.Thread(target=upload, args=(i,)) for i in range(2)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
                windows.append((started, time.monotonic()))
                results.extend(pair)
            time.sleep(QUIET_SECONDS)
            reader.stop.set()
            reader.join()
        finally:
            site.stop()
            log.close()
        server_log = log_path.read_text().splitlines()
    during = [
        (seconds, status)
        for started, seconds, status in reader.samples
        if any(begin <= started < end for begin, end in windows)
    ]
    quiet = [s for started, s, _ in reader.samples if started < windows[0][0]]
    busy = sum(end - begin for begin, end in windows)
    threads = os.environ.get("GUNICORN_THREADS", "4")
    print(
        f"## {args.rounds} × two {args.bomb} uploads at once ({len(content):,} bytes each), "
        f"gunicorn 2 workers, {threads} thread(s) each\n"
    )
    print("| upload | status | seconds | message |\n|---|---|---|---|")
    for index, (status, seconds, errors) in enumerate(results):
        print(f"| {index + 1} | {status} | {seconds:.2f} | {' '.join(errors)[:160]} |")
    latencies = [seconds for seconds, _ in during]
    statuses = sorted({str(status) for _, status in during})
    print(f"\nReader `GET /blog/` while uploads ran ({busy:.1f} s in all):")
    if latencies:
        print(
            f"{len(latencies)} requests, statuses {', '.join(statuses)}; "
            f"p50 {statistics.median(latencies):.3f} s, p99 {percentile(latencies, 0.99):.3f} s, "
            f"max {max(latencies):.3f} s"
        )
    if quiet:
        print(f"Before them: {len(quiet)} requests, p99 {percentile(quiet, 0.99):.3f} s")
    problems = [line for line in server_log if "Traceback" in line or "TIMEOUT" in line]
    problems += [line for line in server_log if "Error" in line and line not in problems]
    if problems:
        print("\nServer log (errors and worker timeouts):\n")
        for line in problems[:20]:
            print(f"    {line[-1500:]}")


if __name__ == "__main__":
    main()
