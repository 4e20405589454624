"""The post admin's side of the roles in blog/roles.py.

Django's model permissions say whether someone may change posts at all; this
mixin narrows "change" to the posts they own unless they may edit others'
posts, and keeps the status (publishing) for those with ``blog.publish_post``.
Another author's post opens read-only, as Django does for view-only access,
and every workflow view (autosave, drafts, revisions, preview links) asks
``has_change_permission(request, post)``, so it follows the same rule.
"""

from django.contrib import messages

from .. import roles
from ..models import Author


class PostRolesAdminMixin:
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_touch(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_touch(request, obj)

    @staticmethod
    def may_touch(request, post):
        """Whether this user's change or delete permission reaches ``post`` (None: any)."""
        return (
            post is None
            or roles.may_edit_others_posts(request.user)
            or roles.owns(request.user, post)
        )

    def has_publish_permission(self, request):
        """For the publish and unpublish actions (``allowed_permissions``)."""
        return request.user.has_perm(roles.PUBLISH)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            # New posts stay drafts; someone who may publish sets the status and date.
            fields += ["status", "published_at"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or self.has_change_permission(request, obj):
            return fieldsets
        # Read-only: the preview-link panel's buttons would only meet a 403.
        return [(name, opts) for name, opts in fieldsets if "preview_links" not in opts["fields"]]

    def get_autocomplete_fields(self, request):
        fields = list(super().get_autocomplete_fields(request))
        if not roles.may_edit_others_posts(request.user):
            fields.remove("author")  # a short list of their own profile instead (below)
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "author" and not roles.may_edit_others_posts(request.user):
            # An author writes as themselves; a post given to someone else would be lost to them.
            own = Author.objects.filter(user=request.user)
            kwargs["queryset"] = own
            kwargs["empty_label"] = None
            if not own.exists():
                kwargs["help_text"] = (
                    "Your user is not linked to an author profile yet: "
                    "ask an editor to link it under Authors."
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def editable_for_action(self, request, queryset):
        """The selected posts this user may change; says so when some are left out."""
        editable = roles.editable_posts(request.user, queryset)
        skipped = queryset.count() - editable.count()
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} post(s) by other authors unchanged: "
                "you may change only your own posts.",
                messages.WARNING,
            )
        return editable
