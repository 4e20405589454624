"""The post admin's publishing workflow: revisions, draft revisions and autosave.

A mixin for PostAdmin, kept apart from blog/admin.py so the admin class stays
readable. It adds:

- a reversion revision for every add and change in the admin;
- a history page listing revisions, a diff between any two (or between the
  live post and its pending draft), and "restore", which applies an old
  revision's content as a new revision;
- "Save as draft revision", which validates the form and inlines as usual but
  stores their content in a PendingEdit instead of the post;
- ``?draft=load``, which opens the change form on the draft's content (fields,
  tags and inlines) so the author can keep working on it. Saved, its inline rows
  replace the live ones; only a form really opened there may do that, so it carries
  a signed field (DRAFT_FORM_FIELD) and a POST to ``?draft=load`` without it is refused;
- the JSON endpoint the editor's autosave (static/blog/autosave.js) posts to.
"""

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest, PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateparse import parse_datetime
from django.utils.decorators import method_decorator
from django.utils.formats import localize
from django.utils.timezone import localtime
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .. import pending_edits, revisions
from ..models import FAQItem, KeepReading, Post

SAVE_DRAFT = "_save_draft"
# The hidden field of a change form opened on the pending draft (see editing_draft).
DRAFT_FORM_FIELD = "_draft_form"
DRAFT_FORM_SALT = "blog.admin.draft_form"
# Sent by autosave.js when it posts the whole form, not only the text fields.
WHOLE_FORM = "_whole_form"
# The form's fields besides the content (blog.revisions) that autosave keeps, in
# content["settings"]: only reopening the form on the draft reads them.
AUTOSAVED_SETTINGS = [
    "slug",
    "status",
    "published_at",
    "author",
    "show_toc",
    "featured_image_alt",
    "featured_image_caption",
    "featured_image_credit",
]
# A long article is ~100 kB of Markdown; the text fields of a post never need more than this.
AUTOSAVE_MAX_BYTES = 1_000_000
# The history page lists this many of the newest revisions.
HISTORY_LIMIT = 200


class PostWorkflowAdmin:
    change_form_template = "admin/blog/post/change_form.html"
    object_history_template = "admin/blog/post/object_history.html"

    # Every admin save is one revision -------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().add_view(request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        post = self.get_object(request, unquote(object_id))
        gone = opened_on_draft(request) and post and not self.loaded_draft(request, post)
        if gone and request.method == "GET":
            # Published or discarded meanwhile (another tab, another author).
            self.message_user(request, "There is no pending draft any more.", messages.INFO)
            return HttpResponseRedirect(self.change_url(post))
        if opened_on_draft(request) and post and not self.editing_draft(request, post):
            # Its inline rows would replace the live ones: a form opened on the live post
            # (or a crafted POST) would delete every FAQ item and keep-reading link.
            raise BadRequest("This form was not opened on the draft. Open the post again.")
        context = {**self.workflow_context(request, post), **(extra_context or {})}
        with reversion.create_revision():
            reversion.set_user(request.user)
            return super().change_view(request, object_id, form_url, context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Created.")
        return entry

    def construct_change_message(self, request, form, formsets, add=False):
        if saving_draft(request):
            return "Saved a draft revision (not published)."  # the formsets were not saved
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        if reversion.is_active():
            reversion.set_comment(entry.get_change_message() or "Saved without changes.")
        return entry

    # Save as draft revision -----------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and saving_draft(request):
            return  # the live row stays as readers know it; save_related stores the draft
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        post = form.instance
        if change and saving_draft(request):
            pending_edits.save_draft(
                post, pending_edits.content_from_admin(post, form, formsets), request.user
            )
            left_out = [
                form.fields[name].label
                for name in form.changed_data
                if name not in [*revisions.CONTENT_FIELDS, "tags"]
            ]
            if left_out:
                messages.warning(
                    request,
                    "A draft keeps the text, tags, FAQ and links only; not saved: "
                    + ", ".join(str(label) for label in left_out)
                    + ".",
                )
            return
        replacing = change and self.editing_draft(request, post)
        if replacing:
            # The inlines came from the draft as new rows; they replace the live ones.
            post.faq_items.all().delete()
            post.keep_reading_links.curated().delete()
        super().save_related(request, form, formsets, change)
        # A live save takes the editor's text: the draft it was editing (or an
        # autosave of it) is done with. A draft revision the author did not open stays.
        if replacing:
            pending_edits.PendingEdit.objects.filter(post=post).delete()
        elif change:
            pending_edits.PendingEdit.objects.filter(post=post, is_revision=False).delete()

    def response_change(self, request, obj):
        if saving_draft(request):
            self.message_user(
                request,
                "Saved as a draft revision. Readers still see the published version.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self.change_url(obj) + "?draft=load")
        return super().response_change(request, obj)

    # Opening the change form on the draft (?draft=load) -------------------

    def editing_draft(self, request, post):
        """Whether this is the change form opened on the pending draft: on GET, ?draft=load
        with a draft to load; on POST, a form that carries the signed field the draft's form
        was rendered with (the draft may have been published or discarded since)."""
        if not opened_on_draft(request) or post is None or post.pk is None:
            return False
        if request.method == "GET":
            return self.loaded_draft(request, post) is not None
        try:
            signed = signing.loads(request.POST.get(DRAFT_FORM_FIELD, ""), salt=DRAFT_FORM_SALT)
        except signing.BadSignature:
            return False
        return signed == post.pk

    def draft_form_token(self, request, post):
        """The signed field of the draft's form: the one it was posted with, when shown again
        with errors, else a new one; None when this is not the draft's form."""
        if not self.editing_draft(request, post):
            return None
        if request.method == "POST":
            return request.POST[DRAFT_FORM_FIELD]
        return signing.dumps(post.pk, salt=DRAFT_FORM_SALT)

    def loaded_draft(self, request, post):
        if not opened_on_draft(request) or post is None or post.pk is None:
            return None
        if not hasattr(request, "_loaded_post_draft"):
            request._loaded_post_draft = pending_edits.pending_draft(post)
        return request._loaded_post_draft

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        draft = self.loaded_draft(request, obj)
        if draft is None or request.method != "GET":
            return form_class
        initial = {
            name: draft.content[name]
            for name in [*revisions.CONTENT_FIELDS, "tags"]
            if name in draft.content
        }
        settings = draft.content.get("settings") or {}
        for name in AUTOSAVED_SETTINGS:
            value = settings.get(name)
            if name == "published_at" and isinstance(value, str):
                value = parse_datetime(value)
            if value is not None:
                initial[name] = value

        class DraftForm(form_class):
            def __init__(self, *args, **kwargs):
                kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
                super().__init__(*args, **kwargs)

        return DraftForm

    def draft_rows(self, draft, inline_model):
        if inline_model is FAQItem:
            return [
                {**item, "position": position}
                for position, item in enumerate(draft.content.get("faq", []), start=1)
            ]
        if inline_model is KeepReading:
            existing = Post.objects.in_bulk(draft.content.get("keep_reading", []))
            return [
                {"target": pk, "position": position}
                for position, pk in enumerate(draft.content.get("keep_reading", []), start=1)
                if pk in existing
            ]
        return None

    def get_formsets_with_inlines(self, request, obj=None):
        replacing = self.editing_draft(request, obj)
        draft = self.loaded_draft(request, obj) if replacing and request.method == "GET" else None
        for inline in self.get_inline_instances(request, obj):
            if not replacing or inline.model not in (FAQItem, KeepReading):
                yield inline.get_formset(request, obj), inline
                continue
            form = type("DraftRowForm", (ReplacingRowForm, inline.form), {})
            extra = len(self.draft_rows(draft, inline.model)) if draft else 0
            yield inline.get_formset(request, obj, form=form, extra=extra), inline

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if inline.model in (FAQItem, KeepReading) and self.editing_draft(request, obj):
            # The draft's rows are shown (and come back) as new forms that replace
            # the live rows, which the form never shows.
            kwargs["queryset"] = inline.model.objects.none()
            draft = self.loaded_draft(request, obj)
            if draft and request.method == "GET":
                kwargs["initial"] = self.draft_rows(draft, inline.model)
        return kwargs

    # The change form's notices --------------------------------------------

    def workflow_context(self, request, post):
        if post is None or not self.has_change_permission(request, post):
            return {}  # read-only: no draft buttons, no autosave
        draft = pending_edits.pending_draft(post)
        loaded = draft is not None and opened_on_draft(request)
        # Autosave runs when the editor holds the newest text: no draft, a stale
        # autosave, or the draft itself. Otherwise the author chooses first.
        stale = draft is not None and not draft.is_revision and not draft.is_newer_than_post
        return {
            "pending_draft": draft,
            "draft_loaded": loaded,
            "draft_notice": draft is not None and (loaded or draft.is_revision or not stale),
            "draft_holds": pending_edits.describe(draft.content) if draft else "",
            "show_save_draft": post.status == Post.Status.PUBLISHED,
            "autosave_enabled": draft is None or loaded or stale,
            "draft_form_token": self.draft_form_token(request, post),
            "draft_form_field": DRAFT_FORM_FIELD,
            "autosave_url": reverse("admin:blog_post_autosave", args=[post.pk]),
        }

    def change_url(self, post):
        return reverse("admin:blog_post_change", args=[post.pk])

    # URLs -----------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            # Not wrapped in admin_view: a script gets JSON errors, not a login page.
            path("<path:object_id>/autosave/", self.autosave_view, name="blog_post_autosave"),
            path(
                "<path:object_id>/draft/publish/",
                wrap(self.publish_draft_view),
                name="blog_post_publish_draft",
            ),
            path(
                "<path:object_id>/draft/discard/",
                wrap(self.discard_draft_view),
                name="blog_post_discard_draft",
            ),
            path(
                "<path:object_id>/revisions/compare/",
                wrap(self.compare_view),
                name="blog_post_compare",
            ),
            path(
                "<path:object_id>/revisions/<int:version_id>/restore/",
                wrap(self.restore_view),
                name="blog_post_restore",
            ),
            *super().get_urls(),
        ]

    def editable_post(self, request, object_id):
        # The permission before the lookup: a 404 would tell who may change nothing
        # which post ids exist.
        if not self.has_change_permission(request):
            raise PermissionDenied
        post = self.get_object(request, unquote(object_id))
        if post is None:
            raise Http404("No such post.")
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        return post

    def page(self, request, template, post, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": post,
            **context,
        }
        return TemplateResponse(request, f"admin/blog/post/{template}", context)

    # History, diff and restore --------------------------------------------

    def history_view(self, request, object_id, extra_context=None):
        post = self.get_object(request, unquote(object_id))
        shown = revisions.versions_of(post)[:HISTORY_LIMIT] if post else []
        context = {"revisions": list(shown), "revisions_limit": HISTORY_LIMIT}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})

    def content_named(self, post, name):
        """One side of a comparison: "live", "draft" or a revision's version id."""
        if name == "live":
            return "The published post" if post.is_public else "The saved post", (
                revisions.content_of(post)
            )
        if name == "draft":
            draft = pending_edits.pending_draft(post)
            if draft is None:
                raise Http404("This post has no pending draft.")
            return "The pending draft", draft.content
        if not name.isdigit():
            raise Http404("No such revision.")
        version = get_object_or_404(revisions.versions_of(post), pk=int(name))
        return revision_label(version), revisions.content_of_version(version)

    def compare_view(self, request, object_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        post = self.get_object(request, unquote(object_id))
        if post is None:
            raise Http404("No such post.")
        if not self.has_view_or_change_permission(request, post):
            raise PermissionDenied
        old, new = request.GET.get("old"), request.GET.get("new")
        if not old or not new:
            raise BadRequest("Choose two revisions to compare.")
        old_label, old_content = self.content_named(post, old)
        new_label, new_content = self.content_named(post, new)
        return self.page(
            request,
            "revision_compare.html",
            post,
            title=f"Changes to “{post}”",
            old_label=old_label,
            new_label=new_label,
            changes=revisions.diff(old_content, new_content),
        )

    def restore_view(self, request, object_id, version_id):
        post = self.editable_post(request, object_id)
        version = get_object_or_404(revisions.versions_of(post), pk=version_id)
        content = revisions.content_of_version(version)
        if request.method == "POST":
            comment = f"Restored {revision_label(version)}."
            revisions.apply_content(post, content, user=request.user, comment=comment)
            self.log_change(request, post, comment)
            self.message_user(
                request, f"Restored {revision_label(version)} as a new revision.", messages.SUCCESS
            )
            return HttpResponseRedirect(self.change_url(post))
        return self.page(
            request,
            "revision_restore.html",
            post,
            title=f"Restore “{post}”",
            version=version,
            label=revision_label(version),
            changes=revisions.diff(revisions.content_of(post), content),
        )

    # Draft buttons ----------------------------------------------------------

    @method_decorator(require_POST)
    def publish_draft_view(self, request, object_id):
        post = self.editable_post(request, object_id)
        draft = pending_edits.pending_draft(post)
        if draft is None:
            self.message_user(request, "There is no pending draft to publish.", messages.WARNING)
            return HttpResponseRedirect(self.change_url(post))
        try:
            pending_edits.publish_draft(draft, request.user)
        except ValidationError as error:
            problems = "; ".join(
                f"{post._meta.get_field(name).verbose_name.capitalize()}: {' '.join(texts)}"
                for name, texts in error.message_dict.items()
            )
            self.message_user(
                request,
                f"The draft was not published. {problems} Open the draft to fix it.",
                messages.ERROR,
            )
            return HttpResponseRedirect(self.change_url(post))
        self.log_change(request, post, "Published the draft revision.")
        self.message_user(request, "Published the draft.", messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(post))

    @method_decorator(require_POST)
    def discard_draft_view(self, request, object_id):
        post = self.editable_post(request, object_id)
        deleted, _ = pending_edits.PendingEdit.objects.filter(post=post).delete()
        if deleted:
            self.log_change(request, post, "Discarded the pending draft.")
            self.message_user(request, "Discarded the draft.", messages.SUCCESS)
        return HttpResponseRedirect(self.change_url(post))

    # Autosave -------------------------------------------------------------

    def autosave_view(self, request, object_id):
        return never_cache(self._autosave)(request, object_id)

    def _autosave(self, request, object_id):
        if request.method != "POST":
            return JsonResponse({"error": "Use POST."}, status=405)
        if not (request.user.is_active and request.user.is_staff):
            return JsonResponse({"error": "Sign in to the admin again."}, status=403)
        if not self.has_change_permission(request):
            return JsonResponse({"error": "You may not change posts."}, status=403)
        post = self.get_object(request, unquote(object_id))
        if post is None:
            return JsonResponse({"error": "No such post."}, status=404)
        if not self.has_change_permission(request, post):
            return JsonResponse({"error": "You may not change this post."}, status=403)
        if int(request.META.get("CONTENT_LENGTH") or 0) > AUTOSAVE_MAX_BYTES:
            return JsonResponse({"error": "Too much text to autosave."}, status=400)
        form = pending_edits.AutosaveForm(request.POST)
        sent = [name for name in form.fields if name in request.POST]
        if not sent:
            return JsonResponse({"error": "Nothing to save."}, status=400)
        if not form.is_valid():
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        fields = {name: form.cleaned_data[name] for name in sent}
        if request.POST.get(WHOLE_FORM) == "1":
            fields.update(self.autosaved_form(request, post))
        draft = pending_edits.autosave(post, fields, request.user)
        return JsonResponse(
            {
                "saved_at": draft.saved_at.isoformat(),
                "kept": pending_edits.describe(draft.content),
                "tags": draft.content.get("tags", []),
                "faq": len(draft.content.get("faq", [])),
                "keep_reading": draft.content.get("keep_reading", []),
            }
        )

    def autosaved_form(self, request, post):
        """The rest of a whole form sent by autosave: tags and inline rows in the content
        format, and the settings this user may change, each kept only when its own form
        field takes it (a half-typed date is left out, not refused)."""
        data = request.POST
        kept = {
            "tags": pending_edits.tags_from_form(data),
            "faq": pending_edits.rows_from_form(data, "faq_items"),
            "keep_reading": pending_edits.rows_from_form(data, "keep_reading_links"),
        }
        form = self.get_form(request, post, change=True)(data=data, instance=post)
        settings = {}
        for name in AUTOSAVED_SETTINGS:
            if name not in form.fields:
                continue  # read-only for this user (the status of an author who may not publish)
            try:
                value = form.fields[name].clean(form[name].data)
            except ValidationError:
                continue
            if isinstance(value, models.Model):
                value = value.pk
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            settings[name] = value
        kept["settings"] = settings
        return kept


class ReplacingRowForm(forms.ModelForm):
    """An inline row opened from a draft. Saved, the rows replace the post's live
    ones, so uniqueness is checked among the submitted rows (the formset does
    that) and not against the live rows they replace."""

    def validate_constraints(self):
        exclude = self._get_validation_exclusions()
        for constraint in self.instance._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                continue
            try:
                constraint.validate(type(self.instance), self.instance, exclude=exclude)
            except ValidationError as error:
                self._update_errors(ValidationError({NON_FIELD_ERRORS: [error]}))


def opened_on_draft(request):
    """The change form was opened on the pending draft (its address ends in ?draft=load)."""
    return request.GET.get("draft") == "load"


def saving_draft(request):
    return request.method == "POST" and SAVE_DRAFT in request.POST


def revision_label(version):
    revision = version.revision
    who = f" by {revision.user}" if revision.user else ""
    return f"the revision of {localize(localtime(revision.date_created))}{who}"
