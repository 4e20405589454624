from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Site pages and settings"

    def ready(self):
        from site_config import page_cache

        from . import signals  # noqa: F401
        from .sites import sync_site_domain

        page_cache.connect()

        post_migrate.connect(sync_site_domain, dispatch_uid="pages.sync_site_domain")
