"""The blog's content: authors, tags, posts with their FAQ and keep-reading links, and
what is kept beside them (pending edits, tag listings, old slugs, editor uploads)."""

from .authors import Author, AuthorLink, ProfileLink, initials
from .history import OldSlug
from .images import BodyImage, ImageUse
from .pending_edits import PendingEdit
from .posts import FAQItem, KeepReading, KeepReadingQuerySet, Post, PostQuerySet
from .tags import Tag, TagListing

__all__ = [
    "Author", "AuthorLink", "BodyImage", "FAQItem", "ImageUse", "KeepReading",
    "KeepReadingQuerySet", "OldSlug", "PendingEdit", "Post", "PostQuerySet", "ProfileLink", "Tag",
    "TagListing", "initials",
]  # fmt: skip
