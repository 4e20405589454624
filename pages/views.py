"""The home and About pages."""

from django.contrib.redirects.models import Redirect
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponsePermanentRedirect
from django.views.generic import TemplateView

from blog.scheduling import ShowsPostsMixin
from blog.views import public_posts
from books.models import Book
from core.http.caching import ReaderCacheMixin
from praise.models import Testimonial

from .models import SiteSettings
from .structured_data import person

# WordPress's own addresses for a post or a page (/?p=123, /?page_id=7) reach the home
# page, so the redirects the importer stored for them (transfer/wordpress.py) are looked
# up here: Django's redirect fallback only answers a 404.
OLD_ADDRESS_QUERIES = {"p", "page_id", "attachment_id"}


class HomeView(ShowsPostsMixin, ReaderCacheMixin, TemplateView):
    template_name = "pages/home.html"

    def get(self, request, *args, **kwargs):
        if OLD_ADDRESS_QUERIES & request.GET.keys():
            redirect = Redirect.objects.filter(
                site=get_current_site(request), old_path=request.get_full_path()
            ).first()
            if redirect and redirect.new_path:
                return HttpResponsePermanentRedirect(redirect.new_path)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        latest_posts = list(public_posts()[:3])
        return super().get_context_data(
            latest_posts=latest_posts,
            home_description=self.request.site_settings.description(
                [post.title for post in latest_posts]
            ),
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
