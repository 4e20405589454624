from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site infrastructure"

    def ready(self):
        from . import signals

        signals.connect()
