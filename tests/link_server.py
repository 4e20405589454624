"""A local HTTP server for the external link checks: each path answers one way.

Tests never reach the internet: the checker is pointed at this server, with private
addresses allowed (``LINK_CHECK_ALLOW_PRIVATE``) only where a test says so.
"""

import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    def answer(self, status, headers=()):
        self.server.requests.append((self.command, self.path, dict(self.headers)))
        if self.path.startswith("/slow"):
            time.sleep(SLOW_SECONDS)
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0" if self.command == "HEAD" else "2")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"ok")

    def route(self):
        path = self.path.split("?")[0]
        if path == "/no-head" and self.command == "HEAD":
            return self.answer(405)
        if path.startswith("/ok") or path in {"/no-head", "/slow"}:
            return self.answer(200)
        if path == "/moved":
            return self.answer(301, [("Location", "/ok/new")])
        if path == "/temporary":
            return self.answer(302, [("Location", "/ok")])
        if path == "/loop":
            return self.answer(302, [("Location", "/loop")])
        if path == "/to-metadata":
            return self.answer(302, [("Location", "http://169.254.169.254/latest/meta-data/")])
        if path == "/to-loopback":
            return self.answer(302, [("Location", "http://2130706434/")])  # 127.0.0.2
        if path == "/gone":
            return self.answer(404)
        if path == "/forbidden":
            return self.answer(403)
        if path == "/error":
            return self.answer(500)
        return self.answer(404)

    do_GET = do_HEAD = route


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default 5 drops parallel connections for a second


@contextmanager
def link_server():
    """``(base_url, requests)``: the server's address and what it was asked, in order."""
    server = Server(("127.0.0.1", 0), Handler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", server
    finally:
        server.shutdown()
        server.server_close()


def offline_resolver(host, port):
    """Numeric hosts as the system reads them ("2130706433" too), localhost, nothing else.

    Stands in for DNS in tests, so a test can never look a name up on the internet.
    """
    if host == "localhost":
        return ["127.0.0.1", "::1"]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST)
    except socket.gaierror:
        raise socket.gaierror(socket.EAI_NONAME, "not known offline") from None
    return list(dict.fromkeys(info[4][0] for info in infos))
