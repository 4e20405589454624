"""What follows any change readers can see: the page cache starts a new content version.

Visible are the models ``settings.PAGE_CACHE_VISIBLE`` names (whole apps, or
``app.model``) except those in ``PAGE_CACHE_INVISIBLE``. An allowlist: a new model of
one of the site's apps is covered the day it is added, and a model of any other app
(sign-in attempts, sessions) never empties the cache, whoever can make it change.
Proxy models count as their concrete model. Changes made in bulk reach here through
``core.changes.announce``.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from .changes import changed_in_bulk
from .http import page_cache


def visible(model):
    meta = model._meta.concrete_model._meta
    shown = meta.app_label in settings.PAGE_CACHE_VISIBLE or (
        meta.label_lower in settings.PAGE_CACHE_VISIBLE
    )
    return shown and meta.label_lower not in settings.PAGE_CACHE_INVISIBLE


def model_changed(sender, **kwargs):
    if not visible(sender):
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after; the change is the "post_" one
    # Now, for pages rendered in this transaction; and after the commit, because
    # a page rendered between the two would show the old content under the new key.
    page_cache.content_changed()
    transaction.on_commit(page_cache.content_changed)


def connect():
    post_save.connect(model_changed, dispatch_uid="page-cache-save")
    post_delete.connect(model_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(model_changed, dispatch_uid="page-cache-m2m")
    changed_in_bulk.connect(model_changed, dispatch_uid="page-cache-bulk")
    # A deploy runs `migrate`: pages rendered with the old templates go.
    post_migrate.connect(page_cache.content_changed, dispatch_uid="page-cache-migrate")
