import time

from django.core.management.base import BaseCommand, CommandError

from benchmarks.synthetic import generate_posts


class Command(BaseCommand):
    help = (
        "Add N synthetic published posts (with tags and search-index rows), for measuring "
        "the site with a large archive. Never run it on a real site: the posts are public."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many posts to add.")
        parser.add_argument("--seed", type=int, default=0, help="Same seed, same posts.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, count, seed, batch_size, **options):
        if count < 1:
            raise CommandError("Give a number of posts of at least 1.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        started = time.monotonic()

        def progress(done):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done:,} / {count:,}")

        made = generate_posts(count, seed=seed, batch_size=batch_size, progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(f"Generated {made:,} posts in {seconds:.1f} s.")
