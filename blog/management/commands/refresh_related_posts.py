from django.core.management.base import BaseCommand

from blog.suggestions import refresh_suggestions


class Command(BaseCommand):
    help = (
        'Recompute every post\'s "Keep reading" suggestions (shown when none are curated). '
        "Posts refresh them on save; run this after changing many posts outside the admin."
    )

    def handle(self, *args, **options):
        count = refresh_suggestions()
        self.stdout.write(
            self.style.SUCCESS(f"Refreshed keep-reading suggestions of {count} post(s).")
        )
