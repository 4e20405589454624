from django.core.management.base import BaseCommand, CommandError

from blog.io.markdown_files import Importer


class Command(BaseCommand):
    help = (
        "Import posts and authors from Markdown files with YAML front matter. "
        "Existing ones are updated by slug; a bad file is reported and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Markdown files or folders of them.")

    def handle(self, *args, paths, **options):
        result = Importer().run(paths)
        for where, message in result.failed:
            self.stderr.write(f"{where}: {message}")
        summary = f"{result.created} created, {result.updated} updated, {len(result.failed)} failed"
        if result.failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
