"""What every reader produces: a source's posts as plain records, before anything is written.

A reader (``transfer.jekyll``, ``transfer.hugo``, ``transfer.wordpress``, ...) knows one
platform's format and nothing about the database; the pipeline (``transfer.pipeline``)
knows the database and nothing about platforms. Readers convert bodies to Markdown and
resolve what they can (dates, slugs, image files); what they cannot convert goes in
``notes`` so the report names it.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class SourceAuthor:
    """An author as the source names them; matched by email, then slug, then name."""

    name: str
    email: str = ""
    slug: str = ""
    bio: str = ""  # Markdown
    website: str = ""


@dataclass
class SourceImage:
    """An image the post uses: a file on disk when the source ships one, else its address."""

    path: Path | None = None
    url: str = ""  # where the source served it, for the report when no file is found
    alt: str = ""
    caption: str = ""
    credit: str = ""
    # The name to keep in media storage: set only by the site's own archive, whose files
    # were cleaned when first uploaded; such a file is checked and stored byte for byte.
    name: str = ""


@dataclass
class SourcePost:
    origin: str  # where it came from, in full, for messages: "site/_posts/2014-05-01-x.md:12"
    title: str
    body: str  # Markdown, after the reader's conversions
    slug: str = ""  # "" lets the pipeline make one from the title
    description: str = ""  # the lede / excerpt / summary
    meta_description: str = ""
    canonical_url: str = ""
    # With the offset the source gave; None is "undated" (the pipeline uses the import time).
    published_at: datetime.datetime | None = None
    draft: bool = False
    # When the post last changed, as readers are told (feeds, sitemap); None: the import time.
    updated_at: datetime.datetime | None = None
    author: SourceAuthor | None = None  # None: the default author given to the command
    tags: list[str] = field(default_factory=list)  # names as written; categories merged in
    image: SourceImage | None = None  # the featured image
    # Images the body refers to, by the address written in the body: the pipeline uploads
    # each file and rewrites the address to the stored one.
    assets: dict[str, Path] = field(default_factory=dict)
    # Of those, the addresses whose file keeps a given name in media storage (``SourceImage.name``).
    asset_names: dict[str, str] = field(default_factory=dict)
    old_urls: list[str] = field(default_factory=list)  # paths that must redirect here
    old_slugs: list[str] = field(default_factory=list)  # this site's own renames
    faq: list[tuple[str, str]] = field(default_factory=list)  # (question, Markdown answer)
    keep_reading: list[str] = field(default_factory=list)  # slugs, in order
    show_toc: bool | None = None  # None: the site's default
    notes: list[str] = field(default_factory=list)  # what the reader could not convert


@dataclass
class Report:
    """What an import did or would do, file by file, told so the author can act on it."""

    source: str = ""  # the detected format, e.g. "Jekyll"
    problems: dict[str, list[str]] = field(default_factory=dict)  # origin -> every problem
    notes: dict[str, list[str]] = field(default_factory=dict)  # origin -> conversions, losses
    skipped: dict[str, str] = field(default_factory=dict)  # origin -> why it is not a post
    counts: dict[str, int] = field(default_factory=dict)  # e.g. {"comments left out": 12}
    # Filled by the pipeline: the origins of the posts it created, updated or left as they were.
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    looked_for: str = ""  # what the reader looked for, said when it found nothing

    def problem(self, origin, message):
        self.problems.setdefault(origin, []).append(message)

    def note(self, origin, message):
        self.notes.setdefault(origin, []).append(message)

    def skip(self, origin, reason):
        self.skipped[origin] = reason

    def count(self, what, n=1):
        self.counts[what] = self.counts.get(what, 0) + n


class Reader(Protocol):
    """One platform's format. ``transfer.detect`` asks each reader in turn."""

    name: str  # shown in the report: "Jekyll", "Hugo", "WordPress", ...

    def detect(self, path: Path) -> bool:
        """Whether ``path`` (a folder or a file) looks like this platform's export."""

    def read(self, path: Path, report: Report) -> Iterator[SourcePost]:
        """Every post found, in a stable order; problems and skips go in ``report``."""

    # Optional, for a source that carries more than posts (the site's own archive):
    # ``restore_site(path, report, dry_run)`` is called before the posts are written,
    # ``after_posts(path, report, dry_run)`` once they are.
