"""Everything that follows a change to the blog's content, in one place.

Connected once, from ``BlogConfig.ready``:

- a post about to be saved: everything it stores from its own text (blog.derivation);
  an FAQ answer or an author's bio: its HTML;
- a post saved or deleted: the next scheduled moment (blog.scheduling) and its tag
  listings' copy of its status and date (blog.tag_listings); once committed, the
  keep-reading suggestions it has and those it may now belong to (blog.suggestions);
- a post's tags changed, from either side: its tag listings;
- an FAQ item saved or deleted: the post's reading time (blog.derivation);
- a slug changed (post, tag): the old one redirects (blog.slugs);
- posts changed in bulk (core.changes.announce): all of the above for those posts;
- where media-library images are used, and their measurements (blog.media): after a post,
  author or book is saved, deleted or announced (``media.track_uses``, from each app's
  ``ready``), and after an image is saved or announced (connected here).

Other apps keep their own derived data in their own signals modules: the page cache
(core/signals.py), the search index (search/signals.py), the cached site settings
(pages/signals.py). docs/architecture.md lists every derivative and its dependencies.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from core.changes import changed_in_bulk

from . import derivation, media, scheduling, suggestions, tag_listings
from .models import Author, BodyImage, FAQItem, Post, Tag
from .rendering import render_markdown
from .slugs import track_slug_changes


def derive_post(sender, instance, raw=False, **kwargs):
    if not raw:  # loaddata: the fixture carries what was derived
        derivation.apply(instance)


def render_answer(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.answer_html = render_markdown(instance.answer)


def render_bio(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.bio_html = render_markdown(instance.bio)


def post_saved(sender, instance, raw=False, **kwargs):
    scheduling.posts_changed()
    if raw:  # loaddata: the fixture carries listings and suggestions too
        return
    tag_listings.post_saved(instance)
    # Once committed, so the tags saved with the post count too. Robust: a failed
    # refresh is logged and leaves the old suggestions; it never fails the save.
    transaction.on_commit(partial(suggestions.refresh_after_save, instance.pk), robust=True)


def post_deleted(sender, instance, **kwargs):
    scheduling.posts_changed()


def post_tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    tag_listings.tags_changed(instance, action, reverse, pk_set)


def faq_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        derivation.recount_reading(instance.post_id)


def posts_changed_in_bulk(sender, pks, **kwargs):
    scheduling.posts_changed()
    tag_listings.rebuild(pks)
    if pks is None:
        suggestions.refresh_suggestions()
        return
    # Their word counts may have changed: their own lists and those they belong to.
    listed = Post.objects.filter(keep_reading_links__target__in=pks).values_list("pk", flat=True)
    suggestions.refresh_suggestions(Post.objects.filter(pk__in={*pks, *listed}))


def connect():
    uid = "blog.signals"
    pre_save.connect(derive_post, sender=Post, dispatch_uid=uid)
    pre_save.connect(render_answer, sender=FAQItem, dispatch_uid=uid)
    pre_save.connect(render_bio, sender=Author, dispatch_uid=uid)
    post_save.connect(post_saved, sender=Post, dispatch_uid=uid)
    post_delete.connect(post_deleted, sender=Post, dispatch_uid=uid)
    m2m_changed.connect(post_tags_changed, sender=Post.tags.through, dispatch_uid=uid)
    post_save.connect(faq_changed, sender=FAQItem, dispatch_uid=uid)
    post_delete.connect(faq_changed, sender=FAQItem, dispatch_uid=uid)
    changed_in_bulk.connect(posts_changed_in_bulk, sender=Post, dispatch_uid=uid)
    post_save.connect(media.image_saved, sender=BodyImage, dispatch_uid=uid)
    changed_in_bulk.connect(media.images_changed_in_bulk, sender=BodyImage, dispatch_uid=uid)
    track_slug_changes(Post)
    track_slug_changes(Tag)
