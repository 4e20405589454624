"""deploy/nginx.conf run by a real nginx in front of a stand-in upstream.

The upstream answers every page with the Accept-Encoding nginx sent it, marked cacheable,
so each test sees what nginx decided for a client and what it stored under that
decision. Needs nginx (.ci/run installs it); without it the tests skip and say so,
except in CI, where a missing nginx fails them.
"""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from bench import Nginx  # noqa: E402 - scripts/ is not a package

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
if NGINX is None:
    if os.environ.get("CI"):
        pytest.fail("nginx is not installed; .ci/run installs it", pytrace=False)
    pytest.skip("nginx is not installed (apt-get install nginx)", allow_module_level=True)


class EchoEncoding(BaseHTTPRequestHandler):
    """Every page: the Accept-Encoding it was sent, public for a minute."""

    def do_GET(self):
        body = (self.headers.get("Accept-Encoding") or "-").encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Cache-Control", "public, s-maxage=60")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("nginx")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), EchoEncoding)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    addr = f"127.0.0.1:{upstream.server_address[1]}"
    site = SimpleNamespace(cached=SimpleNamespace(addr=addr))
    runner = Nginx(workdir, site)
    media = workdir / "media"
    media.mkdir()
    (media / "a.gif").write_bytes(b"GIF89a<script>alert(1)</script>")
    conf = runner.runnable(runner.CONF.read_text()).replace("alias var/media/", f"alias {media}/")
    (workdir / "nginx.conf").write_text(conf)
    stderr = workdir / "stderr.log"
    process = subprocess.Popen(
        [NGINX, "-c", str(workdir / "nginx.conf"), "-p", f"{ROOT}/", "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=stderr.open("w"),
    )
    base = f"http://127.0.0.1:{runner.port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/media/a.gif", timeout=1)  # nosec B310 # loopback
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {stderr.read_text()[-2000:]}")
            time.sleep(0.1)
    yield base
    process.send_signal(signal.SIGQUIT)
    process.wait(timeout=10)
    upstream.shutdown()


def fetch(url, accept_encoding=None):
    request = urllib.request.Request(url)
    if accept_encoding is not None:
        request.add_header("Accept-Encoding", accept_encoding)
    with urllib.request.urlopen(request, timeout=5) as response:  # nosec B310 # loopback
        return response.headers, response.read().decode()


@pytest.mark.parametrize(
    "header, sent_upstream",
    [
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("GZIP;Q=0.5", "gzip"),
        ("gzip;q=0.001", "gzip"),
        ("gzip, deflate, br", "br"),
        ("br;q=1.0", "br"),
        ("gzip;q=0", "-"),
        ("x-gzip;q=0", "-"),
        ("gzip;q=0.000", "-"),
        ("gzip ; q = 0", "-"),  # spaces around "=" are not in the grammar: not accepted
        ("gzip;q=2", "-"),
        ("gzip;q=0.0001", "-"),
        ("br;q=0, gzip", "gzip"),
        ("br;q=0, gzip;q=0", "-"),
        ("nogzip, brotli", "-"),
        ("identity", "-"),
        ("", "-"),
    ],
)
def test_the_encoding_sent_upstream_is_one_the_client_accepts(nginx, header, sent_upstream):
    # Each header on its own path: what one client gets is not what another stored.
    path = f"/negotiate/{abs(hash(header))}"
    assert fetch(nginx + path, header)[1] == sent_upstream


def test_a_refused_encoding_is_never_served_from_the_cache_to_others(nginx):
    # The attack: gzip;q=0 first, then a client with no header at all.
    fetch(f"{nginx}/poison", "gzip;q=0")
    headers, body = fetch(f"{nginx}/poison")
    assert body == "-"
    assert headers.get("Content-Encoding") is None
    fetch(f"{nginx}/poison-2", "gzip")
    assert fetch(f"{nginx}/poison-2", "gzip;q=0")[1] == "-"
    assert fetch(f"{nginx}/poison-2", "gzip")[1] == "gzip"


def test_uploads_are_served_sandboxed_and_not_sniffed(nginx):
    headers, _ = fetch(f"{nginx}/media/a.gif")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == (
        "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    assert headers["Content-Type"] == "image/gif"
