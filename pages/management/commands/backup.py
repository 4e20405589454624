from django.core.management.base import BaseCommand

from pages.backups import backup


class Command(BaseCommand):
    help = (
        "Write a consistent snapshot of the database (SQLite online backup or pg_dump) and the "
        "media files, with a manifest, into DEST (a new or empty folder). Safe while the site runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="A new or empty folder for the backup.")

    def handle(self, *args, dest, **options):
        manifest = backup(dest)
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest['database_vendor']} ({rows} rows) and media to {dest}."
            )
        )
