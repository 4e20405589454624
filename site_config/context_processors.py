"""Site identity available to every template."""

from django.conf import settings


def site(request):
    name = settings.SITE_NAME
    return {
        "site_name": name,
        "site_tagline": settings.SITE_TAGLINE,
        "site_initials": "".join(word[0] for word in name.split()[:2]).upper(),
    }
