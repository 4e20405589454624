"""Posts and authors as Markdown files with YAML front matter: reading, writing, importing.

The same format goes both ways, so ``import_markdown`` after ``export_markdown``
gives back the same site. One file is one post or one author; an author file has
``name`` and no ``title``.
"""

import datetime
import io
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from core.images.uploads import ALLOWED_FORMATS, too_big_message, validate_image

from ..models import Author, AuthorLink, FAQItem, KeepReading, Post, Tag

POST_KEYS = {
    "title", "slug", "date", "description", "meta_description", "canonical_url", "author",
    "tags", "keep_reading", "faq", "draft", "image", "image_alt", "toc",
}  # fmt: skip
AUTHOR_KEYS = {"name", "slug", "role", "website", "links", "avatar"}
# Keys other platforms use, and the key of this format that says the same.
KEY_MAPPINGS = {
    "categories": "tags", "category": "tags", "tag": "tags", "keywords": "tags",
    "excerpt": "description", "summary": "description", "subtitle": "description",
    "published": "draft (draft: true for published: false)", "publishdate": "date",
    "pubdate": "date", "cover": "image", "featured_image": "image", "images": "image",
    "thumbnail": "image", "image_alt_text": "image_alt", "authors": "author",
    "canonical": "canonical_url", "canonicalurl": "canonical_url",
    "showtoc": "toc", "seo_description": "meta_description",
}  # fmt: skip
# Keys that name an old address or belong to the old platform's layout: `manage.py import`
# reads the platform's own folder and turns them into redirects, or leaves them out.
PLATFORM_KEYS = {"layout", "permalink", "redirect_from", "url", "aliases", "lastmod"}
MAX_FILE_BYTES = 2 * 1024 * 1024


class FileError(Exception):
    """A problem with one file, told the way its author can fix it."""

    def __init__(self, message, line=None):
        super().__init__(message)
        self.line = line


@dataclass
class SourceFile:
    path: Path
    meta: dict
    body: str
    body_line: int  # where the Markdown body starts, for messages

    @property
    def is_author(self):
        return "name" in self.meta and "title" not in self.meta

    @property
    def slug(self):
        """The slug given, or one made from the title or name."""
        given = self.meta.get("slug")
        if isinstance(given, str) and given:
            return given
        # Transliterated: a title in Japanese or Arabic has letters, just not Latin ones.
        return slugify(anyascii(str(self.meta.get("name" if self.is_author else "title") or "")))


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text, so a bad date is reported against its key."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_source(path):
    """Parse one file into front matter and body, or raise FileError."""
    too_big = FileError(f"file is larger than {MAX_FILE_BYTES // 1_048_576} MB")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise too_big
    if not path.is_file():  # a device or pipe named *.md could be read forever
        raise FileError("not a regular file")
    with path.open("rb") as handle:
        # One byte more than the limit: a file that grew since stat() is refused too.
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise too_big
    if b"\0" in raw:
        raise FileError("not a text file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileError(f"not UTF-8 text (byte {error.start})") from error
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise FileError("no front matter: the file must start with a line of ---", line=1)
    try:
        end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == "---")
    except StopIteration:
        raise FileError("front matter is not closed by a line of ---", line=1) from None
    try:
        # _FrontMatterLoader is a yaml.SafeLoader: plain data only, no Python objects.
        meta = yaml.load("".join(lines[1:end]), Loader=_FrontMatterLoader)  # nosec B506
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise FileError(f"invalid YAML: {problem}", line=mark.line + 2 if mark else None) from None
    except ValueError as error:  # a value YAML recognises but cannot build, e.g. 2026-13-45
        raise FileError(f"invalid value in front matter: {error}") from None
    if not isinstance(meta, dict):
        raise FileError("front matter must be a mapping of keys to values", line=2)
    return SourceFile(path, meta, "".join(lines[end + 1 :]).strip("\n"), end + 2)


def _require_text(meta, key, required=True):
    value = meta.get(key)
    if value is None or value == "":
        if required:
            raise FileError(f"'{key}' is required")
        return ""
    if not isinstance(value, str | int | float):
        raise FileError(f"'{key}' must be text")
    return str(value).strip()


def _string_list(meta, key):
    value = meta.get(key) or []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FileError(f"'{key}' must be a list of names")
    return value


def _parse_date(value):
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, datetime.time())
    elif isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            raise FileError(
                f"'date' is not a date: {value!r} (use 2026-04-24 or 2026-04-24T09:00:00Z)"
            ) from None
    else:
        raise FileError("'date' must be a date like 2026-04-24")
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


FIELD_LABELS = {"body": "the body", "bio": "the bio", "featured_image_alt": "'image_alt'"}


def _check_fields(model, values):
    """The model's own rules for these values (lengths, URLs, limits) as a FileError.

    Checked before anything is written: SQLite would store a too-long title, PostgreSQL
    would fail the whole import on it.
    """
    for name, value in values.items():
        try:
            model._meta.get_field(name).run_validators(value)
        except ValidationError as error:
            label = FIELD_LABELS.get(name, f"'{name}'")
            raise FileError(f"{label}: {' '.join(error.messages)}") from None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    failed: list = field(default_factory=list)  # (path, message)


class _DryRun(Exception):
    """Raised to roll back a trial save."""


class Importer:
    """Imports files; each file in its own transaction, a bad one changes nothing.

    Posts are first saved on trial and rolled back, until the set of files that
    import cleanly stops shrinking: a post whose keep-reading target fails in
    this import fails too, before anything is written. Only then are the good
    files saved for real, and their keep-reading links added once every post exists.
    """

    def __init__(self):
        self.result = ImportResult()
        self.dry_run = False

    def fail(self, path, error):
        where = f"{path}:{error.line}" if getattr(error, "line", None) else str(path)
        self.result.failed.append((where, str(error)))

    def run(self, paths):
        sources = []
        for path in self.expand(paths):
            try:
                source = read_source(path)
                self.check_keys(source)
                sources.append(source)
            except (FileError, OSError) as error:
                self.fail(path, error)

        sources = self.without_duplicate_slugs(sources)
        for source in [s for s in sources if s.is_author]:
            self.import_one(source, self.save_author)

        posts = self.posts_that_import([s for s in sources if not s.is_author])
        incoming = {source.slug for source in posts}
        for source in posts:
            self.import_one(source, self.save_post, incoming)
        for source in posts:
            self.import_one(source, self.save_keep_reading, count=False)
        return self.result

    def without_duplicate_slugs(self, sources):
        """Sources whose slug no other file in this import uses; the others are reported.

        Two files for one post would silently overwrite each other in file order; which
        one should win is the author's call, so neither is imported.
        """
        paths_by_slug = defaultdict(list)
        for source in sources:
            paths_by_slug[source.is_author, source.slug].append(source.path)
        unique = []
        for source in sources:
            others = [p for p in paths_by_slug[source.is_author, source.slug] if p != source.path]
            if others:
                names = ", ".join(str(p) for p in others)
                self.fail(source.path, FileError(f"slug '{source.slug}' is also used by {names}"))
            else:
                unique.append(source)
        return unique

    def posts_that_import(self, posts):
        self.dry_run = True
        try:
            while True:
                incoming = {source.slug for source in posts}
                good = [
                    s for s in posts if self.import_one(s, self.save_post, incoming, count=False)
                ]
                if len(good) == len(posts):
                    return good
                posts = good
        finally:
            self.dry_run = False

    @staticmethod
    def expand(paths):
        for path in map(Path, paths):
            if path.is_dir():
                yield from sorted(p for p in path.rglob("*.md") if p.is_file())
            else:
                yield path

    @staticmethod
    def check_keys(source):
        allowed = AUTHOR_KEYS if source.is_author else POST_KEYS
        unknown = sorted(set(source.meta) - allowed)
        if unknown:
            hints = [
                f"{key} → {KEY_MAPPINGS[key.lower()]}"
                for key in unknown
                if key.lower() in KEY_MAPPINGS and not source.is_author
            ]
            lowered = [key for key in unknown if key.lower() in allowed]
            hints += [f"{key} → {key.lower()}" for key in lowered]
            message = f"unknown key(s): {', '.join(unknown)}"
            if hints:
                message += f"; rename {', '.join(hints)}"
            if any(key.lower() in PLATFORM_KEYS for key in unknown):
                message += (
                    "; a Jekyll or Hugo site imports with `manage.py import FOLDER`, which "
                    "reads these keys"
                )
            raise FileError(f"{message}; allowed: {', '.join(sorted(allowed))}")
        slug = source.meta.get("slug")
        if slug is not None and (not isinstance(slug, str) or slugify(slug) != slug):
            raise FileError(f"'slug' must be lowercase letters, digits and hyphens, got {slug!r}")
        if not source.slug:
            raise FileError("'slug' is required when the title or name has no letters or digits")

    def import_one(self, source, save, *args, count=True):
        try:
            with transaction.atomic():
                created = save(source, *args)
                if self.dry_run:
                    raise _DryRun
        except _DryRun:
            return True
        except FileError as error:
            self.fail(source.path, error)
            return False
        if count:
            if created:
                self.result.created += 1
            else:
                self.result.updated += 1
        return True

    def save_author(self, source):
        meta = source.meta
        links = meta.get("links") or []
        if not isinstance(links, list) or not all(
            isinstance(link, dict) and {"label", "url"} <= set(link) for link in links
        ):
            raise FileError("'links' must be a list of {label: ..., url: ...}")
        defaults = {
            "name": _require_text(meta, "name"),
            "role": _require_text(meta, "role", required=False),
            "website": _require_text(meta, "website", required=False),
            "bio": source.body,
        }
        _check_fields(Author, {**defaults, "slug": source.slug})
        for link in links:
            _check_fields(AuthorLink, {"label": str(link["label"]), "url": str(link["url"])})
        author, created = Author.objects.update_or_create(slug=source.slug, defaults=defaults)
        self.attach_image(author, "avatar", source, meta.get("avatar"))
        author.links.all().delete()
        AuthorLink.objects.bulk_create(
            AuthorLink(author=author, label=str(link["label"]), url=str(link["url"]), position=i)
            for i, link in enumerate(links)
        )
        return created

    def save_post(self, source, incoming_slugs):
        meta = source.meta
        title = _require_text(meta, "title")
        if not source.body.strip():
            raise FileError("the post has no body", line=source.body_line)
        author_slug = _require_text(meta, "author")
        author = Author.objects.filter(slug=author_slug).first()
        if author is None:
            raise FileError(f"unknown author '{author_slug}': import or create the author first")
        wanted = set(_string_list(meta, "keep_reading")) - incoming_slugs
        missing = wanted - set(Post.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        if missing:
            raise FileError(f"keep_reading names unknown post(s): {', '.join(sorted(missing))}")
        draft = meta.get("draft", False)
        if not isinstance(draft, bool):
            raise FileError("'draft' must be true or false")
        toc = meta.get("toc", False)
        if not isinstance(toc, bool):
            raise FileError("'toc' must be true or false")
        faq = meta.get("faq") or []
        if not isinstance(faq, list) or not all(
            isinstance(item, dict) and set(item) == {"q", "a"} for item in faq
        ):
            raise FileError("'faq' must be a list of {q: question, a: answer}")
        image_alt = _require_text(meta, "image_alt", required=bool(meta.get("image")))
        date = meta.get("date")
        defaults = {
            "title": title,
            "description": _require_text(meta, "description", required=False),
            "meta_description": _require_text(meta, "meta_description", required=False),
            "canonical_url": _require_text(meta, "canonical_url", required=False),
            "body": source.body,
            "author": author,
            "status": Post.Status.DRAFT if draft else Post.Status.PUBLISHED,
            "published_at": _parse_date(date) if date is not None else None,
            "featured_image_alt": image_alt,
            "show_toc": toc,
        }
        _check_fields(Post, {**defaults, "slug": source.slug})
        for item in faq:
            _check_fields(FAQItem, {"question": str(item["q"]), "answer": str(item["a"])})
        post, created = Post.objects.update_or_create(slug=source.slug, defaults=defaults)
        self.attach_image(post, "featured_image", source, meta.get("image"))
        post.tags.set(self.tags_named(_string_list(meta, "tags")))
        post.faq_items.all().delete()
        for position, item in enumerate(faq):
            post.faq_items.create(
                question=str(item["q"]).strip(), answer=str(item["a"]).strip(), position=position
            )
        return created

    def save_keep_reading(self, source):
        post = Post.objects.get(slug=source.slug)
        slugs = list(dict.fromkeys(_string_list(source.meta, "keep_reading")))
        targets = Post.objects.in_bulk(slugs, field_name="slug")
        post.keep_reading_links.curated().delete()
        KeepReading.objects.bulk_create(
            KeepReading(post=post, target=targets[slug], position=i)
            for i, slug in enumerate(slugs)
            if slug != post.slug
        )
        return False

    @staticmethod
    def tags_named(names):
        """Tags by name; names that differ only in case or punctuation are one tag."""
        tags = []
        for name in names:
            name = name.strip()
            slug = slugify(name)
            if not slug:
                raise FileError(f"tag {name!r} needs at least one letter or digit")
            _check_fields(Tag, {"name": name, "slug": slug})
            tag = Tag.objects.filter(Q(name__iexact=name) | Q(slug=slug)).first()
            tags.append(tag or Tag.objects.create(name=name, slug=slug))
        return tags

    def attach_image(self, instance, field_name, source, relative):
        """Copy an image named in the front matter into media; no name clears the image.

        The path is relative to the Markdown file and must stay inside its folder.
        An image with the same bytes as the stored one is kept as it is.
        """
        current = getattr(instance, field_name)
        if not relative:
            if current:
                setattr(instance, field_name, "")
                instance.save()
            return
        folder = source.path.parent.resolve()
        image_path = (folder / str(relative)).resolve()
        if not image_path.is_relative_to(folder):
            raise FileError(f"image {relative}: must be inside the folder of the Markdown file")
        if not image_path.is_file():
            raise FileError(f"image not found: {relative}")
        size = image_path.stat().st_size
        if size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:  # refused before reading it
            raise FileError(f"image {relative}: {too_big_message(size)}")
        new_bytes = image_path.read_bytes()
        if current and _stored_bytes(current) == new_bytes:
            return
        image_file = File(io.BytesIO(new_bytes), name=image_path.name)
        image_file.size = len(new_bytes)
        try:
            image_format = validate_image(image_file)
        except ValidationError as error:
            raise FileError(f"image {relative}: {' '.join(error.messages)}") from None
        # Stored as the file is (an export must import back byte for byte), but named after
        # what the bytes are: a PNG called cover.html is stored and served as a .png.
        image_file.name = f"{image_path.stem}.{ALLOWED_FORMATS[image_format][0]}"
        if self.dry_run:
            return  # nothing written to media for a trial run
        current.save(image_file.name, image_file, save=False)
        instance.save()


def _stored_bytes(fieldfile):
    try:
        with fieldfile.open("rb") as handle:
            return handle.read()
    except OSError:
        return None


def export_site(directory):
    """Write every author and post into ``directory`` in the import format."""
    directory = Path(directory)
    counts = {"authors": 0, "posts": 0}
    for author in Author.objects.prefetch_related("links"):
        meta = {"name": author.name, "slug": author.slug}
        if author.role:
            meta["role"] = author.role
        if author.website:
            meta["website"] = author.website
        links = [{"label": link.label, "url": link.url} for link in author.links.all()]
        if links:
            meta["links"] = links
        if author.avatar:
            meta["avatar"] = _export_image(author.avatar, directory / "authors", author.slug)
        _write(directory / "authors" / f"{author.slug}.md", meta, author.bio)
        counts["authors"] += 1
    posts = Post.objects.select_related("author").prefetch_related(
        "tags", "faq_items", "keep_reading_links__target"
    )
    for post in posts:
        meta = {"title": post.title, "slug": post.slug}
        if post.published_at:
            meta["date"] = post.published_at.isoformat()
        meta["description"] = post.description
        for optional in ["meta_description", "canonical_url"]:
            if getattr(post, optional):
                meta[optional] = getattr(post, optional)
        meta["author"] = post.author.slug
        meta["tags"] = [tag.name for tag in post.tags.all()]
        meta["keep_reading"] = [
            link.target.slug for link in post.keep_reading_links.all() if not link.suggested
        ]
        meta["faq"] = [{"q": item.question, "a": item.answer} for item in post.faq_items.all()]
        if post.status == Post.Status.DRAFT:
            meta["draft"] = True
        if post.show_toc:
            meta["toc"] = True
        if post.featured_image:
            meta["image"] = _export_image(post.featured_image, directory / "posts", post.slug)
            meta["image_alt"] = post.featured_image_alt
        _write(directory / "posts" / f"{post.slug}.md", meta, post.body)
        counts["posts"] += 1
    return counts


def _export_image(fieldfile, folder, stem):
    # Named after its post or author, not its random stored name, so exporting
    # the same content twice writes the same files.
    target = folder / "images" / f"{stem}{Path(fieldfile.name).suffix}"
    target.parent.mkdir(parents=True, exist_ok=True)
    with fieldfile.open("rb") as source, target.open("wb") as destination:
        shutil.copyfileobj(source, destination)
    return f"images/{target.name}"


class _BlockStyleDumper(yaml.SafeDumper):
    pass


def _represent_str(dumper, value):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockStyleDumper.add_representer(str, _represent_str)


def _write(path, meta, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    front = yaml.dump(
        meta, Dumper=_BlockStyleDumper, sort_keys=False, allow_unicode=True, width=100
    )
    # Only blank lines are trimmed: leading spaces may start a code block.
    path.write_text(f"---\n{front}---\n\n{body.strip(chr(10))}\n", encoding="utf-8")
