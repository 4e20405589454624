"""RSS and Atom feeds of the newest published posts, site-wide and per tag."""

import copy
import re

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from core.http.caching import cache_for_readers

from .models import Post, Tag
from .scheduling import next_scheduled_at

FEED_LENGTH = 20

# Root-relative links and images in post HTML; feed readers need absolute URLs.
_RELATIVE_URL = re.compile(r'(\s(?:href|src))="(/(?!/)[^"]*)"')
# Responsive images list several root-relative URLs, each followed by its width.
_SRCSET = re.compile(r'(\ssrcset)="([^"]*)"')
_SRCSET_URL = re.compile(r"(^|,\s*)/(?!/)")


def absolute_urls(html, base):
    html = _RELATIVE_URL.sub(lambda m: f'{m[1]}="{base}{m[2]}"', html)
    return _SRCSET.sub(
        lambda m: '{}="{}"'.format(m[1], _SRCSET_URL.sub(lambda u: f"{u[1]}{base}/", m[2])), html
    )


class LatestPostsFeed(Feed):
    """RSS 2.0 with each post's full, sanitized content."""

    def __call__(self, request, *args, **kwargs):
        # One instance serves every request (and thread): per-request state goes on a copy.
        feed = copy.copy(self)
        feed.base_url = request.build_absolute_uri("/").rstrip("/")
        feed.site = request.site_settings
        response = super(LatestPostsFeed, feed).__call__(request, *args, **kwargs)
        return cache_for_readers(request, response, until=next_scheduled_at())

    def title(self):
        return self.site.site_name

    def subtitle(self):
        return self.site.tagline

    description = subtitle

    def link(self):
        return "/blog/"

    def posts(self):
        # Entries carry the rendered body, never its Markdown source or word counts.
        posts = Post.objects.published().defer("body", "terms")
        return posts.select_related("author").prefetch_related("tags")

    def items(self):
        return self.posts().order_by("-published_at", "-pk")[:FEED_LENGTH]

    def item_title(self, post):
        return post.title

    def item_description(self, post):
        lede = f"<p><em>{post.description}</em></p>" if post.description else ""
        return absolute_urls(lede + post.body_html, self.base_url)

    def item_author_name(self, post):
        return post.author.name

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_categories(self, post):
        return [tag.name for tag in post.tags.all()]

    def item_guid(self, post):
        return f"{self.base_url}{post.get_absolute_url()}"


class LatestPostsAtomFeed(LatestPostsFeed):
    feed_type = Atom1Feed


class TagFeed(LatestPostsFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"{self.site.site_name}: {tag.name}"

    def subtitle(self, tag):
        return tag.description or f"Posts tagged {tag.name}."

    description = subtitle

    def link(self, tag):
        return tag.get_absolute_url()

    def items(self, tag):
        return self.posts().filter(tags=tag).order_by("-published_at", "-pk")[:FEED_LENGTH]


class TagAtomFeed(TagFeed):
    feed_type = Atom1Feed
