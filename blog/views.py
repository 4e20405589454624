"""Reader-facing blog pages: the index, tag pages, the article, and the 404 that suggests posts."""

import difflib

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView

from core.http.caching import ReaderCacheMixin, cache_for_readers

from . import roles, tag_listings
from .models import FAQItem, KeepReading, Post, Tag
from .pagination import UncountedPaginationMixin
from .scheduling import ShowsPostsMixin, next_scheduled_at
from .share_cards import share_image
from .slugs import OldSlugRedirectMixin, redirect_for_old_slug
from .structured_data import post_graph
from .suggestions import keep_reading

# What a list item (a post card) never shows: about 12 KB a post, and its word counts.
LIST_DEFERRED = ("body", "body_html", "toc_html", "reading_time_breakdown", "terms")


def list_items(posts):
    """``posts`` with what a list item shows, and without the bodies, which lists never print."""
    return posts.select_related("author").defer(*LIST_DEFERRED)


def public_posts():
    return list_items(Post.objects.published())


class PostListMixin(UncountedPaginationMixin, ShowsPostsMixin, ReaderCacheMixin):
    """A paginated list of published posts with what each list item shows.

    Pages are numbered without counting the posts (blog.pagination), so a page
    costs the same however large the archive grows.
    """

    paginate_by = 10
    context_object_name = "posts"

    def get_queryset(self):
        return Post.objects.published()

    def get_page_rows(self):
        return list_items(Post.objects.prefetch_related("tags"))


class PostIndexView(PostListMixin, ListView):
    template_name = "blog/post_list.html"


class TagView(PostListMixin, ListView):
    template_name = "blog/tag_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return redirect_for_old_slug(Tag.objects.all(), kwargs["slug"])

    # Its posts' ids come from the tag's listings (blog.tag_listings): a deep page of a
    # large tag then costs what page 1 does.
    page_ids_field = "post"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return tag_listings.published_in(self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class PostDetailView(OldSlugRedirectMixin, DetailView):
    """The article. Staff who may read posts in the admin also see drafts and
    scheduled posts, marked as such."""

    template_name = "blog/post_detail.html"
    context_object_name = "post"

    def staff_preview(self):
        return roles.may_preview_posts(self.request.user)

    def get_queryset(self):
        posts = Post.objects.all() if self.staff_preview() else Post.objects.published()
        # The Markdown source is never shown, only its stored rendering.
        posts = posts.defer("body", "reading_time_breakdown", "terms")
        return posts.select_related("author").prefetch_related(
            "tags",
            "author__links",
            Prefetch("faq_items", queryset=FAQItem.objects.order_by("position", "pk")),
            # Curated links and the site's suggestions alike; only published ones,
            # checked per link (EXISTS on the primary key): `target__in=published()`
            # would list every published post on each request.
            Prefetch(
                "keep_reading_links",
                queryset=KeepReading.objects.filter(
                    Exists(Post.objects.published().filter(pk=OuterRef("target_id")))
                )
                .select_related("target")
                .defer(*(f"target__{field}" for field in LIST_DEFERRED)),
            ),
        )

    def get_context_data(self, **kwargs):
        post = self.object
        next_post = None
        if post.published_at:
            next_post = (
                Post.objects.published()
                .filter(published_at__lt=post.published_at)
                .exclude(pk=post.pk)
                .only("title", "slug", "published_at")
                .first()
            )
        page_url = self.request.build_absolute_uri(post.get_absolute_url())
        site = self.request.site_settings
        image = share_image(post, site.site_name)
        return super().get_context_data(
            next_post=next_post,
            page_url=page_url,
            # A cross-posted article names the original as canonical.
            canonical_url=post.canonical_url or page_url,
            share_image=image,
            structured_data=post_graph(post, self.request, site, image, post.faq_items.all()),
            faq_items=post.faq_items.all(),
            tags=post.tags.all(),
            keep_reading=keep_reading(post.keep_reading_links.all(), shown_as_next=next_post),
            is_preview=not post.is_public,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        return cache_for_readers(
            self.request, response, preview=context["is_preview"], until=next_scheduled_at()
        )


# Suggestions come from the newest posts only, so a 404 costs the same at any archive size.
SUGGESTION_POOL = 500


def closest_posts(path, count=3):
    """Published posts whose slug looks most like the last part of ``path``."""
    wanted = path.rstrip("/").rsplit("/", 1)[-1][:200].lower()
    if not wanted:
        return []
    candidates = dict(
        Post.objects.published()
        .order_by("-published_at")
        .values_list("slug", "title")[:SUGGESTION_POOL]
    )
    slugs = difflib.get_close_matches(wanted, candidates, n=count, cutoff=0.4)
    return [{"slug": slug, "title": candidates[slug]} for slug in slugs]


@never_cache
def page_not_found(request, exception):
    return render(request, "404.html", {"suggestions": closest_posts(request.path)}, status=404)
