"""Pre-publish checks in the post admin: a panel beside the editor, kept live as the author types.

The panel is rendered with the form from the saved post; static/blog/prepublish.js
then posts the form as it stands to a staff-only endpoint and redraws the list.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from ..forms import PostAdminForm
from ..link_check import LinkChecker
from ..prepublish import CheckedPost, run_checks


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
                "new": not post.pk,
            },
        )

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.prepublish_checks_view))
        return [
            path("prepublish-checks/", view, name="blog_post_prepublish_checks"),
            *super().get_urls(),
        ]

    def prepublish_checks_view(self, request):
        """The checks on the post form as posted: {"checks": [{level, message, where}]}."""
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        data = request.POST
        pk = data.get("post", "")
        draft = CheckedPost(
            title=data.get("title", ""),
            slug=data.get("slug", ""),
            body=data.get("body", ""),
            description=data.get("description", ""),
            meta_description=data.get("meta_description", ""),
            has_featured_image=data.get("has_featured_image") == "1",
            featured_image_alt=data.get("featured_image_alt", ""),
            tag_count=len([tag for tag in data.getlist("tags") if tag]),
            pk=int(pk) if pk.isdigit() else None,
        )
        checks = run_checks(draft, LinkChecker())
        return JsonResponse({"checks": [check._asdict() for check in checks]})
