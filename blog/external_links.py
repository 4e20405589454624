"""External links and images in a post's body, checked on demand ("Check external links").

Never on save and never stored: the author asks, the server checks the body as it stands
(a few addresses at once, the whole run bounded in time) and the panel shows each result
at its line. How one address is asked, and which addresses are refused, is
``core.http.outbound``.
"""

import time
from concurrent.futures import ThreadPoolExecutor, wait
from typing import NamedTuple

from django.conf import settings

from core.http import outbound
from core.markdown.links import IMAGE, links_in
from core.markdown.rendering import is_external

MAX_LINKS = 50  # different addresses per run; the rest are counted, not checked
PARALLEL = 8
TOTAL_SECONDS = 15.0
USER_AGENT = "Mozilla/5.0 (compatible; link check before publishing; +{site})"


class LinkResult(NamedTuple):
    url: str
    line: int  # the first line the address is on
    kind: str  # outbound.OK, REDIRECTED, BROKEN, UNREACHABLE, ANSWERED, NOT_CHECKED
    message: str
    image: bool
    status: int | None = None
    final_url: str = ""


class Report(NamedTuple):
    results: list
    found: int  # different external addresses in the body
    left_out: int  # beyond MAX_LINKS, not checked
    seconds: float


def external_links(markdown_text):
    """``[(url, first line, is an image)]``: each external http(s) address once, in order."""
    first = {}
    for link in links_in(markdown_text):
        url = link.url.strip()
        if is_external_address(url) and url not in first:
            first[url] = (url, link.line, link.kind == IMAGE)
    return list(first.values())


def is_external_address(url):
    try:
        return is_external(url)
    except ValueError:  # "http://[::1": still an address the author meant; say it is malformed
        return url.lower().startswith(("http://", "https://"))


def check_external_links(markdown_text, site="", total_seconds=TOTAL_SECONDS):
    """Every external address in ``markdown_text``, asked; at most ``MAX_LINKS`` of them."""
    started = time.monotonic()
    links = external_links(markdown_text)
    checked = links[:MAX_LINKS]
    deadline = started + total_seconds
    watch = outbound.Watch()
    options = {
        "user_agent": USER_AGENT.format(site=site or "the site's editor"),
        "deadline": deadline,
        "allow_private": settings.LINK_CHECK_ALLOW_PRIVATE,
        "ports": settings.LINK_CHECK_PORTS,
        "watch": watch,
    }
    executor = ThreadPoolExecutor(max_workers=PARALLEL, thread_name_prefix="link-check")
    futures = [executor.submit(outbound.probe, url, **options) for url, _, _ in checked]
    wait(futures, timeout=max(0, deadline - time.monotonic()) + 1)
    watch.close_all()  # whatever still waits on a socket stops now
    executor.shutdown(wait=False, cancel_futures=True)
    results = []
    for (url, line, image), future in zip(checked, futures, strict=True):
        if future.done() and not future.cancelled() and future.exception() is None:
            found = future.result()
        else:
            found = outbound.Probe(outbound.UNREACHABLE, "not checked in time")
        results.append(LinkResult(url, line, found.kind, found.message, image, *found[2:]))
    return Report(
        results,
        found=len(links),
        left_out=len(links) - len(checked),
        seconds=round(time.monotonic() - started, 2),
    )
