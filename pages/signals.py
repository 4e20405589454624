"""Forget the cached site settings whenever anything they show changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from blog.models import Author, AuthorLink

from .models import NavItem, Service, SiteSettings, SocialProfile


@receiver([post_save, post_delete], sender=SiteSettings)
@receiver([post_save, post_delete], sender=NavItem)
@receiver([post_save, post_delete], sender=SocialProfile)
@receiver([post_save, post_delete], sender=Service)
@receiver([post_save, post_delete], sender=Author)
@receiver([post_save, post_delete], sender=AuthorLink)
def forget_site_settings(sender, **kwargs):
    SiteSettings.forget()
