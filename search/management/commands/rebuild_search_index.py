from django.core.management.base import BaseCommand

from search.indexing import rebuild_index
from search.models import SearchDocument


class Command(BaseCommand):
    help = (
        "Index every post again. Saving posts and tags keeps the index current; run this "
        "after changing posts behind Django's back (raw SQL, bulk updates, restored backups)."
    )

    def handle(self, *args, **options):
        rebuild_index()
        self.stdout.write(f"Indexed {SearchDocument.objects.count()} posts.")
