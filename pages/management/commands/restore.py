from django.core.management.base import BaseCommand

from pages.backups import restore


class Command(BaseCommand):
    help = (
        "Put a backup made by `manage.py backup` back: the database and the media files. "
        "Stop the site first. Refuses to overwrite a database with content unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("src", help="The backup folder.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the content of a database that is not empty.",
        )

    def handle(self, *args, src, force, **options):
        manifest = restore(src, force=force)
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} "
                f"({sum(manifest['counts'].values())} rows) and its media."
            )
        )
