"""The site's HTTP caching policy for reader pages."""

from django.utils.cache import add_never_cache_headers, patch_cache_control

PUBLIC_MAX_AGE = 300


def cache_for_readers(request, response, preview=False):
    """Let browsers and proxies keep public pages; never keep previews or signed-in views."""
    if preview or request.user.is_authenticated:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    if preview:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


class ReaderCacheMixin:
    """For class-based views whose pages every reader sees alike."""

    def render_to_response(self, context, **kwargs):
        return cache_for_readers(self.request, super().render_to_response(context, **kwargs))
