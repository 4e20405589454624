"""The site settings on every request, for the apps below this one.

As Django's CurrentSiteMiddleware puts the Site on ``request.site``, this puts the
site settings on ``request.site_settings`` (read on first use, from the cache), so the
blog and books read the site's name and owner without importing the app that owns
them: dependencies point down (docs/architecture.md).
"""

from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def site_settings_middleware(get_response):
    def middleware(request):
        request.site_settings = SimpleLazyObject(SiteSettings.load)
        return get_response(request)

    return middleware
