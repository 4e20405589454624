from django.core.management.base import BaseCommand

from blog.tag_listings import rebuild


class Command(BaseCommand):
    help = (
        "Write every tag listing (what tag pages read) again from the posts' tags. Saves, "
        "the admin and imports keep them up to date; run this after changing posts in SQL."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {count} tag listing(s)."))
