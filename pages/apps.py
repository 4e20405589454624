from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site pages and settings"

    def ready(self):
        from blog import media

        from . import signals
        from .models import Service, SiteSettings

        signals.connect()
        media.track_uses(SiteSettings, ["introduction", "offer"], "site_name")
        media.track_uses(Service, ["summary"], "title")
