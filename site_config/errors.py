"""Error pages in the site's style: a 404 that suggests where to go, a 500 that cannot fail."""

import difflib

from django.shortcuts import render
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
