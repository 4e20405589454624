"""Demo site settings from demo/site.yaml, for `manage.py setup_demo`."""

import yaml

from blog.models import Author
from pages.models import SiteSettings, SocialProfile

FIELDS = [
    "site_name", "tagline", "introduction", "cta_label", "cta_url", "article_cta",
    "footer_text", "offer_title", "offer", "notification_email",
]  # fmt: skip


def load(directory):
    """Fill in the site settings unless an owner was already chosen."""
    settings = SiteSettings.load()
    if settings.owner_id:
        return "Site settings already set; demo settings not loaded."
    data = yaml.safe_load((directory / "site.yaml").read_text())
    settings, _ = SiteSettings.objects.get_or_create(pk=1)  # the cached copy may predate a flush
    for name in FIELDS:
        setattr(settings, name, data.get(name, getattr(settings, name)))
    settings.owner = Author.objects.filter(slug=data.get("owner")).first()
    settings.save()
    settings.social_profiles.all().delete()
    for position, profile in enumerate(data.get("social_profiles", [])):
        SocialProfile.objects.create(settings=settings, position=position, **profile)
    settings.services.all().delete()
    for position, service in enumerate(data.get("services", [])):
        settings.services.create(position=position, **service)
    return "Loaded demo site settings."
