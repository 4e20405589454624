from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.static import serve

from blog import editor, feeds
from blog.sitemaps import PostSitemap, StaticPageSitemap, TagSitemap
from books.sitemaps import BookSitemap

sitemaps = {
    "pages": StaticPageSitemap,
    "posts": PostSitemap,
    "tags": TagSitemap,
    "books": BookSitemap,
}

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
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # Same paths django-markdownx's editor calls, served by our staff-only views.
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload_image, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]


def serve_media(request, path):
    # MEDIA_ROOT is read per request, so a changed setting (tests use a temporary one) applies.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


if settings.BENCH_MODE:
    from site_config import bench

    urlpatterns += bench.urlpatterns

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve_media)]

handler404 = "site_config.errors.page_not_found"
