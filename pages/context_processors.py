"""Site identity for every template, read from the cached site settings."""

from .models import SiteSettings


def site(request):
    return {"site": SiteSettings.load()}
