"""The media library's derived data for images and Markdown stored before it existed.

Measures each stored upload (through the storage API: ``core.images.measure``), records where
each image is used (``blog.media.record_uses``, on the historical models) and gives the Author
group the library's view and change permissions (``blog.roles``).
"""

from django.db import migrations

from blog import media, roles


def measure_images(apps, schema_editor):
    media.measure_missing(apps=apps)


def record_uses(apps, schema_editor):
    media.rebuild_uses(apps=apps)


def authors_see_the_library(apps, schema_editor):
    """The Author group's new permissions (``roles.AUTHOR_PERMISSIONS``).

    BodyImage's permissions exist since 0011 created them (or since ``migrate`` first ran):
    only they are added, so the permissions of models renamed since are left to Django.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [name for name in roles.AUTHOR_PERMISSIONS["blog"] if name.endswith("bodyimage")]
    permissions = Permission.objects.filter(
        content_type__app_label="blog", codename__in=codenames
    )
    for group in Group.objects.filter(name=roles.AUTHOR):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("blog", "0019_media_library"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(measure_images, migrations.RunPython.noop),
        migrations.RunPython(record_uses, migrations.RunPython.noop),
        migrations.RunPython(authors_see_the_library, migrations.RunPython.noop),
    ]
