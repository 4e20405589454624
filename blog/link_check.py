"""Find links inside posts that lead nowhere a reader can go."""

import re

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from .linking import TARGETS
from .models import OldSlug, Post

INTERNAL_HREF = re.compile(r'href="/([-\w]+)/([-\w]+)/"')
INTERNAL_PATH = re.compile(r"^/([-\w]+)/([-\w]+)/$")


def section(target):
    """The first part of a target's addresses: "blog" for /blog/slug/."""
    return reverse(target.url_name, kwargs={"slug": "x"}).strip("/").split("/")[0]


class LinkChecker:
    """Knows every address readers can reach, from a few queries, however many posts it checks.

    It checks the kinds of page Markdown can link to by name (blog.linking).
    """

    def __init__(self):
        targets = {section(target): target for target in TARGETS.values()}
        self.nouns = {name: target.noun for name, target in targets.items()}
        self.live = {
            name: set(target.visible().values_list("slug", flat=True))
            for name, target in targets.items()
        }
        types = ContentType.objects.get_for_models(*(t.model for t in targets.values()))
        sections = {types[target.model].pk: name for name, target in targets.items()}
        renamed = OldSlug.objects.filter(content_type__in=sections).values_list(
            "content_type", "slug"
        )
        self.redirected = {(sections[type_id], slug) for type_id, slug in renamed}

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
        if section not in self.live:
            return None  # not a kind of page this checks
        if slug in self.live[section] or (section, slug) in self.redirected:
            return None
        return f"no published {self.nouns[section]} has this address"


def posts_with_broken_links():
    """(post, problems) for every post, draft or not, whose body links to a dead address."""
    checker = LinkChecker()
    posts = Post.objects.only("title", "slug", "status", "published_at", "body_html")
    for post in posts.order_by("-published_at", "-pk").iterator():
        problems = checker.problems(post.body_html)
        if problems:
            yield post, problems
