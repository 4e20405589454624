from django.core.management.base import BaseCommand

from blog.rerendering import rerender


class Command(BaseCommand):
    help = (
        "Render every post, FAQ answer, bio, book description and site text again from its "
        "Markdown, e.g. after upgrading the site. Posts keep their updated dates."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Rendered {rerender()} post(s) and text(s) again.")
