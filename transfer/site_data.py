"""Everything of a site besides its posts, for the site's archive (``transfer.archive``).

``dump()`` describes it as plain data (``site.yaml``); ``restore()`` writes it back, before
the pipeline writes the posts, which find their authors and tags here by slug:

- editor uploads (``BodyImage``), kept under their names, their renditions made again;
- authors (name, role, bio, website, avatar, profile links);
- tags (name as written, slug, description);
- site settings, navigation, social profiles and services;
- books (cover, buy links, old slugs) and praise (portraits);
- redirects made by hand or by earlier imports.

Saved through the models, so what follows a save (rendered HTML, renditions, the cached
settings, the page cache) happens as it does in the admin. Matched by slug (praise by
name and quote), so restoring the same archive again changes nothing. Not restored: logins
(an author's ``user``), enquiries and their form's choices, preview links, revisions and
pending edits, which are the running site's and not the author's content.
"""

import datetime
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from blog.models import Author, AuthorLink, BodyImage, OldSlug, Tag
from blog.rerendering import rerender
from books.models import Book, BuyLink
from core.images.renditions import make_renditions
from pages.models import NavItem, Service, SiteSettings, SocialProfile
from praise.models import Testimonial

from .pipeline import keep_file
from .sources import Report

SETTINGS_FIELDS = [
    "site_name", "tagline", "introduction", "cta_label", "cta_url", "footer_text",
    "default_share_image_alt", "offer_title", "offer", "article_cta", "notification_email",
]  # fmt: skip
AUTHOR_FIELDS = ["name", "role", "website", "bio"]
BOOK_FIELDS = [
    "title", "subtitle", "summary", "cover_alt", "description", "isbn", "featured", "position",
]  # fmt: skip
# Checked as the archive's files (transfer.pipeline.keep_file), not as new uploads.
FILE_FIELDS = {"avatar", "cover", "photo", "default_share_image"}
PRAISE_FIELDS = [
    "quote", "name", "role", "organisation", "photo_alt", "source_url", "source_label",
    "featured", "position",
]  # fmt: skip


def content_type(model):
    return ContentType.objects.get_for_model(model)


def links(rows, *names):
    return [{name: getattr(row, name) for name in names} for row in rows]


# --- describing ----------------------------------------------------------------------------


def dump():
    """``(data, media names)``: the site besides its posts, and the files it uses."""
    media = set()

    def file(fieldfile):
        if fieldfile:
            media.add(fieldfile.name)
            return fieldfile.name
        return ""

    settings = SiteSettings.objects.filter(pk=1).select_related("owner").first()
    site = {}
    if settings is not None:
        site = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
        site["owner"] = settings.owner.slug if settings.owner else ""
        site["default_share_image"] = file(settings.default_share_image)
        site["navigation"] = links(settings.nav_items.all(), "label", "url")
        site["social_profiles"] = links(settings.social_profiles.all(), "label", "url")
        site["services"] = links(settings.services.all(), "title", "summary")
    authors = [
        {
            "slug": author.slug,
            **{name: getattr(author, name) for name in AUTHOR_FIELDS},
            "avatar": file(author.avatar),
            "links": links(author.links.all(), "label", "url"),
        }
        for author in Author.objects.prefetch_related("links").order_by("name", "pk")
    ]
    tags = [
        {"slug": tag.slug, "name": tag.name, "description": tag.description}
        for tag in Tag.objects.order_by("name", "pk")
    ]
    book_slugs = old_slugs(Book)
    books = [
        {
            "slug": book.slug,
            **{name: getattr(book, name) for name in BOOK_FIELDS},
            "published_on": book.published_on.isoformat() if book.published_on else "",
            "cover": file(book.cover),
            "buy_links": links(book.buy_links.all(), "label", "url"),
            "old_slugs": book_slugs.get(book.pk, []),
        }
        for book in Book.objects.prefetch_related("buy_links")  # in the site's order
    ]
    praise = [
        {**{name: getattr(quote, name) for name in PRAISE_FIELDS}, "photo": file(quote.photo)}
        for quote in Testimonial.objects.all()  # in the site's order
    ]
    redirects = [
        {"old_path": old, "new_path": new}
        for old, new in Redirect.objects.filter(site=Site.objects.get_current())
        .order_by("old_path")
        .values_list("old_path", "new_path")
    ]
    uploads = sorted(BodyImage.objects.values_list("name", flat=True))
    media |= set(uploads)
    data = {
        "settings": site,
        "authors": authors,
        "tags": tags,
        "books": books,
        "praise": praise,
        "redirects": redirects,
        "uploads": uploads,
    }
    return data, media


def old_slugs(model):
    found = {}
    rows = OldSlug.objects.filter(content_type=content_type(model)).order_by("slug")
    for object_id, slug in rows.values_list("object_id", "slug"):
        found.setdefault(object_id, []).append(slug)
    return found


# --- restoring -----------------------------------------------------------------------------


class _DryRun(Exception):
    """Rolls a dry run's restore back."""


def media_file(media_root, name):
    """The archive's file for media ``name``, or None; never outside ``media_root``."""
    root = Path(media_root).resolve()
    candidate = (root / str(name)).resolve()
    if candidate.is_relative_to(root) and candidate.is_file():
        return candidate
    return None


class Restorer:
    def __init__(self, media_root, report: Report, origin, dry_run):
        self.media_root = media_root
        self.report = report
        self.origin = origin
        self.dry_run = dry_run

    def file(self, name, what):
        """Put the archive's file ``name`` in media storage; the name, or "" if left out."""
        if not name:
            return ""
        path = media_file(self.media_root, name)
        if path is None:
            self.report.note(self.origin, f"{what} {name} is not in the archive: left out")
            return ""
        try:
            keep_file(str(name), path.read_bytes(), dry_run=self.dry_run)
        except ValidationError as error:
            self.report.note(self.origin, f"{what} {name} left out: {' '.join(error.messages)}")
            return ""
        return "" if self.dry_run else str(name)  # checked; a dry run stores no file to name

    def run(self, data):
        for name in data.get("uploads") or []:
            if self.file(name, "upload") and not BodyImage.objects.filter(name=name).exists():
                renditions = {} if self.dry_run else make_renditions(name)
                BodyImage.objects.create(name=name, renditions=renditions)
                self.count("uploads")
        for entry in data.get("authors") or []:
            self.author(entry)
        for entry in data.get("tags") or []:
            tag = Tag.objects.filter(slug=entry["slug"]).first() or Tag(slug=entry["slug"])
            values = {"name": entry["name"], "description": entry.get("description") or ""}
            self.save(tag, values, "tags")
        if data.get("settings"):
            self.settings(data["settings"])
        for entry in data.get("books") or []:
            self.book(entry)
        for entry in data.get("praise") or []:
            self.testimonial(entry)
        site = Site.objects.get_current()
        for entry in data.get("redirects") or []:
            redirect = Redirect.objects.filter(site=site, old_path=entry["old_path"]).first()
            redirect = redirect or Redirect(site=site, old_path=entry["old_path"])
            self.save(redirect, {"new_path": entry["new_path"]}, "redirects")

    def count(self, what):
        self.report.count(f"{what} {'to restore' if self.dry_run else 'restored'}")

    def save(self, instance, values, what):
        """Save ``instance`` with ``values`` if they change it: an archive imported again
        changes nothing (and a tag saved re-indexes its posts). Returns whether it did."""
        changed = instance.pk is None
        for name, value in values.items():
            current = getattr(instance, name)
            if hasattr(current, "field"):  # a file: compared by name
                current = current.name or ""
            if current != value:
                changed = True
                setattr(instance, name, value)
        if changed:
            instance.full_clean(exclude=list(FILE_FIELDS), validate_unique=False)
            instance.save()
            self.count(what)
        return changed

    @staticmethod
    def replace(rows, model, wanted, **parent):
        """A list of links in order, rewritten only when it differs; saved one by one, so
        what follows a save (the cached settings, the page cache) follows."""
        names = list(wanted[0]) if wanted else []
        if [{n: getattr(row, n) for n in names} for row in rows] == wanted:
            return
        for row in rows:
            row.delete()
        for position, item in enumerate(wanted):
            model(position=position, **parent, **item).save()

    def author(self, entry):
        author = Author.objects.filter(slug=entry["slug"]).first() or Author(slug=entry["slug"])
        values = {name: entry.get(name) or "" for name in AUTHOR_FIELDS}
        values["avatar"] = self.file(entry.get("avatar"), "avatar")
        self.save(author, values, "authors")
        wanted = [{"label": link["label"], "url": link["url"]} for link in entry.get("links") or []]
        self.replace(list(author.links.all()), AuthorLink, wanted, author=author)

    def settings(self, entry):
        settings, _ = SiteSettings.objects.get_or_create(pk=1)
        values = {name: entry.get(name) or "" for name in SETTINGS_FIELDS}
        values["owner"] = Author.objects.filter(slug=entry.get("owner") or "").first()
        values["default_share_image"] = self.file(entry.get("default_share_image"), "share image")
        self.save(settings, values, "site settings")
        for model, key, names in [
            (NavItem, "navigation", ["label", "url"]),
            (SocialProfile, "social_profiles", ["label", "url"]),
            (Service, "services", ["title", "summary"]),
        ]:
            wanted = [{n: item[n] for n in names} for item in entry.get(key) or []]
            rows = list(model.objects.filter(settings=settings))
            self.replace(rows, model, wanted, settings=settings)
        SiteSettings.forget()

    def book(self, entry):
        book = Book.objects.filter(slug=entry["slug"]).first() or Book(slug=entry["slug"])
        values = {name: entry.get(name) for name in BOOK_FIELDS}
        published = entry.get("published_on")
        values["published_on"] = datetime.date.fromisoformat(published) if published else None
        values["cover"] = self.file(entry.get("cover"), "cover")
        self.save(book, values, "books")
        wanted = [
            {"label": link["label"], "url": link["url"]} for link in entry.get("buy_links") or []
        ]
        self.replace(list(book.buy_links.all()), BuyLink, wanted, book=book)
        kind = content_type(Book)
        for slug in entry.get("old_slugs") or []:
            OldSlug.objects.update_or_create(
                content_type=kind, slug=slug, defaults={"object_id": book.pk}
            )

    def testimonial(self, entry):
        quote = Testimonial.objects.filter(name=entry["name"], quote=entry["quote"]).first()
        values = {name: entry.get(name) for name in PRAISE_FIELDS}
        values["photo"] = self.file(entry.get("photo"), "photo")
        self.save(quote or Testimonial(), values, "testimonials")


def restore(data, media_root, report: Report, origin, dry_run=False):
    """Write ``data`` (``dump()``'s) back, its files from ``media_root``; in one transaction.

    A problem (a value the models refuse) is reported against ``origin`` and nothing of
    the site's data is written; the posts are still imported. A dry run writes nothing.
    """
    try:
        with transaction.atomic():
            Restorer(media_root, report, origin, dry_run).run(data)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except (ValidationError, DatabaseError, KeyError, TypeError, AttributeError) as error:
        messages = getattr(error, "messages", None) or [repr(error)]
        report.problem(origin, f"the site's data was not restored: {' '.join(messages)}")


def render_links():
    """Render again what links to posts (``post:slug``): written before the posts were.

    A bio, a book's description or the introduction restored before its posts existed
    was rendered with the link unresolved; so was a post linking to one imported after it.
    """
    return rerender(containing="post:")
