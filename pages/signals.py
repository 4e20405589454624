"""What follows a change to the site settings or what they show, connected from PagesConfig.

- the cached site settings (``SiteSettings.load``) are forgotten whenever the settings,
  their navigation, profiles or services change, or the owner (an author) and the
  owner's links do;
- ``migrate`` sets the Site record's domain (pages.sites).

The page cache follows every save by itself (core/signals.py), and share cards follow
the site's name through their address (blog.share_cards).
"""

from django.db.models.signals import post_delete, post_migrate, post_save

from blog.models import Author, AuthorLink
from core.changes import changed_in_bulk

from .models import NavItem, Service, SiteSettings, SocialProfile
from .sites import sync_site_domain

SHOWN_IN_SETTINGS = [SiteSettings, NavItem, SocialProfile, Service, Author, AuthorLink]


def forget_site_settings(sender, **kwargs):
    SiteSettings.forget()


def connect():
    for model in SHOWN_IN_SETTINGS:
        uid = f"pages.forget.{model._meta.label}"
        post_save.connect(forget_site_settings, sender=model, dispatch_uid=uid)
        post_delete.connect(forget_site_settings, sender=model, dispatch_uid=uid)
        changed_in_bulk.connect(forget_site_settings, sender=model, dispatch_uid=uid)
    post_migrate.connect(sync_site_domain, dispatch_uid="pages.sync_site_domain")
