"""What `make bench` (scripts/bench.py) needs from the site, switched on by DJANGO_BENCH=1.

- ``/_bench/fixed/?bytes=N``: a bare view returning a fixed page of N bytes through
  the same middleware and gunicorn as every page: the framework's ceiling, against
  which the real pages are measured. ``&queries=Q`` makes it run Q primary-key lookups
  through the ORM first: what a page's SQL alone costs, without any template.
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

from blog.models import Post

MAX_BYTES = 1024 * 1024
MAX_QUERIES = 50


@lru_cache(maxsize=8)
def fixed_page(size):
    filler = b"<p>" + b"Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 4 + b"</p>\n"
    head = b"<!doctype html><html lang=en><title>Fixed page</title><body>\n"
    return (head + filler * (size // len(filler) + 1))[:size]


def whole_number(request, name, default, low, high):
    raw = request.GET.get(name, default)
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise Http404(f"{name} must be a whole number from {low} to {high}.")
    return int(raw)


def fixed(request):
    size = whole_number(request, "bytes", "40000", 1, MAX_BYTES)
    for pk in range(whole_number(request, "queries", "0", 0, MAX_QUERIES)):
        Post.objects.filter(pk=pk + 1).first()
    return HttpResponse(fixed_page(size), content_type="text/html; charset=utf-8")


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
