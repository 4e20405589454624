"""Old slugs keep working: renaming a post, tag or book leaves a permanent redirect behind.

Each old slug points at the object, not at another slug, so a chain of renames
still answers with one hop to the current address.
"""

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import pre_save
from django.http import Http404, HttpResponsePermanentRedirect

from .linking import target_for
from .models import OldSlug
from .rerendering import rerender


def remember_old_slug(sender, instance, raw=False, **kwargs):
    """pre_save: when a saved object's slug changes, keep the old one."""
    if raw or instance.pk is None:
        return
    previous = sender.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if previous is None or previous == instance.slug:
        return
    content_type = ContentType.objects.get_for_model(sender)
    # The new slug is live again, so it can no longer be a redirect.
    OldSlug.objects.filter(content_type=content_type, slug=instance.slug).delete()
    OldSlug.objects.update_or_create(
        content_type=content_type, slug=previous, defaults={"object_id": instance.pk}
    )
    target = target_for(sender)
    if target:
        transaction.on_commit(partial(refresh_links_to, f"{target.prefix}:{previous}"))


def refresh_links_to(link):
    """Render again the Markdown that links to ``link`` (post:old-slug), so the stored
    HTML names the current address instead of relying on the redirect."""
    rerender(containing=link)


def track_slug_changes(model):
    pre_save.connect(remember_old_slug, sender=model, dispatch_uid=f"old-slug-{model._meta.label}")
    return model


def redirect_for_old_slug(queryset, slug):
    """A 301 to the object in ``queryset`` that once had ``slug``; Http404 if there is none."""
    content_type = ContentType.objects.get_for_model(queryset.model)
    old = OldSlug.objects.filter(content_type=content_type, slug=slug).first()
    current = queryset.filter(pk=old.object_id).first() if old else None
    if current is None:
        raise Http404("No such page.")
    return HttpResponsePermanentRedirect(current.get_absolute_url())


class OldSlugRedirectMixin:
    """For detail views: a 404 for a retired slug becomes a 301 to the object's address now.

    Only objects the view would show are redirected to, so a renamed draft stays hidden.
    """

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            return redirect_for_old_slug(self.get_queryset(), kwargs["slug"])
