"""Error pages in the site's style: a 404 that suggests where to go, a 500 that cannot fail."""

import difflib

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache

from blog.models import Post

# Suggestions come from the newest posts only, so a 404 costs the same at any archive size.
SUGGESTION_POOL = 500


def closest_posts(path, count=3):
    """Published posts whose slug looks most like the last part of ``path``."""
    wanted = path.rstrip("/").rsplit("/", 1)[-1][:200].lower()
    if not wanted:
        return []
    candidates = dict(
        Post.objects.published()
        .order_by("-published_at")
        .values_list("slug", "title")[:SUGGESTION_POOL]
    )
    slugs = difflib.get_close_matches(wanted, candidates, n=count, cutoff=0.4)
    return [{"slug": slug, "title": candidates[slug]} for slug in slugs]


@never_cache
def page_not_found(request, exception):
    return render(request, "404.html", {"suggestions": closest_posts(request.path)}, status=404)


# Django answers these with 400 before any view runs; the reader should learn why.
TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


@never_cache
def bad_request(request, exception):
    """400: say plainly when a form was too large, so an author knows what to change."""
    context = {
        "too_big": isinstance(exception, TOO_BIG),
        "limit_mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1_048_576,
    }
    # No request context: the page must render even when the Host header is the problem.
    return HttpResponseBadRequest(render_to_string("400.html", context))
