from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.static import serve

from blog import editor
from blog.views import HomeView, SitePageView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("blog/", include("blog.urls")),
    path("about/", SitePageView.as_view(template_name="pages/about.html"), name="about"),
    path("books/", TemplateView.as_view(template_name="pages/books.html"), name="books"),
    path("praise/", TemplateView.as_view(template_name="pages/praise.html"), name="praise"),
    path(
        "work-with-me/",
        TemplateView.as_view(template_name="pages/work_with_me.html"),
        name="work_with_me",
    ),
    # Same paths django-markdownx's editor calls, served by our staff-only views.
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload_image, name="markdownx_upload"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
