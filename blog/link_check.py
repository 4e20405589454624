"""Find links inside posts that lead nowhere a reader can go."""

import re

from django.contrib.contenttypes.models import ContentType

from .models import OldSlug, Post

INTERNAL_HREF = re.compile(r'href="/(blog|books)/([-\w]+)/"')
INTERNAL_PATH = re.compile(r"^/(blog|books)/([-\w]+)/$")


class LinkChecker:
    """Knows every address readers can reach, from a few queries, however many posts it checks."""

    def __init__(self):
        from books.models import Book

        self.live = {
            "blog": set(Post.objects.published().values_list("slug", flat=True)),
            "books": set(Book.objects.values_list("slug", flat=True)),
        }
        renamed = OldSlug.objects.filter(
            content_type__in=ContentType.objects.get_for_models(Post, Book).values()
        ).values_list("content_type__model", "slug")
        self.redirected = {
            ("blog" if model == "post" else "books", slug) for model, slug in renamed
        }

    def problems(self, html):
        """Human-readable problems with the internal links in ``html``, in order."""
        found = []
        for section, slug in INTERNAL_HREF.findall(html):
            problem = self._problem(section, slug)
            if problem:
                found.append(f"/{section}/{slug}/: {problem}")
        return found

    def problem_with(self, path):
        """What is wrong with a link to ``path``, or None (also for paths it does not check)."""
        match = INTERNAL_PATH.match(path)
        return self._problem(*match.groups()) if match else None

    def _problem(self, section, slug):
        if slug in self.live[section] or (section, slug) in self.redirected:
            return None
        kind = "post" if section == "blog" else "book"
        return f"no published {kind} has this address"


def posts_with_broken_links():
    """(post, problems) for every post, draft or not, whose body links to a dead address."""
    checker = LinkChecker()
    posts = Post.objects.only("title", "slug", "status", "published_at", "body_html")
    for post in posts.order_by("-published_at", "-pk").iterator():
        problems = checker.problems(post.body_html)
        if problems:
            yield post, problems
