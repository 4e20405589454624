from django.db import migrations

DEFAULT_NAV = [("Blog", "/blog/"), ("Books", "/books/"), ("Praise", "/praise/"), ("About", "/about/")]


def create_settings(apps, schema_editor):
    SiteSettings = apps.get_model("pages", "SiteSettings")
    NavItem = apps.get_model("pages", "NavItem")
    settings, created = SiteSettings.objects.get_or_create(pk=1)
    if created:
        NavItem.objects.bulk_create(
            NavItem(settings=settings, label=label, url=url, position=i)
            for i, (label, url) in enumerate(DEFAULT_NAV)
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_settings, migrations.RunPython.noop)]
