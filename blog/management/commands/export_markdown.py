from django.core.management.base import BaseCommand

from blog.io.markdown_files import export_site


class Command(BaseCommand):
    help = "Export every author and post as Markdown files that import_markdown reads back."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        counts = export_site(directory)
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {counts['authors']} authors and {counts['posts']} posts to {directory}"
            )
        )
