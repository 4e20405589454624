"""Keep django.contrib.sites' one Site record naming the site's public address.

Feeds, the sitemap and hand-made redirects (django.contrib.redirects) work
through that record, so its domain must be the address readers use, not
Django's placeholder "example.com".
"""

from django.conf import settings

PLACEHOLDER_DOMAIN = "example.com"


def default_domain():
    """DJANGO_SITE_DOMAIN when set, else the first exact allowed host."""
    if settings.SITE_DOMAIN:
        return settings.SITE_DOMAIN
    exact_hosts = [host for host in settings.ALLOWED_HOSTS if host not in {"*"} and host[0] != "."]
    return exact_hosts[0] if exact_hosts else "127.0.0.1:8000"


def sync_site_domain(using="default", **kwargs):
    """After migrate: apply DJANGO_SITE_DOMAIN, or replace the placeholder domain.

    Without DJANGO_SITE_DOMAIN a domain edited in the admin is left alone.
    """
    from django.contrib.sites.models import Site

    site = Site.objects.using(using).filter(pk=settings.SITE_ID).first()
    if site is None:
        return
    if settings.SITE_DOMAIN or site.domain == PLACEHOLDER_DOMAIN:
        site.domain = site.name = default_domain()
        site.save(using=using)
        Site.objects.clear_cache()
