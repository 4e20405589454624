"""``manage.py export DEST``: the whole site in one archive, for ``manage.py import``."""

import time

from django.core.management.base import BaseCommand, CommandError

from transfer import archive


class Command(BaseCommand):
    help = (
        "Write everything the site's authors made (posts, images, authors, tags, books, "
        "praise, pages, settings, redirects) into one archive: a new or empty folder, or a "
        "path ending in .zip. `manage.py import DEST` on another site reproduces this one. "
        "Two exports of the same site are byte-identical."
    )

    def add_arguments(self, parser):
        parser.add_argument("dest", help="A new or empty folder, or a file name ending in .zip.")

    def handle(self, *args, dest, **options):
        started = time.monotonic()
        try:
            counts, missing = archive.export(dest)
        except FileExistsError as error:
            raise CommandError(str(error)) from None
        for name in missing:
            self.stderr.write(f"  media file {name} is named by the site but not in storage")
        summary = ", ".join(f"{n} {what}" for what, n in sorted(counts.items()))
        self.stdout.write(
            f"Exported {summary} to {dest} in {time.monotonic() - started:.1f} s"
            + (f"; {len(missing)} missing media file(s) left out" if missing else "")
        )
