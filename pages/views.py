"""The home and About pages."""

from django.views.generic import TemplateView

from blog.scheduling import ShowsPostsMixin
from blog.views import public_posts
from books.models import Book
from core.http.caching import ReaderCacheMixin
from praise.models import Testimonial

from .models import SiteSettings
from .structured_data import person


class HomeView(ShowsPostsMixin, ReaderCacheMixin, TemplateView):
    template_name = "pages/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            latest_posts=public_posts()[:3],
            featured_book=Book.objects.featured().first(),
            featured_praise=Testimonial.objects.featured()[:3],
            **kwargs,
        )


class AboutView(ReaderCacheMixin, TemplateView):
    template_name = "pages/about.html"

    def get_context_data(self, **kwargs):
        site = SiteSettings.load()
        return super().get_context_data(
            structured_data=person(site, self.request) if site.owner else None, **kwargs
        )
