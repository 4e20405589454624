"""Pending edits: changes to a post that readers do not see yet.

"Draft" is a post's status (``Post.Status.DRAFT``); a pending edit is content saved
beside a post, and the pre-publish checks look at a ``prepublish.CheckedPost``.

A post has at most one pending edit, a ``PendingEdit`` row holding a content
dict (the format of blog.revisions) as JSON. Nothing public reads this table:
views, feeds and sitemaps read the ``Post`` row, which a pending edit never touches.
Two things write it:

- "Save as draft revision" in the admin stores the whole edited content of a
  published post (validated by the admin's own form and inlines);
- the editor's autosave stores the form as the author types: the text fields, and,
  from the whole form (``rows_from_form``, ``tags_from_form``), the tags, FAQ and
  keep-reading rows in the content format, plus the publishing settings (status,
  date, author, slug, table of contents, image texts) under ``content["settings"]``,
  which only reopening the form on the draft reads (revisions and "Publish draft"
  apply the content, never the settings).

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


# A hostile TOTAL_FORMS could ask for a billion rows; no post has more than this.
AUTOSAVE_ROW_LIMIT = 100
AUTOSAVE_TAG_LIMIT = 100


def tags_from_form(data):
    """The tag ids of a posted post form that name real tags, sorted."""
    from .models import Tag

    ids = {int(value) for value in data.getlist("tags")[:AUTOSAVE_TAG_LIMIT] if value.isdigit()}
    return sorted(Tag.objects.filter(pk__in=ids).values_list("pk", flat=True))


def rows_from_form(data, prefix):
    """An inline formset as posted, as typed (nothing validated), in the content format.

    ``faq_items`` gives [{"question", "answer"}], ``keep_reading_links`` [post ids] of
    posts that exist (a link twice stays twice: the form says so beside it when saved).
    Rows are ordered by their position field, then as posted, as content_from_admin does;
    empty and deleted rows are left out. Rows are found by their field names only.
    """
    from .models import Post

    total = data.get(f"{prefix}-TOTAL_FORMS", "")
    count = min(int(total), AUTOSAVE_ROW_LIMIT) if total.isdigit() else 0
    rows = []
    for i in range(count):
        row = f"{prefix}-{i}-"
        if data.get(row + "DELETE"):
            continue
        position = data.get(row + "position", "").strip()
        order = (int(position) if position.isdigit() else 0, i)
        if prefix == "faq_items":
            question, answer = data.get(row + "question", ""), data.get(row + "answer", "")
            if question.strip() or answer.strip():
                rows.append((order, {"question": question, "answer": answer}))
        else:
            target = data.get(row + "target", "")
            if target.isdigit():
                rows.append((order, int(target)))
    if prefix == "keep_reading_links":
        existing = set(
            Post.objects.filter(pk__in={pk for _, pk in rows}).values_list("pk", flat=True)
        )
        rows = [(order, pk) for order, pk in rows if pk in existing]
    return [value for _, value in sorted(rows, key=lambda row: row[0])]


def describe(content):
    """What a draft holds, in words: "the text, 3 tags, 2 FAQ items and 1 keep-reading link"."""
    parts = ["the text"]
    for key, one, many in [
        ("tags", "tag", "tags"),
        ("faq", "FAQ item", "FAQ items"),
        ("keep_reading", "keep-reading link", "keep-reading links"),
    ]:
        count = len(content.get(key) or [])
        if count:
            parts.append(f"{count} {one if count == 1 else many}")
    if content.get("settings"):
        parts.append("the publishing settings")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


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
