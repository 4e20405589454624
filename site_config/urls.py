from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import Http404
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.static import serve

from blog import editor, feeds, scheduling
from blog.sitemaps import PostSitemap, StaticPageSitemap, TagSitemap
from books.sitemaps import BookSitemap
from core.http import health
from core.http.caching import cache_for_readers

sitemaps = {
    "pages": StaticPageSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "books": BookSitemap,
}


def cached_sitemap(request):
    """The sitemap lists posts: no cache may keep it past a scheduled post's moment."""
    response = sitemap(request, sitemaps=sitemaps)
    return cache_for_readers(request, response, until=scheduling.next_scheduled_at())


urlpatterns = [
    path("", include("pages.urls")),
    path("blog/", include("blog.urls")),
    path("books/", include("books.urls")),
    path("praise/", include("praise.urls")),
    path("work-with-me/", include("enquiries.urls")),
    path("preview/", include("previews.urls")),
    path("search/", include("search.urls")),
    path("feed/", feeds.LatestPostsFeed(), name="feed"),
    path("feed/atom/", feeds.LatestPostsAtomFeed(), name="feed_atom"),
    path("blog/tag/<slug:slug>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("blog/tag/<slug:slug>/feed/atom/", feeds.TagAtomFeed(), name="tag_feed_atom"),
    path("sitemap.xml", cached_sitemap, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(
            template_name="robots.txt",
            content_type="text/plain",
            # robots.txt is public: it names /admin/, but never a path chosen to be hard to find.
            extra_context={"admin_url_is_default": settings.ADMIN_URL == "admin/"},
        ),
        name="robots",
    ),
    # Same paths django-markdownx's editor calls, served by our staff-only views.
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload_image, name="markdownx_upload"),
    path("markdownx/library/", editor.library, name="markdownx_library"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so a changed setting (tests use a temporary one) applies.
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # e.g. a name longer than the file system allows: not a file we have
        raise Http404("No such file.") from None
    # Uploads are re-encoded images, served with the type their extension names; nosniff
    # stops a browser from guessing HTML in one anyway, and the sandbox keeps anything
    # opened directly from running scripts, whatever reaches the folder by other means.
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers.setdefault(
        "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox"
    )
    return response


if settings.BENCH_MODE:
    from benchmarks import bench

    urlpatterns += bench.urlpatterns

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve_media)]

handler400 = "core.http.errors.bad_request"
handler404 = "blog.views.page_not_found"
handler500 = "core.http.errors.server_error"
