"""Error pages that cannot fail: 400 and 500 in the site's style, with their styles inline.

The 404 suggests posts, so it lives with them (blog.views.page_not_found).
"""

import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override

from core.http.csp import source_hash


def _error_page_policy(name):
    """The site's policy, plus the hash of the error page's inline <style>.

    The 400 and 500 pages carry their few styles inline so they show even when
    static files, the database or the Host header are what broke.
    """
    template = settings.BASE_DIR / "templates" / name
    styles = re.findall(r"<style>(.*?)</style>", template.read_text(encoding="utf-8"), re.S)
    policy = dict(settings.SECURE_CSP)
    policy["style-src"] = [*policy["style-src"], *map(source_hash, styles)]
    return policy


@csp_override(_error_page_policy("500.html"))
def server_error(request):
    return defaults.server_error(request)


# Django answers these with 400 before any view runs; the reader should learn why.
TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


@never_cache
@csp_override(_error_page_policy("400.html"))
def bad_request(request, exception):
    """400: say plainly when a form was too large, so an author knows what to change."""
    context = {
        "too_big": isinstance(exception, TOO_BIG),
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_048_576,
    }
    # No request context: the page must render even when the Host header is the problem.
    return HttpResponseBadRequest(render_to_string("400.html", context))


class NumberTooLargeMiddleware:
    """A number too large for the database, posted as a choice's id, answers 400, not 500.

    Django checks integer lookups against the database's range, but on SQLite the driver
    raises OverflowError for an ``__in`` lookup, which is how a multiple-choice field (a
    group's permissions, a post's tags, the site's navigation) reads the ids chosen. No one
    types such an id (the widget offers the choices), so the request is refused rather
    than the form shown again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):
            return bad_request(request, exception)
        return None
