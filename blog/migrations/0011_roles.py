# The Author and Editor groups (blog/roles.py says who may do what).

from django.db import migrations

from blog.roles import create_groups, remove_groups


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("blog", "0010_slug_help_text"),
        # The Editor group gets these apps' permissions, so their models must exist.
        ("books", "0003_cover_renditions"),
        ("pages", "0003_profile_link_label"),
        ("praise", "0002_source_label_and_help_text"),
        ("previews", "0001_initial"),
        ("redirects", "0002_alter_redirect_new_path_help_text"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="post",
            options={
                "ordering": ["-published_at", "-pk"],
                "permissions": [
                    ("publish_post", "Can publish posts it may change"),
                    ("edit_others_posts", "Can edit other authors' posts"),
                ],
            },
        ),
        migrations.RunPython(create_groups, remove_groups),
    ]
