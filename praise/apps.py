from django.apps import AppConfig


class PraiseConfig(AppConfig):
    name = "praise"
    verbose_name = "Praise"
