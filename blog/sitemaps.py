"""Sitemaps of everything readers can reach: drafts and future posts never appear."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from .models import Post, Tag


class PostSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Post.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, post):
        return post.updated_at


class TagSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        # Only tags with a published post: an empty tag page is thin content.
        public = Post.objects.published().filter(tags=OuterRef("pk"))
        return Tag.objects.filter(Exists(public)).order_by("name")


class StaticPageSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        return ["pages:home", "blog:index", "books:index", "praise:index", "pages:about",
                "enquiries:work_with_me"]  # fmt: skip

    def location(self, name):
        return reverse(name)
