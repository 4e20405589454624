from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from blog import editor

urlpatterns = [
    path("", include("pages.urls")),
    path("blog/", include("blog.urls")),
    path("books/", include("books.urls")),
    path("praise/", include("praise.urls")),
    path("work-with-me/", include("enquiries.urls")),
    # Same paths django-markdownx's editor calls, served by our staff-only views.
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload_image, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
