from django.core.management.base import BaseCommand

from blog.rerendering import rerender

# What each derived Post field is, for the list of changed posts.
FIELD_NAMES = {
    "body_html": "HTML",
    "toc_html": "contents",
    "word_count": "word count",
    "reading_minutes": "reading time",
    "reading_time_breakdown": "reading time breakdown",
    "terms": "word counts for suggestions",
}


class Command(BaseCommand):
    help = (
        "Render every post, FAQ answer, bio, book description and site text again from its "
        "Markdown, e.g. after upgrading the site, and list each post whose stored HTML or "
        "reading aids change. Posts keep their updated dates. --dry-run lists without writing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would change and write nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        result = rerender(dry_run=dry_run)
        for title, slug, fields in result.changed_posts:
            changed = ", ".join(FIELD_NAMES.get(name, name) for name in fields)
            self.stdout.write(f"  {title} ({slug}): {changed}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            f"Rendered {result.checked} post(s) and text(s) again: {len(result.changed_posts)} "
            f"post(s) and {result.changed_texts} text(s) {verb}."
            + (" Nothing was written." if dry_run else "")
        )
