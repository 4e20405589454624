"""The admin site: Django's, with "View on site" asking for permission to view the object.

Django's ``admin/r/<content type>/<id>/`` redirects any staff user to the page of any
object of any model, whatever their permissions: a draft post's address, or a preview
link with its token, which opens the draft for anyone who has it. Here it redirects only
those who may view (or change) that model, and refuses everyone else.

``site_config.apps.AdminConfig`` makes it ``admin.site``.
"""

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path


class AdminSite(admin.AdminSite):
    def get_urls(self):
        urls = super().get_urls()
        return [
            path(str(url.pattern), self.admin_view(self.view_on_site), name=url.name)
            if getattr(url, "name", None) == "view_on_site"
            else url
            for url in urls
        ]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            model = None
        if model is None:
            raise Http404("No such kind of object.")
        opts = model._meta
        if not any(
            request.user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
            for action in ("view", "change")
        ):
            raise PermissionDenied
        return shortcut(request, content_type_id, object_id)
