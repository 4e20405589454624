"""What `make bench` (scripts/bench.py) needs from the site, switched on by DJANGO_BENCH=1.

- ``/_bench/fixed/?bytes=N``: a bare view returning a fixed page of N bytes through
  the same middleware and gunicorn as every page: the framework's ceiling, against
  which the real pages are measured.
- ``/_bench/chrome/``: the site's base template (header, navigation, footer) around
  an empty page, rendered on every request with no SQL query: the cheapest page
  the site's templates can render, the floor under any rendered page.
- ``QueryCountMiddleware``: an ``X-Bench-Queries`` header with the number of SQL
  queries the response cost. Outermost, so a response served from a page cache
  reports what serving it cost, not what rendering it once did.

Never enabled in production: settings add neither unless DJANGO_BENCH is set.
"""

from contextlib import ExitStack
from functools import lru_cache

from django.db import connections
from django.http import Http404, HttpResponse
from django.urls import path
from django.views.generic import TemplateView

MAX_BYTES = 1024 * 1024


@lru_cache(maxsize=8)
def fixed_page(size):
    filler = b"<p>" + b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 4 + b"</p>\n"
    head = b"<!doctype html><html lang=en><title>Fixed page</title><body>\n"
    return (head + filler * (size // len(filler) + 1))[:size]


def fixed(request):
    raw = request.GET.get("bytes", "40000")
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_BYTES:
        raise Http404("bytes must be a whole number from 1 to 1 MiB.")
    return HttpResponse(fixed_page(int(raw)), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("_bench/fixed/", fixed, name="bench_fixed"),
    path("_bench/chrome/", TemplateView.as_view(template_name="base.html"), name="bench_chrome"),
]


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(counter))
            response = self.get_response(request)
        response.headers["X-Bench-Queries"] = str(count)
        return response
