"""Error pages in the site's style: a 404 that suggests where to go, a 500 that cannot fail."""

import difflib
import re

from django.conf import settings
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override

from blog.models import Post
from site_config.csp import source_hash

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


def _error_page_policy():
    """The site's policy, plus the hash of 500.html's inline <style>.

    The 500 page carries its few styles inline so it shows even when static files
    are what broke.
    """
    template = settings.BASE_DIR / "templates" / "500.html"
    styles = re.findall(r"<style>(.*?)</style>", template.read_text(encoding="utf-8"), re.S)
    policy = dict(settings.SECURE_CSP)
    policy["style-src"] = [*policy["style-src"], *map(source_hash, styles)]
    return policy


@csp_override(_error_page_policy())
def server_error(request):
    return defaults.server_error(request)
