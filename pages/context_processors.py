"""Site identity for every template, read from the cached site settings."""

from .models import SiteSettings


def site(request):
    # The request's copy (pages.middleware), so a page reads the settings once.
    return {"site": getattr(request, "site_settings", None) or SiteSettings.load()}
