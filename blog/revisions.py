"""Revisions of a post's content, kept by django-reversion.

Each admin save of a post stores one reversion revision holding the post's
content fields and tags plus its FAQ items and keep-reading links (followed
relations). Publishing state (status, date, slug, author, images) is not part
of a revision: restoring old words never unpublishes or renames a post.

Everything here speaks one small format, the *content* dict::

    {"title": ..., "description": ..., "body": ..., "meta_description": ...,
     "canonical_url": ..., "tags": [tag ids], "faq": [{"question", "answer"}],
     "keep_reading": [post ids]}

It is what a revision holds, what a pending draft holds (blog.pending_edits), what
the diff view compares and what restoring or publishing applies to a post.
"""

import difflib
import re
from typing import NamedTuple

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from reversion.models import Version

from .models import FAQItem, KeepReading, Post, Tag

CONTENT_FIELDS = ["title", "description", "body", "meta_description", "canonical_url"]


def register():
    """Called once from BlogConfig.ready()."""
    if reversion.is_registered(Post):
        return
    reversion.register(
        Post, fields=[*CONTENT_FIELDS, "tags"], follow=["faq_items", "keep_reading_links"]
    )
    reversion.register(FAQItem, fields=["post", "question", "answer", "position"])
    reversion.register(KeepReading, fields=["post", "target", "position", "suggested"])


def content_of(post):
    """The live post's content."""
    return {
        **{name: getattr(post, name) for name in CONTENT_FIELDS},
        "tags": sorted(post.tags.values_list("pk", flat=True)),
        "faq": [
            {"question": question, "answer": answer}
            for question, answer in post.faq_items.values_list("question", "answer")
        ],
        # Curated links only: suggestions (blog.suggestions) are recomputed, not content.
        "keep_reading": list(post.keep_reading_links.curated().values_list("target_id", flat=True)),
    }


def versions_of(post):
    """The post's revisions, newest first, each as its Post version."""
    return (
        Version.objects.get_for_object(post)
        .select_related("revision", "revision__user")
        .order_by("-revision__date_created", "-pk")
    )


def content_of_version(version):
    """The content a revision held, rebuilt from its versions."""
    fields = version.field_dict
    related = {"faq": [], "keep_reading": []}
    faq_type = ContentType.objects.get_for_model(FAQItem)
    link_type = ContentType.objects.get_for_model(KeepReading)
    post_id = int(version.object_id)
    for other in version.revision.version_set.filter(content_type__in=[faq_type, link_type]):
        other_fields = other.field_dict
        if other_fields["post_id"] != post_id or other_fields.get("suggested"):
            continue
        if other.content_type_id == faq_type.pk:
            item = {"question": other_fields["question"], "answer": other_fields["answer"]}
            related["faq"].append((other_fields["position"], int(other.object_id), item))
        else:
            target = other_fields["target_id"]
            related["keep_reading"].append((other_fields["position"], int(other.object_id), target))
    return {
        **{name: fields.get(name, "") for name in CONTENT_FIELDS},
        "tags": sorted(fields.get("tags", [])),
        # The same order the site shows them in: position, then age.
        "faq": [item for *_, item in sorted(related["faq"], key=lambda r: r[:2])],
        "keep_reading": [pk for *_, pk in sorted(related["keep_reading"], key=lambda r: r[:2])],
    }


@transaction.atomic
def apply_content(post, content, *, user=None, comment=""):
    """Make ``content`` the post's live content, stored as a new revision."""
    with reversion.create_revision():
        for name in CONTENT_FIELDS:
            setattr(post, name, content.get(name, ""))
        post.save()
        post.tags.set(Tag.objects.filter(pk__in=content.get("tags", [])))
        # FAQ items and links are replaced wholesale: the content says what they are now.
        post.faq_items.all().delete()
        for position, item in enumerate(content.get("faq", []), start=1):
            FAQItem(post=post, position=position, **item).save()
        post.keep_reading_links.curated().delete()
        targets = Post.objects.exclude(pk=post.pk).in_bulk(content.get("keep_reading", []))
        for position, pk in enumerate(content.get("keep_reading", []), start=1):
            if pk in targets:
                KeepReading.objects.create(post=post, target_id=pk, position=position)
        reversion.set_user(user)
        reversion.set_comment(comment)


# The diff view ---------------------------------------------------------------


class FieldDiff(NamedTuple):
    label: str
    # (kind, segments) per line; kind is "added", "removed", "context" or "gap", and
    # segments are (text, changed) pairs, so the template escapes every piece of text.
    lines: list


LABELS = {
    "title": "Title",
    "description": "Description",
    "body": "Body",
    "meta_description": "Meta description",
    "canonical_url": "Canonical URL",
    "tags": "Tags",
    "faq": "FAQ",
    "keep_reading": "Keep reading",
}


def as_text(content):
    """Each field of a content dict as plain text lines, ready for difflib."""
    tag_ids = content.get("tags", [])
    post_ids = content.get("keep_reading", [])
    tag_names = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "name"))
    titles = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "title"))
    faq = []
    for item in content.get("faq", []):
        faq += [f"Q: {item['question']}", *f"A: {item['answer']}".splitlines(), ""]
    text = {name: (content.get(name) or "").splitlines() for name in CONTENT_FIELDS}
    text["tags"] = sorted(tag_names.get(pk, f"(deleted tag #{pk})") for pk in tag_ids)
    text["faq"] = faq[:-1]
    text["keep_reading"] = [titles.get(pk, f"(deleted post #{pk})") for pk in post_ids]
    return text


def diff(old, new):
    """Per-field unified diffs between two content dicts; unchanged fields are left out."""
    old_text, new_text = as_text(old), as_text(new)
    changes = []
    for name, label in LABELS.items():
        if old_text[name] != new_text[name]:
            changes.append(FieldDiff(label, diff_lines(old_text[name], new_text[name])))
    return changes


def diff_lines(old, new):
    """Changed lines with two lines of context; a rewritten line marks the words that changed."""
    lines = []
    for group in difflib.SequenceMatcher(None, old, new, autojunk=False).get_grouped_opcodes(2):
        if lines:
            lines.append(("gap", [("…", False)]))
        for op, i1, i2, j1, j2 in group:
            if op == "equal":
                lines += [("context", [(line, False)]) for line in old[i1:i2]]
                continue
            removed, added = old[i1:i2], new[j1:j2]
            if op == "replace" and len(removed) == len(added):
                pairs = [word_diff(a, b) for a, b in zip(removed, added, strict=True)]
                lines += [("removed", a) for a, _ in pairs] + [("added", b) for _, b in pairs]
            else:
                lines += [("removed", [(line, False)]) for line in removed]
                lines += [("added", [(line, False)]) for line in added]
    return lines


def word_diff(old, new):
    """Two versions of a line as segments, the words that differ marked as changed."""
    old_words, new_words = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    old_segments, new_segments = [], []
    matcher = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        changed = op != "equal"
        if text := "".join(old_words[i1:i2]):
            old_segments.append((text, changed))
        if text := "".join(new_words[j1:j2]):
            new_segments.append((text, changed))
    return old_segments, new_segments
