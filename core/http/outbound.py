"""Asking other sites whether an address answers, safely: the server fetches URLs authors wrote.

``probe(url, ...)`` follows an address the way a reader's browser would (a few redirects)
and says what it found (``Probe``: ok, redirected, broken, unreachable, answered with
another status, or not checked). Since a URL in a post could name this server's own
network, every hop is held to these rules:

- only ``http`` and ``https``, only the ports the caller allows (80 and 443 on the site);
- the host is resolved once, here, and refused when any of its addresses is not public
  (loopback, private, link-local, multicast, reserved, unspecified; IPv4 and IPv6, with
  IPv4 inside IPv6 looked at too); the connection then goes to that very address (the
  name is sent as Host and TLS server name only), and the connected socket's peer is
  checked again, so a second DNS answer ("rebinding") cannot lead elsewhere;
- a redirect is a new hop and is checked the same way;
- nothing of the person asking is sent: no cookies, no credentials (``user:pass@`` in an
  address is dropped), only a User-Agent the caller names and ``Accept``;
- HEAD first; GET when a server refuses HEAD, closed after the headers (the body is never
  read); each hop bounded by short timeouts and by the caller's deadline, and a ``Watch``
  closes whatever is still open when the deadline passes.

urllib3 makes the requests; no proxy from the environment is used.
"""

import contextlib
import ipaddress
import socket
import threading
import time
from typing import NamedTuple
from urllib.parse import quote, urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError, NewConnectionError, SSLError
from urllib3.exceptions import TimeoutError as Urllib3Timeout

OK = "ok"
REDIRECTED = "redirected"
BROKEN = "broken"
UNREACHABLE = "unreachable"
ANSWERED = "answered"  # another status (401, 403, 429…): the checker cannot tell
NOT_CHECKED = "not-checked"

PORTS = (80, 443)
MAX_REDIRECTS = 5
CONNECT_SECONDS = 3.0
READ_SECONDS = 5.0
# Statuses some servers give HEAD but not GET: asked again with GET.
HEAD_REFUSED = {400, 403, 405, 501}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_REDIRECTS = {301, 308}
BROKEN_STATUSES = {404, 410}
# The well-known NAT64 prefix carries an IPv4 address in its last 32 bits.
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Probe(NamedTuple):
    kind: str
    message: str
    status: int | None = None
    final_url: str = ""


class NotChecked(Exception):
    """An address the checker will not connect to; the message says why."""


class Unreachable(Exception):
    pass


def is_public(address):
    """Whether ``address`` (an IP as text or ``ipaddress`` object) is on the public internet."""
    ip = ipaddress.ip_address(str(address).split("%")[0])  # an IPv6 zone ("%eth0") aside
    if ip.version == 6:
        if ip.ipv4_mapped is not None:  # ::ffff:a.b.c.d is the IPv4 address itself
            return is_public(ip.ipv4_mapped)
        embedded = ip.sixtofour
        if ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


class Target(NamedTuple):
    """One hop's request: where and what to ask, credentials already dropped."""

    scheme: str
    host: str  # ASCII (IDNA), no brackets
    port: int
    path: str  # path and query, percent-encoded
    url: str  # the address as checked, without credentials or fragment

    @classmethod
    def parse(cls, url):
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:  # "http://[::1", "http://a:99999"
            raise NotChecked(f"not a valid address ({error})") from None
        scheme = parts.scheme.lower()
        if scheme not in {"http", "https"}:
            raise NotChecked("only http and https addresses are checked")
        host = parts.hostname or ""
        if not host:
            raise NotChecked("the address has no host")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            try:
                host = host.rstrip(".").encode("idna").decode("ascii")
            except UnicodeError:
                raise NotChecked("the host name is not valid") from None
        port = port or (443 if scheme == "https" else 80)
        path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
        if parts.query:
            path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
        shown_host = f"[{host}]" if ":" in host else host
        default = port == (443 if scheme == "https" else 80)
        netloc = shown_host if default else f"{shown_host}:{port}"
        return cls(scheme, host, port, path, f"{scheme}://{netloc}{path}")

    @property
    def host_header(self):
        shown = f"[{self.host}]" if ":" in self.host else self.host
        return shown if self.port in {80, 443} else f"{shown}:{self.port}"


def resolve(host, port):
    """Every address ``host`` has, as the system resolver gives them."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def public_address(target, *, allow_private=False, ports=PORTS, resolver=None):
    """The address to connect to for ``target``; ``NotChecked`` when it may not be used."""
    if ports is not None and target.port not in ports:
        allowed = " and ".join(str(port) for port in ports)
        raise NotChecked(f"port {target.port} (only {allowed} are checked)")
    try:
        addresses = (resolver or resolve)(target.host, target.port)
    except (OSError, UnicodeError) as error:
        raise Unreachable("no such host") from error
    if not addresses:
        raise Unreachable("no such host")
    if not allow_private and not all(is_public(address) for address in addresses):
        raise NotChecked("private address")
    return addresses[0]


class Watch:
    """The sockets open for one run of probes, so they can all be closed at its deadline."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sockets = set()
        self.closed = False

    def add(self, sock):
        with self._lock:
            if self.closed:
                sock.close()
                raise Unreachable("not checked in time")
            self._sockets.add(sock)

    def close_all(self):
        with self._lock:
            self.closed = True
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _PinnedConnection:
    """Connects to the address checked beforehand, and checks the socket's peer again."""

    expected_address = ""
    allow_private = False
    watch = None

    def connect(self):
        super().connect()
        peer = self.sock.getpeername()[0]
        if peer.split("%")[0] != self.expected_address.split("%")[0] or not (
            self.allow_private or is_public(peer)
        ):
            self.sock.close()
            raise NotChecked("private address")
        if self.watch is not None:
            self.watch.add(self.sock)


class _PinnedHTTP(_PinnedConnection, HTTPConnection):
    pass


class _PinnedHTTPS(_PinnedConnection, HTTPSConnection):
    pass


def _pool(target, address, timeout, allow_private, watch):
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            assert_hostname=target.host,
            server_hostname=target.host,
        )
        pool.ConnectionCls = _PinnedHTTPS
    else:
        pool = urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False)
        pool.ConnectionCls = _PinnedHTTP
    new_conn = pool._new_conn

    def pinned_conn():
        conn = new_conn()
        conn.expected_address = address
        conn.allow_private = allow_private
        conn.watch = watch
        return conn

    pool._new_conn = pinned_conn
    return pool


def _ask(method, target, address, headers, timeout, allow_private, watch):
    with _pool(target, address, timeout, allow_private, watch) as pool:
        response = pool.urlopen(
            method,
            target.path,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        status, location = response.status, response.headers.get("Location")
        response.close()  # after the headers: the body is never read
        return status, location


def probe(
    url,
    *,
    user_agent,
    deadline=None,
    allow_private=False,
    ports=PORTS,
    resolver=None,
    watch=None,
):
    """What ``url`` answers, following up to ``MAX_REDIRECTS`` redirects (``Probe``).

    ``deadline`` is a ``time.monotonic()`` moment after which nothing more is asked.
    ``allow_private`` and ``ports=None`` exist for tests against a local server.
    """
    deadline = deadline if deadline is not None else time.monotonic() + 15
    headers = {"User-Agent": user_agent, "Accept": "*/*"}
    current, first_redirect = url, None
    try:
        for _ in range(MAX_REDIRECTS + 1):
            target = Target.parse(current)
            address = public_address(
                target, allow_private=allow_private, ports=ports, resolver=resolver
            )
            status = location = None
            for method in ("HEAD", "GET"):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Unreachable("not checked in time")
                timeout = urllib3.Timeout(
                    connect=min(CONNECT_SECONDS, remaining), read=min(READ_SECONDS, remaining)
                )
                status, location = _ask(
                    method, target, address, headers, timeout, allow_private, watch
                )
                if status not in HEAD_REFUSED:
                    break
            if status in REDIRECT_STATUSES and location:
                first_redirect = first_redirect or status
                current = urljoin(target.url, location.strip())
                continue
            return _verdict(status, target.url, first_redirect)
        return Probe(BROKEN, f"more than {MAX_REDIRECTS} redirects", status)
    except NotChecked as reason:
        where = "" if current == url else f"redirects to {current}, "
        return Probe(NOT_CHECKED, f"not checked: {where}{reason}")
    except Unreachable as reason:
        return Probe(UNREACHABLE, f"unreachable: {reason}")
    except NewConnectionError:  # before timeouts: urllib3 makes it one
        return Probe(UNREACHABLE, "unreachable: could not connect")
    except SSLError:
        return Probe(UNREACHABLE, "unreachable: its secure connection (TLS) failed")
    except Urllib3Timeout:
        return Probe(UNREACHABLE, "unreachable: it did not answer in time")
    except (HTTPError, OSError, ValueError):
        return Probe(UNREACHABLE, "unreachable: could not connect")


def _verdict(status, final_url, first_redirect):
    if first_redirect and 200 <= status < 300:
        if first_redirect in PERMANENT_REDIRECTS:
            return Probe(REDIRECTED, f"moved to {final_url}: update the link", status, final_url)
        return Probe(REDIRECTED, f"redirects to {final_url}", status, final_url)
    if 200 <= status < 300:
        return Probe(OK, f"answered {status}", status, final_url)
    if status in BROKEN_STATUSES or status >= 500:
        return Probe(BROKEN, f"broken: answered {status}", status, final_url)
    return Probe(
        ANSWERED,
        f"answered {status}: the checker cannot tell, open it in a browser",
        status,
        final_url,
    )
