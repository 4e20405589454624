"""The site's HTTP caching policy for reader pages."""

from django.utils.cache import add_never_cache_headers, patch_cache_control

from blog.scheduling import cap_max_age

PUBLIC_MAX_AGE = 300


def cache_for_readers(request, response, preview=False, shows_posts=False):
    """Let browsers and proxies keep public pages; never keep previews or signed-in views.

    A page that shows posts (``shows_posts``) is kept no longer than until the
    next scheduled post goes live, so no cache shows a scheduled post late.
    """
    if preview or request.user.is_authenticated:
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
    else:
        max_age = cap_max_age(PUBLIC_MAX_AGE) if shows_posts else PUBLIC_MAX_AGE
        patch_cache_control(response, public=True, max_age=max_age)
    if preview:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


class ReaderCacheMixin:
    """For class-based views whose pages every reader sees alike.

    Set ``shows_posts = True`` on views whose pages list or link to posts.
    """

    shows_posts = False

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return cache_for_readers(self.request, response, shows_posts=self.shows_posts)
