"""The book pages for the sitemap (the Books page itself is in blog.sitemaps.StaticPageSitemap)."""

from django.contrib.sitemaps import Sitemap

from .models import Book


class BookSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.7

    def items(self):
        return Book.objects.only("slug")
