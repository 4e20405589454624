"""The site's archive: everything an author made, in one folder or ``.zip``, and back.

``manage.py export DEST`` writes it (``export``); ``manage.py import ARCHIVE`` reads it
(``ArchiveReader``, the first of ``transfer.readers.READERS``, recognised by its manifest).
Importing an archive into an empty site reproduces the site: the same posts, addresses,
images (under the names they had) and pages, byte for byte.

Layout (docs/import-export.md, "Taking your site with you")::

    manifest.json       {"format": "site-archive", "version": 1, "posts": [...], "counts": {...}}
    site.yaml           settings, navigation, authors, tags, books, praise, redirects, uploads
    posts/<slug>.md     one post: YAML front matter and its Markdown body
    media/<name>        every uploaded file, under its name in media storage

Dates are written with the offset of the site's ``TIME_ZONE`` (the database keeps the
moment, not the offset it was typed with). The output is deterministic: sorted, with
fixed key order, and a zip's entries carry a fixed timestamp, so two exports of the same
site are byte-identical.
"""

import json
import re
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import yaml
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from blog.models import OldSlug, Post

from . import assets, frontmatter, site_data
from .frontmatter import SourceError
from .sources import Report, SourceAuthor, SourceImage, SourcePost

FORMAT = "site-archive"
VERSION = 1
MANIFEST = "manifest.json"
SITE_FILE = "site.yaml"
MEDIA = "media"
# 1980-01-01, the earliest moment a zip entry can carry: every export the same.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
MAX_ARCHIVE_FILES = 100_000
SLUG = re.compile(r"[-a-zA-Z0-9_]+")  # a post's file name: never a path


# --- writing -------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so bios and answers read as they were written."""


# Line breaks YAML would turn into plain ones in a block: such text is written quoted.
_UNUSUAL_BREAKS = set("\r\x85\u2028\u2029")


def _represent_str(dumper, value):
    if _UNUSUAL_BREAKS & set(value) or any(line.strip() == "---" for line in value.split("\n")):
        # Escaped: \r, NEL and the Unicode separators survive as they are, and a line of
        # --- in an answer cannot be read as the end of the front matter.
        style = '"'
    else:
        style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data):
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def moment(value):
    """A stored moment as text, with the offset of the site's time zone; "" for none."""
    return timezone.localtime(value).isoformat() if value else ""


def media_prefix():
    """The address media storage gives a file, less the file's name (``/media/``)."""
    return default_storage.url("x")[:-1]


def body_images(body):
    """``{address: name in media storage}`` of the stored images a body shows."""
    prefix = media_prefix()
    found = {}
    for address in assets.image_addresses(body):
        if address.startswith(prefix):
            found[address] = unquote(address[len(prefix) :])
    return found


def post_entry(post):
    """One post as front matter and body, in the archive's own addresses."""
    body = post.body.strip("\n")  # as the front-matter parser reads it back; CRLF kept
    names = body_images(body)
    for address, name in sorted(names.items()):
        archived = f"/{MEDIA}/{name}"
        if address != archived:
            body = body.replace(address, archived)
    image = {}
    if post.featured_image:
        image = {
            "file": f"../{MEDIA}/{post.featured_image.name}",
            "alt": post.featured_image_alt,
            "caption": post.featured_image_caption,
            "credit": post.featured_image_credit,
        }
    meta = {
        "title": post.title,
        "slug": post.slug,
        "status": post.status,
        "date": moment(post.published_at),
        "updated": moment(post.updated_at),
        "author": post.author.slug,
        "description": post.description,
        "meta_description": post.meta_description,
        "canonical_url": post.canonical_url,
        "tags": [tag.name for tag in post.tags.all()],
        "toc": post.show_toc,
        "image": image,
        "faq": [{"q": item.question, "a": item.answer} for item in post.faq_items.all()],
        "keep_reading": [
            link.target.slug for link in post.keep_reading_links.all() if not link.suggested
        ],
        "old_slugs": sorted(old.slug for old in post.old_slug_rows),
    }
    files = set(names.values()) | ({post.featured_image.name} if post.featured_image else set())
    return f"---\n{dump_yaml(meta)}---\n\n{body}\n", files


def build():
    """Every file of the archive as ``{relative path: bytes or a media name}``, and counts."""
    posts = list(
        Post.objects.select_related("author")
        .prefetch_related("tags", "faq_items", "keep_reading_links__target")
        .order_by(F("published_at").asc(nulls_first=True), "pk")
    )
    old = {}
    for row in OldSlug.objects.filter(content_type=site_data.content_type(Post)).order_by("slug"):
        old.setdefault(row.object_id, []).append(row)
    files = {}
    media = set()
    for post in posts:
        post.old_slug_rows = old.get(post.pk, [])
        text, names = post_entry(post)
        files[f"posts/{post.slug}.md"] = text.encode()
        media |= names
    data, names = site_data.dump()
    media |= names
    files[SITE_FILE] = dump_yaml(data).encode()
    for name in sorted(media):
        files[f"{MEDIA}/{name}"] = name  # read from storage when written
    counts = {"posts": len(posts), "media files": len(media)}
    counts.update({key: len(value) for key, value in data.items() if isinstance(value, list)})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "posts": [post.slug for post in posts],  # in the order they were written
        "counts": dict(sorted(counts.items())),
    }
    files[MANIFEST] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    return files, counts


def export(dest):
    """Write the archive to ``dest``: a new or empty folder, or a path ending in ``.zip``.

    Returns ``(counts, missing)``: what was written, and media files the database names
    but storage does not have (left out, so the export still completes).
    """
    dest = Path(dest)
    with transaction.atomic():  # one consistent reading of the database
        files, counts = build()
    missing = []

    def content(value):
        if isinstance(value, bytes):
            return value
        try:
            with default_storage.open(value, "rb") as handle:
                return handle.read()
        except OSError:
            missing.append(value)
            return None

    if dest.suffix.lower() == ".zip":
        dest.parent.mkdir(parents=True, exist_ok=True)
        partial = dest.with_name(dest.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
            for path in sorted(files):
                data = content(files[path])
                if data is None:
                    continue
                info = zipfile.ZipInfo(path, date_time=ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data, compresslevel=6)
        partial.replace(dest)
    else:
        if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
            raise FileExistsError(f"{dest} is not empty; give a new or empty folder")
        for path in sorted(files):
            data = content(files[path])
            if data is None:
                continue
            target = dest / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    return counts, missing


# --- reading -------------------------------------------------------------------------------


def read_manifest(folder):
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return None
    return manifest


class ArchiveReader:
    """The site's own archive (``manage.py export``), recognised by its manifest."""

    name = "Archive"

    def __init__(self):
        self.opened = {}  # zip path -> TemporaryDirectory it was unpacked into

    def detect(self, path):
        path = Path(path)
        if path.is_file() and zipfile.is_zipfile(path):
            try:
                with zipfile.ZipFile(path) as archive:
                    manifest = json.loads(archive.read(MANIFEST))
            except (KeyError, ValueError, OSError, zipfile.BadZipFile):
                return False
            return isinstance(manifest, dict) and manifest.get("format") == FORMAT
        return path.is_dir() and read_manifest(path) is not None

    def folder(self, path):
        """The archive as a folder: a zip is unpacked once, safely, into a temporary one."""
        path = Path(path).resolve()
        if path.is_dir():
            return path
        if path not in self.opened:
            unpacked = tempfile.TemporaryDirectory(prefix="site-archive-")
            root = Path(unpacked.name)
            with zipfile.ZipFile(path) as archive:
                members = archive.infolist()
                if len(members) > MAX_ARCHIVE_FILES:
                    raise SourceError(f"more than {MAX_ARCHIVE_FILES:,} files in the archive")
                for member in members:
                    name = PurePosixPath(member.filename)
                    if member.is_dir():
                        continue
                    if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                        raise SourceError(f"unsafe name in the archive: {member.filename!r}")
                    target = root.joinpath(*name.parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.open(member) as source, target.open("wb") as out:
                        shutil.copyfileobj(source, out)
            self.opened[path] = unpacked
        return Path(self.opened[path].name)

    def origin(self, path, file):
        """How a file of the archive is named in the report: inside the zip, not a temp folder."""
        path = Path(path)
        if path.is_dir():
            return str(file)
        return f"{path}:{Path(file).relative_to(self.folder(path)).as_posix()}"

    def check_version(self, manifest, origin):
        if manifest.get("version") != VERSION:
            raise SourceError(
                f"{origin}: archive version {manifest.get('version')!r}; this site reads "
                f"version {VERSION}. Import it with the version of the site that wrote it."
            )

    def restore_site(self, path, report: Report, dry_run=False):
        """Authors, tags, books, praise, settings, redirects and uploads: before the posts."""
        folder = self.folder(path)
        manifest = read_manifest(folder)
        self.check_version(manifest, str(path))
        site_file = folder / SITE_FILE
        try:
            data = yaml.safe_load(site_file.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as error:
            report.problem(self.origin(path, site_file), f"not readable: {error}")
            return
        origin = self.origin(path, site_file)
        site_data.restore(data, folder / MEDIA, report, origin, dry_run=dry_run)

    def after_posts(self, path, report: Report, dry_run=False):
        """Links to posts, rendered again now that every post exists."""
        if not dry_run:
            site_data.render_links()

    def read(self, path, report: Report):
        folder = self.folder(path)
        manifest = read_manifest(folder)
        self.check_version(manifest, str(path))
        report.looked_for = f"the posts listed in {self.origin(path, folder / MANIFEST)}"
        for slug in manifest.get("posts", []):
            if not isinstance(slug, str) or not SLUG.fullmatch(slug):
                report.problem(self.origin(path, folder / MANIFEST), f"not a slug: {slug!r}")
                continue
            file = folder / "posts" / f"{slug}.md"
            origin = self.origin(path, file)
            try:
                yield self.read_post(file, folder, origin)
            except (SourceError, OSError, ValueError, KeyError, TypeError) as error:
                report.problem(origin, str(error))

    @staticmethod
    def read_post(file, root, origin):
        parsed = frontmatter.parse(frontmatter.read_text(file))
        meta = parsed.meta
        date = frontmatter.parse_date(meta["date"]) if meta.get("date") else None
        updated = frontmatter.parse_date(meta["updated"]) if meta.get("updated") else None
        author = str(meta.get("author") or "")
        post = SourcePost(
            origin=origin,
            title=str(meta.get("title") or ""),
            body=parsed.body,
            slug=str(meta.get("slug") or ""),
            description=str(meta.get("description") or ""),
            meta_description=str(meta.get("meta_description") or ""),
            canonical_url=str(meta.get("canonical_url") or ""),
            published_at=date,
            updated_at=updated,
            draft=meta.get("status") != Post.Status.PUBLISHED,
            author=SourceAuthor(name=author, slug=author) if author else None,
            tags=[str(tag) for tag in meta.get("tags") or []],
            faq=[(str(item["q"]), str(item["a"])) for item in meta.get("faq") or []],
            keep_reading=[str(slug) for slug in meta.get("keep_reading") or []],
            old_slugs=[str(slug) for slug in meta.get("old_slugs") or []],
            show_toc=meta.get("toc") is True,
        )
        image = meta.get("image") or {}
        if image.get("file"):
            name = str(image["file"]).removeprefix(f"../{MEDIA}/")
            post.image = SourceImage(
                path=site_data.media_file(root / MEDIA, name),
                url=str(image["file"]),
                alt=str(image.get("alt") or ""),
                caption=str(image.get("caption") or ""),
                credit=str(image.get("credit") or ""),
                name=name,
            )
        assets.collect(post, file.parent, [root])
        for address in post.assets:
            if address.startswith(f"/{MEDIA}/"):
                post.asset_names[address] = unquote(address.removeprefix(f"/{MEDIA}/"))
        return post
