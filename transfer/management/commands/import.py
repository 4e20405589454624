"""``manage.py import PATH``: a site from another platform, through one pipeline."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from transfer import readers
from transfer.frontmatter import LIMITS, SourceError
from transfer.pipeline import Pipeline
from transfer.sources import Report


class Command(BaseCommand):
    help = (
        "Import posts from a Jekyll site, a Hugo site or another platform's export, or a "
        "whole site from the archive `manage.py export` writes. "
        "Importing the same source again changes nothing; each post is written whole or "
        f"not at all. Limits: {LIMITS}."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The site folder or export file.")
        parser.add_argument(
            "--format",
            default="auto",
            choices=["auto", *readers.names()],
            help="What PATH is; auto asks each reader.",
        )
        parser.add_argument(
            "--author",
            default="",
            help="Author of the posts whose source names none: a slug or a name "
            "(created if the site has no such author).",
        )
        parser.add_argument(
            "--uploads",
            default="",
            help="Where the export's images are when they are not beside it: WordPress's "
            "wp-content/uploads folder, Ghost's content/images folder.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report everything; write nothing."
        )

    def handle(self, *args, path, format, author, dry_run, uploads, **options):
        source = Path(path).expanduser()
        if not source.exists():
            raise CommandError(f"{source}: no such file or folder")
        if format == "auto":
            reader = readers.detect(source)
            if reader is None:
                raise CommandError(
                    f"{source}: not recognised as any of {', '.join(readers.names())}. "
                    "A Jekyll site has a _posts folder or _config.yml; a Hugo site a content "
                    "folder and hugo.toml (or config.toml); WordPress gives a .xml file, Ghost "
                    "a .json file, Substack a .zip with posts.csv, Medium a .zip with posts/; "
                    "name one with --format."
                )
        else:
            reader = readers.by_format(format)
        if uploads:
            if not hasattr(reader, "with_uploads"):
                raise CommandError(
                    f"--uploads is for WordPress and Ghost exports, not {reader.name}"
                )
            folder = Path(uploads).expanduser()
            if not folder.is_dir():
                raise CommandError(f"--uploads {folder}: no such folder")
            reader = reader.with_uploads(folder)
        report = Report(source=reader.name)
        self.stdout.write(
            f"Importing {source.resolve()} as {reader.name}"
            f"{' (dry run: nothing is written)' if dry_run else ''}. Limits: {LIMITS}."
        )
        try:
            if hasattr(reader, "restore_site"):
                reader.restore_site(source, report, dry_run=dry_run)
            Pipeline(report, default_author=author, dry_run=dry_run).run(
                reader.read(source, report)
            )
            if hasattr(reader, "after_posts"):
                reader.after_posts(source, report, dry_run=dry_run)
        except SourceError as error:
            raise CommandError(str(error)) from None
        self.write_report(report, dry_run)
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} file(s) not imported; see the problems above"
            )

    def write_report(self, report, dry_run):
        out = self.stdout.write
        would = "would be " if dry_run else ""
        for heading, origins in [
            ("Created", report.created),
            ("Updated", report.updated),
        ]:
            if origins:
                out(f"\n{heading if not dry_run else 'Would be ' + heading.lower()}:")
                for origin in origins:
                    out(f"  {origin}")
        if report.skipped:
            out("\nSkipped:")
            for origin, reason in report.skipped.items():
                out(f"  {origin}: {reason}")
        if report.notes:
            out("\nNotes:")
            for origin, notes in sorted(report.notes.items()):
                out(f"  {origin}")
                for note in notes:
                    out(f"    - {note}")
        if report.problems:
            self.stderr.write("\nProblems (these files were not imported):")
            for origin, problems in sorted(report.problems.items()):
                self.stderr.write(f"  {origin}")
                for problem in problems:
                    self.stderr.write(f"    - {problem}")
        counts = "".join(f", {n} {what}" for what, n in sorted(report.counts.items()))
        summary = (
            f"{len(report.created)} {would}created, {len(report.updated)} {would}updated, "
            f"{len(report.unchanged)} unchanged, {len(report.skipped)} skipped, "
            f"{len(report.problems)} failed{counts}"
        )
        if not (report.created or report.updated or report.unchanged) and report.looked_for:
            summary += f". Nothing imported: looked for {report.looked_for}"
        out("\n" + summary)
