"""The page a reviewer opens: the article as last saved, marked as a draft.

Never indexed, never cached, and a dead link gets a clear page: 404 for a token
that was never valid, 410 for one that expired or was revoked.
"""

from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView

from blog.pending_edits import PendingEdit, show_draft
from blog.views import PostDetailView

from .models import PreviewLink


class PreviewPostView(PostDetailView):
    """The article page, for whichever post the link names, whatever its status."""

    def staff_preview(self):
        return True  # the link is the permission: drafts and scheduled posts included

    def get(self, request, *args, **kwargs):
        # Skip the old-slug redirect of the article page: a preview has no slug in its URL.
        return DetailView.get(self, request, *args, **kwargs)

    def get_object(self, queryset=None):
        post = get_object_or_404(self.get_queryset(), pk=self.kwargs["link"].post_id)
        # A published post's pending draft revision is what the reviewer is asked about.
        draft = PendingEdit.objects.filter(post=post, is_revision=True).first()
        self.draft = show_draft(post, draft.content) if draft else None
        return post

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            is_preview=True, preview_link=self.kwargs["link"], shows_draft=bool(self.draft)
        )
        if self.draft:
            context.update(faq_items=self.draft.faq_items, tags=self.draft.tags)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        # The token is the key to the draft: never hand it to another site in a Referer.
        response.headers["Referrer-Policy"] = "no-referrer"
        return response


@never_cache
def preview(request, token):
    link = PreviewLink.from_token(token)
    if link is None:
        return unavailable(request, "This preview link is not valid.", status=404)
    if link.is_revoked:
        return unavailable(request, "This preview link has been revoked.", status=410)
    if link.is_expired:
        return unavailable(request, "This preview link has expired.", status=410)
    return PreviewPostView.as_view()(request, link=link)


def unavailable(request, reason, status):
    response = render(request, "previews/unavailable.html", {"reason": reason}, status=status)
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
