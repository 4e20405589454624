"""The post form's status bar: the post's state in words and the button that fits it.

The bar (templates/admin/blog/post/includes/status_bar.html) holds ordinary submit
buttons of the change form, so it works without JavaScript:

- "Publish" (or "Schedule", when the publication date typed is in the future) is
  ``_publish``: the form is saved as usual, with the status set to published and an
  empty publication date set to now. The form's own validation then runs, so a
  pre-publish check that blocks publishing answers the form with the message beside
  its field (blog/forms.py). Only those who may publish (blog/roles.py) see it, and a
  ``_publish`` from anyone else is refused with a 403;
- "Update" and "Save draft" are the admin's own ``_continue``, and "Save draft revision"
  the workflow's ``_save_draft`` (blog/admin/workflow.py).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format

from ..models import Post

PUBLISH = "_publish"
# "24 Apr 2026, 09:00": short enough for the bar at 390 px.
BAR_DATE_FORMAT = "j M Y, H:i"


def publishing(request):
    return request.method == "POST" and PUBLISH in request.POST


def state_of(post, draft=None):
    """The post's state as the status bar says it, e.g. "Scheduled for 24 Apr 2026, 09:00"."""
    if post is None or post.pk is None:
        return "Draft · not saved yet"
    if post.status != Post.Status.PUBLISHED:
        return "Draft"
    if not post.is_public:
        when = date_format(timezone.localtime(post.published_at), BAR_DATE_FORMAT)
        return f"Scheduled for {when}"
    if draft is not None and draft.is_revision:
        return "Published · has a draft revision not yet live"
    return "Published"


def with_publishing(data, now):
    """The posted form with the status set to published and an empty date set to ``now``."""
    data = data.copy()
    data["status"] = Post.Status.PUBLISHED
    if not data.get("published_at_0", "").strip() and not data.get("published_at_1", "").strip():
        local = timezone.localtime(now)
        data["published_at_0"] = local.strftime("%Y-%m-%d")
        data["published_at_1"] = local.strftime("%H:%M:%S")
    # Publishing keeps the author on the form, where the bar shows the new state.
    data["_continue"] = "1"
    return data


class PostStatusBarAdmin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if publishing(request):
            if not self.has_publish_permission(request):
                raise PermissionDenied("You may not publish posts.")
            request.POST = with_publishing(request.POST, timezone.now())
        return super().changeform_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        post = obj if change else None
        draft = context.get("pending_draft")  # the workflow's, already looked up
        live = post is not None and post.status == Post.Status.PUBLISHED
        context = {
            **context,
            "status_bar": {
                "state": state_of(post, draft),
                "live": live,
                "may_publish": not live and self.has_publish_permission(request),
                "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"),
            },
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if publishing(request) and obj.is_public:
            self.message_user(request, "Published: readers see it now.", messages.SUCCESS)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if publishing(request) and obj.is_public:
            self.message_user(request, "Published: readers see it now.", messages.SUCCESS)
        return super().response_add(request, obj, post_url_continue)
