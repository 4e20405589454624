"""Preview links on the post change form: create one with an expiry, copy it, revoke it.

This app sits above the blog, so it extends the blog's post admin (as projects extend
``UserAdmin``) instead of the blog importing it: ``PostAdmin`` below replaces the
blog's registration with the same admin plus a "Share a draft" panel.

The panel sits inside the post's own form, where a second form cannot nest, so
its buttons post to the small views below through static/blog/preview-links.js.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from blog import admin as blog_admin
from blog.models import Post

from .models import DEFAULT_LIFETIME_DAYS, LIFETIME_CHOICES, PreviewLink


class NewLinkForm(forms.Form):
    lifetime = forms.TypedChoiceField(
        choices=LIFETIME_CHOICES, coerce=int, initial=DEFAULT_LIFETIME_DAYS
    )


class PreviewLinksAdminMixin:
    """For the post admin: a read-only ``preview_links`` field and the views behind it."""

    def preview_links(self, post):
        if not post.pk:
            return "Save the post first, then share a preview of it."
        opts = self.model._meta
        return render_to_string(
            "admin/previews/links_panel.html",
            {
                "links": post.preview_links.active(),
                "form": NewLinkForm(),
                "create_url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_preview_link_new", args=[post.pk]
                ),
                "revoke_url_name": f"admin:{opts.app_label}_{opts.model_name}_preview_link_revoke",
                "post": post,
            },
        )

    preview_links.short_description = "Preview links"

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}_preview_link"
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:post_id>/preview-links/new/",
                wrap(require_POST(self.create_preview_link)),
                name=f"{name}_new",
            ),
            path(
                "<int:post_id>/preview-links/<int:link_id>/revoke/",
                wrap(require_POST(self.revoke_preview_link)),
                name=f"{name}_revoke",
            ),
            *super().get_urls(),
        ]

    def _editable_post(self, request, post_id):
        if not self.has_change_permission(request):
            raise PermissionDenied  # before the lookup, so a 404 tells nothing either
        post = get_object_or_404(self.model, pk=post_id)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        return post

    def _back_to(self, post):
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[post.pk])
        return HttpResponseRedirect(f"{url}#preview-links")

    def create_preview_link(self, request, post_id):
        post = self._editable_post(request, post_id)
        form = NewLinkForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Choose how long the link should work.", messages.ERROR)
            return self._back_to(post)
        link = PreviewLink.create_for(post, request.user, form.cleaned_data["lifetime"])
        until = date_format(timezone.localtime(link.expires_at), "DATETIME_FORMAT")
        self.message_user(
            request,
            f"Preview link created: {request.build_absolute_uri(link.get_absolute_url())} "
            f"(works until {until}).",
            messages.SUCCESS,
        )
        return self._back_to(post)

    def revoke_preview_link(self, request, post_id, link_id):
        post = self._editable_post(request, post_id)
        link = get_object_or_404(PreviewLink, pk=link_id, post=post)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
        self.message_user(request, "Preview link revoked: it no longer opens.", messages.SUCCESS)
        return self._back_to(post)


class PostAdmin(PreviewLinksAdminMixin, blog_admin.PostAdmin):
    readonly_fields = [*blog_admin.PostAdmin.readonly_fields, "preview_links"]
    fieldsets = [*blog_admin.PostAdmin.fieldsets, ("Share a draft", {"fields": ["preview_links"]})]


admin.site.unregister(Post)
admin.site.register(Post, PostAdmin)
