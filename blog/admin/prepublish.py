"""Pre-publish checks in the post admin: a panel beside the editor, kept live as the author types.

The panel is rendered with the form from the saved post; static/blog/prepublish.js
then posts the form as it stands to a staff-only endpoint and redraws the list.
"Check external links" (static/blog/link-check.js) posts the body to a second endpoint,
which asks the sites it links to (blog.external_links); only when the author asks.
"""

import threading

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.limits import POST_BODY_MAX_CHARS

from ..external_links import MAX_LINKS, check_external_links
from ..forms import PostAdminForm
from ..link_check import LinkChecker
from ..models import Post
from ..prepublish import CheckedPost, run_checks

# One run of external link checks at a time per process: each holds a server thread for
# up to blog.external_links.TOTAL_SECONDS, and readers need the others.
_checking_links = threading.BoundedSemaphore(1)


def stored_featured_image(pk):
    """The name of the featured image saved with post ``pk`` ("" without one)."""
    if pk is None or pk > 2**63 - 1:
        return ""
    return Post.objects.filter(pk=pk).values_list("featured_image", flat=True).first() or ""


class PrepublishAdminMixin:
    form = PostAdminForm

    @admin.display(description="Checks")
    def prepublish_checks(self, post):
        checks = run_checks(CheckedPost.of(post), LinkChecker()) if post.pk else []
        return render_to_string(
            "admin/blog/post/prepublish_checks.html",
            {
                "checks": checks,
                "url": reverse("admin:blog_post_prepublish_checks"),
                "external_links_url": reverse("admin:blog_post_check_external_links"),
                "max_links": MAX_LINKS,
                "new": not post.pk,
            },
        )

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.prepublish_checks_view))
        links = self.admin_site.admin_view(require_POST(self.check_external_links_view))
        return [
            path("prepublish-checks/", view, name="blog_post_prepublish_checks"),
            path("check-external-links/", links, name="blog_post_check_external_links"),
            *super().get_urls(),
        ]

    def prepublish_checks_view(self, request):
        """The checks on the post form as posted: {"checks": [{level, message, where}]}."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        data = request.POST
        pk = data.get("post", "")
        pk = int(pk) if pk.isdigit() else None
        has_featured_image = data.get("has_featured_image") == "1"
        draft = CheckedPost(
            title=data.get("title", ""),
            slug=data.get("slug", ""),
            body=data.get("body", ""),
            description=data.get("description", ""),
            meta_description=data.get("meta_description", ""),
            has_featured_image=has_featured_image,
            featured_image_alt=data.get("featured_image_alt", ""),
            featured_image_name=(
                stored_featured_image(pk)
                if has_featured_image and data.get("featured_image_new") != "1"
                else ""
            ),
            tag_count=len([tag for tag in data.getlist("tags") if tag]),
            pk=pk,
        )
        checks = run_checks(draft, LinkChecker())
        return JsonResponse({"checks": [check._asdict() for check in checks]})

    def check_external_links_view(self, request):
        """The body's external links, asked now: {"results": [...], "found", "left_out"}."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        body = request.POST.get("body", "")
        if len(body) > POST_BODY_MAX_CHARS:
            return JsonResponse(
                {
                    "error": f"The body is over {POST_BODY_MAX_CHARS:,} characters: shorten it "
                    "before checking its links."
                },
                status=400,
            )
        if not _checking_links.acquire(blocking=False):
            return JsonResponse(
                {"error": "Links are being checked already: try again in a few seconds."},
                status=429,
            )
        try:
            report = check_external_links(body, site=request.get_host())
        finally:
            _checking_links.release()
        return JsonResponse(
            {
                "results": [result._asdict() for result in report.results],
                "found": report.found,
                "left_out": report.left_out,
                "seconds": report.seconds,
            }
        )
