"""``django.contrib.admin``, with site_config/admin.py's site as ``admin.site``."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "site_config.admin.AdminSite"
