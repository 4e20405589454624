"""Pending edits: changes to a post that readers do not see yet.

"Draft" is a post's status (``Post.Status.DRAFT``); a pending edit is content saved
beside a post, and the pre-publish checks look at a ``prepublish.CheckedPost``.

A post has at most one pending edit, a ``PendingEdit`` row holding a content
dict (the format of blog.revisions) as JSON. Nothing public reads this table:
views, feeds and sitemaps read the ``Post`` row, which a pending edit never touches.
Two things write it:

- "Save as draft revision" in the admin stores the whole edited content of a
  published post (validated by the admin's own form and inlines);
- the editor's autosave stores the text fields as the author types.

"Publish draft" applies the content to the post through
``revisions.apply_content``, so publishing is one more revision in the history.
"""

from copy import copy
from typing import NamedTuple

from django import forms
from django.db import transaction
from django.utils import timezone

from .models import PendingEdit


def pending_draft(post):
    return PendingEdit.objects.filter(post=post).select_related("saved_by").first()


def content_from_admin(post, form, formsets):
    """The content of a validated admin change form and its inlines, without saving anything.

    ``post`` is the form's unsaved instance, already holding the edited fields.
    """
    from .revisions import CONTENT_FIELDS

    content = {name: getattr(post, name) for name in CONTENT_FIELDS}
    content["tags"] = sorted(tag.pk for tag in form.cleaned_data.get("tags", []))
    rows = {"faq": [], "keep_reading": []}
    for formset in formsets:
        key = {"faq_items": "faq", "keep_reading_links": "keep_reading"}.get(formset.prefix)
        if key is None:
            continue
        for subform in formset.forms:
            data = getattr(subform, "cleaned_data", None)
            if not data or data.get("DELETE"):  # an empty extra form, or a deleted row
                continue
            if key == "faq":
                value = {"question": data["question"], "answer": data["answer"]}
            else:
                value = data["target"].pk
            rows[key].append((data.get("position") or 0, len(rows[key]), value))
    for key, values in rows.items():
        content[key] = [value for *_, value in sorted(values, key=lambda r: r[:2])]
    return content


def save_draft(post, content, user):
    """Store ``content`` as the post's pending draft revision, replacing any earlier one."""
    draft, _ = PendingEdit.objects.update_or_create(
        post=post,
        defaults={
            "content": content,
            "is_revision": True,
            "saved_at": timezone.now(),
            "saved_by": user,
        },
    )
    return draft


class AutosaveForm(forms.Form):
    """What the editor's autosave sends: the post's text fields, as typed."""

    title = forms.CharField(max_length=200, required=False, strip=False)
    description = forms.CharField(max_length=300, required=False, strip=False)
    meta_description = forms.CharField(max_length=300, required=False, strip=False)
    canonical_url = forms.CharField(max_length=200, required=False, strip=False)
    body = forms.CharField(max_length=500_000, required=False, strip=False)


@transaction.atomic
def autosave(post, fields, user):
    """Put typed text into the post's draft (never into the post), starting one if needed."""
    from .revisions import content_of

    draft = PendingEdit.objects.select_for_update().filter(post=post).first()
    if draft is None:
        draft = PendingEdit(post=post, content=content_of(post))
    draft.content = {**draft.content, **fields}
    draft.saved_at = timezone.now()
    draft.saved_by = user
    draft.save()
    return draft


def check_content(post, content):
    """Refuse content the post's own fields would refuse (autosave takes text as typed)."""
    from .revisions import CONTENT_FIELDS

    candidate = copy(post)
    for name in CONTENT_FIELDS:
        setattr(candidate, name, content.get(name, ""))
    others = [field.name for field in post._meta.fields if field.name not in CONTENT_FIELDS]
    candidate.clean_fields(exclude=others)


@transaction.atomic
def publish_draft(draft, user):
    """Apply the draft to the live post as a new revision, and drop the draft.

    Raises ValidationError, and changes nothing, when the draft's text is not a valid post.
    """
    from .revisions import apply_content

    check_content(draft.post, draft.content)
    apply_content(draft.post, draft.content, user=user, comment="Published the draft revision.")
    draft.delete()


class DraftPreview(NamedTuple):
    faq_items: list
    tags: list


def show_draft(post, content):
    """Put a draft's content on ``post`` in memory, for a preview link; nothing is saved.

    Returns the draft's FAQ items (unsaved) and tags, which the article page shows
    in place of the live ones.
    """
    from . import derivation
    from .models import FAQItem, Tag
    from .rendering import render_markdown
    from .revisions import CONTENT_FIELDS

    for name in CONTENT_FIELDS:
        setattr(post, name, content.get(name, ""))
    faq_items = [
        FAQItem(
            question=item["question"],
            answer=item["answer"],
            answer_html=render_markdown(item["answer"]),
        )
        for item in content.get("faq", [])
    ]
    derivation.apply(post, faq=[(item.question, item.answer_html) for item in faq_items])
    return DraftPreview(faq_items, list(Tag.objects.filter(pk__in=content.get("tags", []))))
