"""Writes the posts every reader produces (``transfer.sources``) to the database.

One pipeline for every source, so a Jekyll folder, a Hugo site and a WordPress export are
matched, checked, stored and reported the same way:

- **Checked first, all at once.** Every problem of a post is reported together, before
  anything is written (``check``); a post with a problem is refused, the others land.
- **One transaction per post.** A post is written whole or not at all.
- **Idempotent.** A post whose stored fields, tags, FAQ, images and redirects already
  match its source is not written (its ``updated_at`` stays); images are named after
  their bytes (``<sha256>.ext``), so a second import finds them without re-encoding.
- **Derived data once per run.** Posts are written with ``bulk_create``/``update()``
  and what follows a save (tag listings, search index, suggestions, the next scheduled
  moment, the page cache) is announced once at the end (``core.changes.announce``), as
  docs/architecture.md says of bulk changes. A post's own HTML, contents and reading time
  are derived by ``blog.derivation``, the function a save calls.

Slugs are ASCII: a title without Latin letters (Japanese, Arabic) is transliterated with
``anyascii`` ("日本語のタイトル" → ``ribenyunotaitoru``), so addresses stay plain and every
existing ``<slug:slug>`` route keeps matching.
"""

import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser

from anyascii import anyascii
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image

from blog import derivation
from blog.models import Author, BodyImage, FAQItem, KeepReading, OldSlug, Post, Tag
from blog.rendering import render_markdown
from core.changes import announce
from core.images.renditions import make_renditions
from core.images.uploads import ALLOWED_FORMATS, CleanImage, clean, too_big_message
from core.markdown.rendering import ALLOWED_TAGS

from .sources import Report, SourceImage, SourcePost

BATCH = 200  # posts whose stored state is read together before they are written
SLUG_MAX = 100  # of the 200 a slug may have: addresses people can read and share


def make_slug(text, limit=SLUG_MAX):
    """An ASCII slug of ``text``, transliterated when it is written in another script."""
    slug = slugify(anyascii(str(text)))
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug


# --- what the sanitizer will remove ------------------------------------------------------

_FENCED = re.compile(r"^( {0,3})(`{3,}|~{3,})[^\n]*\n.*?^\1?\2[`~]*[ \t]*$", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.removed = defaultdict(int)

    def handle_starttag(self, tag, attrs):
        # Autolinks (<https://...>, <me@example.com>) parse as odd tag names: not elements.
        if tag not in ALLOWED_TAGS and re.fullmatch(r"[a-z][a-z0-9-]*", tag):
            self.removed[tag] += 1


def removed_elements(markdown):
    """``{tag: count}`` of the raw HTML elements in ``markdown`` the sanitizer will drop.

    Code (fenced blocks and spans) is shown as text, so it is left out of the count.
    """
    text = _CODE_SPAN.sub("", _FENCED.sub("", markdown))
    if "<" not in text:
        return {}
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return dict(parser.removed)


# --- the plan for one post ----------------------------------------------------------------


@dataclass
class Plan:
    """One post as it will be stored, checked, before anything is written."""

    source: SourcePost
    slug: str
    fields: dict  # Post fields as given by the source
    tags: list  # (slug, name) in order
    author: object  # an Author, or a SourceAuthor still to create
    problems: list = field(default_factory=list)


@dataclass
class Stored:
    """An image in media storage: its name, and what a post or body needs of it."""

    name: str
    width: int | None = None
    height: int | None = None
    renditions: dict | None = None  # None: not made yet (made when first needed)


class Pipeline:
    """Imports ``SourcePost`` records: ``Pipeline(report, ...).run(posts)``.

    ``default_author`` (a slug or a name) is given to posts whose source names none;
    it is created when the site has no such author. ``dry_run`` checks and reports
    everything and writes nothing.
    """

    def __init__(self, report: Report, default_author="", dry_run=False):
        self.report = report
        self.default_author_name = default_author.strip()
        self.dry_run = dry_run
        self.site = Site.objects.get_current()
        self.post_type = ContentType.objects.get_for_model(Post)
        self.authors = {}  # key -> Author, for this run
        self.new_authors = {}  # slug -> Author not yet saved (or, in a dry run, never)
        self.tags = {}  # slug -> Tag, and ("name", name) -> Tag
        self.images = {}  # (folder, sha) -> Stored
        self.changed_posts = []
        self.changed_other = set()  # models written besides posts, to announce
        self.existing = {}  # slug -> Post, for the posts about to be written (prefetch)
        self.redirects = {}  # old path -> new path, likewise

    # --- running ------------------------------------------------------------------------

    def run(self, posts):
        plans = [self.check(source) for source in posts]
        self.refuse_clashes(plans)
        written = {}
        for number, plan in enumerate(plans):
            if number % BATCH == 0:
                self.prefetch(plans[number : number + BATCH])
            for note in plan.source.notes:
                self.report.note(plan.source.origin, note)
            if plan.problems:
                for problem in plan.problems:
                    self.report.problem(plan.source.origin, problem)
                continue
            post_id = self.write_one(plan)
            if post_id is not None:
                written[plan.slug] = (plan, post_id)
        self.write_keep_reading(written)
        if not self.dry_run:
            self.announce()
        return self.report

    def prefetch(self, plans):
        """What the next posts are compared with, read in a few queries rather than a few
        per post: a re-import that changes nothing is mostly reading."""
        slugs = [plan.slug for plan in plans if plan.slug]
        posts = Post.objects.filter(slug__in=slugs).prefetch_related("tags", "faq_items")
        self.existing = {post.slug: post for post in posts}
        paths = {old_path(url) for plan in plans for url in plan.source.old_urls} - {""}
        redirects = Redirect.objects.filter(site=self.site, old_path__in=paths)
        self.redirects = dict(redirects.values_list("old_path", "new_path"))

    def announce(self):
        """Once per run: what follows posts saved (listings, search, suggestions, cache).

        In one transaction: the handlers' thousands of small writes commit once (the posts
        are already committed; all of this can be derived again if it fails).
        """
        with transaction.atomic():
            self.announce_changes()

    def announce_changes(self):
        if self.new_authors:
            announce(Author, [a.pk for a in self.new_authors.values() if a.pk])
        if self.changed_posts:
            # Most of the site: "any post" lets the handlers rebuild in bulk (as rerender
            # does) rather than filter on a list of ids that may pass SQLite's limit.
            most = len(self.changed_posts) > Post.objects.count() // 2
            announce(Post, None if most else self.changed_posts)
        elif self.changed_other:
            # Only redirects or old slugs: the pages that answer change; one cache version.
            announce(sorted(self.changed_other, key=lambda model: model.__name__)[0])

    # --- checking -----------------------------------------------------------------------

    def check(self, source):
        problems = []
        title = " ".join(str(source.title or "").split())
        if not title:
            problems.append("the post has no title: give it a 'title' in the front matter")
        body = source.body or ""
        if not body.strip():
            problems.append("the post has no body")
        slug = self.slug_of(source, title, problems)
        fields = {
            "title": title,
            "slug": slug,
            "body": body,
            "description": self.fitted(source, "description", source.description),
            "meta_description": self.fitted(source, "meta_description", source.meta_description),
            "canonical_url": (source.canonical_url or "").strip(),
            "status": Post.Status.DRAFT if source.draft else Post.Status.PUBLISHED,
            "published_at": source.published_at,
            "show_toc": bool(source.show_toc),
        }
        if source.updated_at is not None:
            fields["updated_at"] = source.updated_at
        image = source.image
        if image is not None:
            fields["featured_image_alt"] = self.fitted(source, "featured_image_alt", image.alt)
            fields["featured_image_caption"] = self.fitted(
                source, "featured_image_caption", image.caption
            )
            fields["featured_image_credit"] = self.fitted(
                source, "featured_image_credit", image.credit
            )
        for name, value in fields.items():
            if name in {"status", "published_at", "updated_at", "show_toc"} or not value:
                continue
            try:
                Post._meta.get_field(name).run_validators(value)
            except ValidationError as error:
                label = "the body" if name == "body" else f"'{name}'"
                problems.append(f"{label}: {' '.join(error.messages)}")
        tags = []
        for name in dict.fromkeys(" ".join(str(t).split()) for t in source.tags):
            tag_slug = make_slug(name, 60)
            if not name:
                continue
            if not tag_slug:
                problems.append(f"tag {name!r} needs at least one letter or digit")
            elif len(name) > 60:
                problems.append(f"tag {name!r} is longer than 60 characters")
            else:
                tags.append((tag_slug, name))
        for question, _ in source.faq:
            if len(question) > 300:
                problems.append(f"FAQ question {question[:40]!r}… is longer than 300 characters")
        author = self.author_for(source, problems)
        for tag, count in sorted(removed_elements(body).items()):
            times = f" ({count} times)" if count > 1 else ""
            self.report.note(
                source.origin,
                f"the sanitizer removes <{tag}>{times} from the body: HTML the site does not "
                "show (embeds, media, scripts); link to it or describe it instead",
            )
        if image is not None and image.path is not None and not fields["featured_image_alt"]:
            self.report.note(
                source.origin, "the featured image has no alt text: describe it in the admin"
            )
        return Plan(source, slug, fields, tags, author, problems)

    def slug_of(self, source, title, problems):
        given = str(source.slug or "").strip()
        if given:
            slug = make_slug(given, 200)
            if slug != given:
                self.report.note(source.origin, f"slug {given!r} stored as {slug!r}")
        else:
            slug = make_slug(title)
            if title and title.isascii() is False and not slugify(title):
                self.report.note(
                    source.origin, f"the title has no Latin letters: slug {slug!r} transliterated"
                )
        if not slug and title:
            problems.append(
                f"no slug can be made from the title {title!r}: give a 'slug' of lowercase "
                "letters, digits and hyphens"
            )
        return slug

    def fitted(self, source, name, value):
        """Text for a CharField, shortened at a word with a note when the source's is longer."""
        value = " ".join(str(value or "").split())
        limit = Post._meta.get_field(name).max_length
        if len(value) <= limit:
            return value
        short = value[: limit - 1].rsplit(" ", 1)[0] + "…"
        self.report.note(
            source.origin, f"'{name}' shortened from {len(value)} to {len(short)} characters"
        )
        return short

    def refuse_clashes(self, plans):
        """Two files for one slug would overwrite each other: neither is imported."""
        by_slug = defaultdict(list)
        for plan in plans:
            if plan.slug:
                by_slug[plan.slug].append(plan)
        for slug, same in by_slug.items():
            if len(same) < 2:
                continue
            for plan in same:
                others = ", ".join(p.source.origin for p in same if p is not plan)
                plan.problems.append(
                    f"slug '{slug}' is also used by {others}: give one of them another 'slug'"
                )

    # --- authors and tags ----------------------------------------------------------------

    def author_for(self, source, problems):
        named = source.author
        if named is None or not (named.name or named.email or named.slug):
            if not self.default_author_name:
                only = list(Author.objects.order_by("pk")[:2])
                if len(only) == 1:
                    return only[0]
                problems.append(
                    "the post names no author and no default was given: add "
                    "--author 'Your Name' (created if the site has no such author)"
                )
                return None
            return self.find_author(name=self.default_author_name, slug=self.default_author_name)
        return self.find_author(named.name, named.email, named.slug, named)

    def find_author(self, name="", email="", slug="", described=None):
        key = (email.lower(), slug, name.lower())
        if key in self.authors:
            return self.authors[key]
        found = None
        if email:
            found = Author.objects.filter(user__email__iexact=email).first()
        if found is None and slug:
            found = Author.objects.filter(slug=slug).first()
        if found is None and name:
            found = Author.objects.filter(Q(name__iexact=name) | Q(slug=make_slug(name))).first()
        if found is None and name:
            # Made earlier in this run under another slug (Ghost's "alex", then --author
            # "Alex Navarro" for the posts that name nobody): the same person, not a second one.
            found = next(
                (a for a in self.new_authors.values() if a.name.lower() == name.lower()), None
            )
        if found is None:
            new_slug = make_slug(slug or name or email.split("@")[0], 120) or "author"
            found = self.new_authors.get(new_slug)
            if found is None:
                found = Author(
                    name=(name or slug or email.split("@")[0])[:120],
                    slug=new_slug,
                    bio=described.bio if described else "",
                    website=described.website if described else "",
                )
                self.new_authors[new_slug] = found
        self.authors[key] = found
        return found

    def saved_author(self, author):
        if author.pk is None:
            author.bio_html = render_markdown(author.bio)
            Author.objects.bulk_create([author])
        return author

    def tags_for(self, pairs):
        """Tags by name as written, else by slug (a name differing only in case or
        punctuation is the same tag, the name kept as first written); new ones created.

        The exact name first: a site with both "Go" and "GO" keeps each post's own.
        """
        found = {}
        slugs = [slug for slug, _ in pairs if slug not in self.tags]
        names = [name for _, name in pairs if ("name", name) not in self.tags]
        if slugs or names:
            for tag in Tag.objects.filter(Q(slug__in=slugs) | Q(name__in=names)):
                self.tags[tag.slug] = self.tags["name", tag.name] = tag
        for slug, name in pairs:
            tag = self.tags.get(("name", name)) or self.tags.get(slug)
            if tag is None:
                tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                tag = Tag(name=name, slug=slug)
                if not self.dry_run:
                    Tag.objects.bulk_create([tag])
                    self.changed_other.add(Tag)
            self.tags.setdefault(slug, tag)
            self.tags["name", name] = tag
            found.setdefault(tag.pk or id(tag), tag)  # two names for one tag: tagged once
        return list(found.values())

    # --- images --------------------------------------------------------------------------

    def store_image(self, origin, path, folder, what, keep_name=""):
        """The stored copy of an image file, validated and re-encoded as admin uploads are.

        Named after the source file's bytes, so importing it again finds it without
        re-encoding it, and two posts with one image share one file. A file that is
        missing or not an acceptable image is a note; the post imports without it.
        ``keep_name`` (the site's own archive): stored under that name, byte for byte.
        """
        try:
            size = path.stat().st_size
            if not path.is_file():
                raise OSError("not a file")
        except OSError:
            self.report.note(origin, f"{what} not found: {path}")
            self.report.count("images not found")
            return None
        if size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
            self.report.note(origin, f"{what} {path} left out: {too_big_message(size)}")
            return None
        data = path.read_bytes()
        if keep_name:
            return self.keep_image(origin, data, keep_name, folder, what)
        digest = hashlib.sha256(data).hexdigest()[:32]
        if (folder, digest) in self.images:
            return self.images[folder, digest]
        stored = self.find_stored(folder, digest)
        if stored is None:
            upload = ContentFile(data, name=path.name)
            try:
                cleaned = clean(upload)
            except ValidationError as error:
                self.report.note(origin, f"{what} {path} left out: {' '.join(error.messages)}")
                return None
            name = f"{folder}{digest}.{ALLOWED_FORMATS[cleaned.format][0]}"
            stored = Stored(name, cleaned.width, cleaned.height)
            if not self.dry_run and not default_storage.exists(name):
                default_storage.save(name, ContentFile(cleaned.data))
            self.report.count("images to store" if self.dry_run else "images stored")
        self.images[folder, digest] = stored
        return stored

    def keep_image(self, origin, data, name, folder, what):
        """An image of the site's own archive, under the name the site gave it."""
        if (folder, name) in self.images:
            return self.images[folder, name]
        body = folder == settings.MARKDOWNX_MEDIA_PATH
        try:
            # A body may show any of the site's files (another post's image): any folder.
            cleaned = keep_file(name, data, "" if body else folder, dry_run=self.dry_run)
        except ValidationError as error:
            self.report.note(origin, f"{what} {name} left out: {' '.join(error.messages)}")
            return None
        stored = Stored(name, cleaned.width, cleaned.height)
        if body:
            # Editor uploads were restored with the site (transfer.site_data), renditions
            # and all; a file the site never listed as one stays a plain image, as it was.
            row = BodyImage.objects.filter(name=name).values_list("renditions", flat=True)
            stored.renditions = row.first() or {}
        self.images[folder, name] = stored
        return stored

    def find_stored(self, folder, digest):
        prefix = f"{folder}{digest}."
        if folder == settings.MARKDOWNX_MEDIA_PATH:
            row = BodyImage.objects.filter(name__startswith=prefix).values_list(
                "name", "renditions"
            )
            found = row.first()
            return Stored(found[0], renditions=found[1]) if found else None
        post = (
            Post.objects.filter(featured_image__startswith=prefix)
            .values_list(
                "featured_image",
                "featured_image_width",
                "featured_image_height",
                "featured_image_renditions",
            )
            .first()
        )
        return Stored(*post) if post else None

    def body_with_assets(self, source, body):
        """The body with each image it refers to pointing at its stored copy."""
        for address, path in sorted(source.assets.items()):
            stored = self.store_image(
                source.origin,
                path,
                settings.MARKDOWNX_MEDIA_PATH,
                "body image",
                keep_name=source.asset_names.get(address, ""),
            )
            if stored is None:
                continue
            if stored.renditions is None and not self.dry_run:
                stored.renditions = make_renditions(stored.name)
                # bulk_create: no save signal, so no page-cache bump per image (announce()).
                BodyImage.objects.bulk_create(
                    [BodyImage(name=stored.name, renditions=stored.renditions)],
                    ignore_conflicts=True,
                )
                self.changed_other.add(BodyImage)
            url = default_storage.url(stored.name).replace("\\", "\\\\")
            if url == address:
                continue
            # Only where an address is written: ](x), ](x "title"), src="x", <x>; not prose.
            body = re.sub(rf"""(?<=[("'<=]){re.escape(address)}(?=[)"'>\s])""", url, body)
        return body

    # --- writing -------------------------------------------------------------------------

    def write_one(self, plan):
        """Write one post in its own transaction; returns its id, or None if it failed."""
        source = plan.source
        # What this run remembers, restored if the transaction rolls back.
        saved_authors = [author for author in self.new_authors.values() if author.pk]
        remembered = (dict(self.tags), dict(self.images), dict(self.redirects),
                      list(self.changed_posts), set(self.changed_other), saved_authors)  # fmt: skip
        try:
            with transaction.atomic():
                return self.write(plan)
        except Exception as error:  # one post's failure must not stop the others
            (self.tags, self.images, self.redirects, self.changed_posts, self.changed_other,
             saved) = remembered  # fmt: skip
            for author in self.new_authors.values():
                if author not in saved:
                    author.pk, author._state.adding = None, True
            self.report.problem(source.origin, f"not imported: {error}")
            return None

    def write(self, plan):
        source = plan.source
        fields = dict(plan.fields)
        existing = self.existing.get(plan.slug)
        author = plan.author
        fields["author"] = author
        fields["body"] = self.body_with_assets(source, fields["body"])
        image = self.featured(source, source.image, existing)
        if image is not None:
            fields["featured_image"] = image.name
            fields["featured_image_width"] = image.width
            fields["featured_image_height"] = image.height
        elif source.image is None:
            fields.update(featured_image="", featured_image_width=None,
                          featured_image_height=None, featured_image_alt="",
                          featured_image_caption="", featured_image_credit="")  # fmt: skip
        else:  # given but not found: the image already stored stays
            for name in ["featured_image_alt", "featured_image_caption", "featured_image_credit"]:
                fields.pop(name, None)
        if fields["published_at"] is None:
            if existing is not None:
                fields["published_at"] = existing.published_at
            elif fields["status"] == Post.Status.PUBLISHED:
                fields["published_at"] = timezone.now()
                self.report.note(source.origin, "no date: published now")
        tags = self.tags_for(plan.tags)
        faq = [(q.strip(), a.strip()) for q, a in source.faq]

        if existing is not None and self.unchanged(existing, fields, tags, faq):
            outcome = "unchanged"
            post = existing
        else:
            outcome = "updated" if existing is not None else "created"
            post = None if self.dry_run else self.save_post(existing, fields, tags, faq, image)
        known = post or existing  # a dry run writes no new post
        self.redirects_for(source, plan.slug, known.pk if known is not None else None)
        getattr(self.report, outcome).append(source.origin)
        return post.pk if post is not None else 0

    def featured(self, source, image: SourceImage | None, existing):
        if image is None or image.path is None:
            if image is not None and image.url:
                self.report.note(source.origin, f"featured image not found: {image.url}")
            return None
        stored = self.store_image(
            source.origin, image.path, "post/", "featured image", keep_name=image.name
        )
        if stored is None:
            return None
        if stored.renditions is None:
            same = existing is not None and existing.featured_image.name == stored.name
            stored.renditions = (
                existing.featured_image_renditions
                if same
                else {}
                if self.dry_run
                else make_renditions(stored.name)
            )
        if stored.width is None and stored.renditions:
            stored.width, stored.height = stored.renditions["width"], stored.renditions["height"]
        return stored

    @staticmethod
    def unchanged(post, fields, tags, faq):
        for name, value in fields.items():
            if name == "author":
                if value.pk is None or post.author_id != value.pk:
                    return False
                continue
            current = getattr(post, name)
            if name == "featured_image":
                if current.name != value:
                    return False
            elif current != value:
                return False
        if {tag.pk for tag in tags} != {tag.pk for tag in post.tags.all()}:  # prefetched
            return False
        items = sorted(post.faq_items.all(), key=lambda item: (item.position, item.pk))
        return faq == [(item.question, item.answer) for item in items]

    def save_post(self, existing, fields, tags, faq, image):
        fields["author"] = self.saved_author(fields["author"])
        faq_html = [(question, render_markdown(answer)) for question, answer in faq]
        post = existing or Post()
        for name, value in fields.items():
            setattr(post, name, value)
        if image is not None:
            post.featured_image_renditions = image.renditions or {}
        elif not post.featured_image:
            post.featured_image_renditions = {}
        derived = derivation.apply(post, faq=faq_html)
        if existing is None:
            Post.objects.bulk_create([post])  # sets created_at and updated_at
            if "updated_at" in fields:  # auto_now has just set it to now
                Post.objects.filter(pk=post.pk).update(updated_at=fields["updated_at"])
        else:
            post.updated_at = fields.get("updated_at") or timezone.now()
            values = {**fields, **derived.fields(), "updated_at": post.updated_at}
            values["featured_image_renditions"] = post.featured_image_renditions
            Post.objects.filter(pk=post.pk).update(**values)
            Post.tags.through.objects.filter(post=post.pk).delete()
            post.faq_items.all().delete()
        Post.tags.through.objects.bulk_create(
            Post.tags.through(post_id=post.pk, tag_id=tag.pk) for tag in tags
        )
        FAQItem.objects.bulk_create(
            FAQItem(post=post, question=q, answer=a, answer_html=html, position=i)
            for i, ((q, a), (_, html)) in enumerate(zip(faq, faq_html, strict=True))
        )
        self.changed_posts.append(post.pk)
        return post

    # --- old addresses -------------------------------------------------------------------

    def redirects_for(self, source, slug, post_id):
        """Old addresses redirect to the post; a redirect made by hand elsewhere is kept.

        ``post_id`` is None in a dry run for a post not yet written."""
        address = Post(slug=slug).get_absolute_url()
        for old in dict.fromkeys(source.old_urls):
            path = old_path(old)
            if not path or path == address:
                continue
            current = self.redirects.get(path)
            if current is None:
                if not self.dry_run:
                    Redirect.objects.bulk_create(
                        [Redirect(site=self.site, old_path=path, new_path=address)]
                    )
                    self.changed_other.add(Redirect)
                self.redirects[path] = address
                self.report.count("redirects to create" if self.dry_run else "redirects created")
            elif current != address:
                self.report.note(
                    source.origin,
                    f"old address {path} kept redirecting to {current or '(gone)'}: "
                    f"a redirect made by hand; change it in the admin to point at {address}",
                )
        for old in dict.fromkeys(source.old_slugs):
            if old == slug or not old:
                continue
            taken = OldSlug.objects.filter(content_type=self.post_type, slug=old).first()
            if taken is None:
                if Post.objects.filter(slug=old).exists():
                    self.report.note(source.origin, f"old slug {old!r} is another post's slug")
                    continue
                if not self.dry_run:
                    OldSlug.objects.bulk_create(
                        [OldSlug(content_type=self.post_type, object_id=post_id, slug=old)]
                    )
                    self.changed_other.add(OldSlug)
            elif post_id is not None and taken.object_id != post_id:
                self.report.note(source.origin, f"old slug {old!r} already leads to another post")

    def write_keep_reading(self, written):
        """Curated keep-reading links, once every post of the import exists."""
        for plan, post_id in written.values():
            slugs = [s for s in dict.fromkeys(plan.source.keep_reading) if s != plan.slug]
            if not slugs or not post_id:
                continue
            targets = Post.objects.in_bulk(slugs, field_name="slug")
            missing = [s for s in slugs if s not in targets]
            if missing:
                self.report.note(
                    plan.source.origin, f"keep_reading names unknown post(s): {', '.join(missing)}"
                )
            current = list(
                KeepReading.objects.filter(post=post_id, suggested=False)
                .order_by("position")
                .values_list("target__slug", flat=True)
            )
            wanted = [s for s in slugs if s in targets]
            if current == wanted or self.dry_run:
                continue
            with transaction.atomic():
                KeepReading.objects.filter(post=post_id).delete()
                KeepReading.objects.bulk_create(
                    KeepReading(post_id=post_id, target=targets[s], position=i)
                    for i, s in enumerate(wanted)
                )
            if post_id not in self.changed_posts:
                self.changed_posts.append(post_id)


def keep_file(name, data, folder="", dry_run=False):
    """Store ``data`` as media file ``name``, byte for byte, after the checks uploads get.

    For the site's own archive, whose images were re-encoded when first uploaded: storing
    them again as they are keeps every name, address and rendition of the site. The name
    must be a plain relative path in ``folder`` whose extension matches the bytes. Returns
    the CleanImage (format and size); raises ValidationError. A stored file of that name
    with other bytes is kept (it is the site's, not the archive's).
    """
    parts = name.split("/")
    if (
        not name.startswith(folder)
        or name.startswith("/")
        or any(part in {"", ".", ".."} for part in parts)
        or "\\" in name
    ):
        raise ValidationError(f"not a media file name this site makes: {name!r}")
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            same = handle.read() == data
        if same:  # imported before: the site's own file, checked then
            with Image.open(io.BytesIO(data)) as image:
                return CleanImage(image.format, image.width, image.height, 1, b"")
    upload = ContentFile(data, name=parts[-1])
    cleaned = clean(upload)
    if name.rsplit(".", 1)[-1].lower() not in {ALLOWED_FORMATS[cleaned.format][0], "jpeg"}:
        raise ValidationError(f"{name}: the file is a {cleaned.format} image")
    if not dry_run and not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(data))
        if saved != name:  # the storage chose another name: not the site's file
            default_storage.delete(saved)
            raise ValidationError(f"{name}: media storage would not keep this name")
    return cleaned


def old_path(address):
    """The path part of an old address (``https://old.example/2014/x.html`` → ``/2014/x.html``)."""
    address = str(address).strip()
    address = re.sub(r"^[a-z]+://[^/]+", "", address)
    address = address.split("#", 1)[0]
    if not address:
        return ""
    return address if address.startswith("/") else f"/{address}"
