"""PostDraft becomes PendingEdit: "draft" stays the name of a status only."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("blog", "0016_post_social_card_follows_its_inputs"),
    ]

    operations = [
        migrations.RenameModel(old_name="PostDraft", new_name="PendingEdit"),
        migrations.AlterModelOptions(name="pendingedit", options={"verbose_name": "pending edit"}),
    ]
