"""Measure the library's unmeasured images and record again where every image is used.

For a site whose Markdown or uploads changed without the ORM seeing it (files copied into
media storage, SQL); the admin, the editor and ``manage.py import`` keep both up to date.
"""

from django.core.management.base import BaseCommand

from blog import media


class Command(BaseCommand):
    help = "Measure unmeasured media-library images and record where each image is used."

    def handle(self, *args, **options):
        measured = media.measure_missing()
        media.rebuild_uses()
        self.stdout.write(f"Measured {measured} image(s); recorded where every image is used.")
