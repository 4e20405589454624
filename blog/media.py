"""The media library: adding an editor upload, and knowing where each image is used.

Two derived things live here, each with one function that computes it:

- what an image's file is (width, height, bytes, SHA-256): ``core.images.measure.measure``,
  called by ``add_upload`` for every new file and by ``measure_missing`` (the data migration,
  ``manage.py record_image_uses``) for rows stored before the library knew;
- where an image is used (``ImageUse``) and alt text an author wrote for an image that had
  none: ``record_uses``, called after each save of the Markdown that ``track_uses`` names
  (posts' bodies, authors' bios, books' descriptions), and for bulk changes
  (``core.changes.announce``) and ``rebuild_uses``.

An upload whose clean bytes the library already holds is not stored again: the existing image
(its address and alt text) is answered instead.
"""

import re
from typing import NamedTuple
from urllib.parse import unquote

from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from core.changes import changed_in_bulk
from core.images.measure import measure, measure_stored
from core.images.renditions import make_renditions
from core.images.uploads import clean

from .models import BodyImage, ImageUse

# What the editor writes when it knows no alt text: never kept or offered as alt text.
PLACEHOLDER_ALT = "Describe this image"


class Source(NamedTuple):
    """Markdown that may show library images: ``fields`` of ``label``'s objects."""

    label: str  # "blog.Post"
    fields: tuple  # ("body",)
    title_field: str  # "title": what the library calls the object


SOURCES = {}


def usable_alt(text):
    """``text`` as alt text worth keeping: on one line, and never the editor's placeholder."""
    text = " ".join((text or "").split())  # one line, as alt text is read
    return "" if text.casefold() == PLACEHOLDER_ALT.casefold() else text[:300]


def _upload_url_pattern():
    prefix = re.escape(settings.MEDIA_URL + settings.MARKDOWNX_MEDIA_PATH)
    return re.compile(prefix + r"((?:[0-9a-f]{32})\.(?:jpg|png|webp|gif))")


# ![alt](address) and ![alt](<address> "title"): what an author writes, and the editor does.
_MARKDOWN_IMAGE = re.compile(r"!\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^\s)>]+)>?")


def referenced_images(text):
    """``{name: alt}`` of the editor uploads ``text`` shows: every address of one counts; the
    alt is the first usable alt text a Markdown image of it carries ("" if none)."""
    pattern = _upload_url_pattern()
    found = {}
    for match in pattern.finditer(text or ""):
        found.setdefault(settings.MARKDOWNX_MEDIA_PATH + unquote(match[1]), "")
    for alt, address in _MARKDOWN_IMAGE.findall(text or ""):
        match = pattern.fullmatch(unquote(address))
        if match:
            name = settings.MARKDOWNX_MEDIA_PATH + match[1]
            if not found.get(name):
                found[name] = usable_alt(re.sub(r"\\(.)", r"\1", alt))
    return found


def markdown_for(image):
    """``![alt](url)`` for ``image``, with the placeholder when it has no alt text yet."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", image.alt or PLACEHOLDER_ALT)
    return f"![{alt}]({image.url})"


def clean_query(text):
    """A search typed into the library, made safe for any database: short, no NUL."""
    return (text or "").replace("\x00", "").strip()[:200]


def search(images, query):
    """``images`` whose file name, alt text or caption contains every word of ``query``."""
    for word in query.split()[:10]:
        images = images.filter(
            Q(name__icontains=word) | Q(alt__icontains=word) | Q(caption__icontains=word)
        )
    return images


def add_upload(upload):
    """Put an uploaded image in the library; returns ``(image, reused)``.

    ``upload`` is checked and re-encoded (``core.images.uploads.clean``: raises
    ValidationError). When the library already holds the same clean bytes, and the file is
    still in storage, that image is returned and nothing is stored.
    """
    cleaned = clean(upload)
    measured = measure(cleaned.data)
    for existing in BodyImage.objects.filter(sha256=measured.sha256):
        if default_storage.exists(existing.name):
            return existing, True
    stored = cleaned.as_upload()
    name = default_storage.save(settings.MARKDOWNX_MEDIA_PATH + stored.name, stored)
    # Renditions now, once, so every render of the body finds them without opening files.
    image = BodyImage.objects.create(
        name=name,
        renditions=make_renditions(name),
        width=measured.width,
        height=measured.height,
        file_size=measured.size,
        sha256=measured.sha256,
    )
    return image, False


def measure_missing(apps=django_apps, storage=default_storage):
    """Measure the images stored before their files were measured; returns how many.

    Through the storage API, never a path; with ``apps`` (a migration's), on historical models.
    """
    count = 0
    for image in apps.get_model("blog", "BodyImage").objects.filter(sha256=""):
        measured = measure_stored(image.name, storage)
        if measured is None:
            continue
        image.width, image.height = measured.width, measured.height
        image.file_size, image.sha256 = measured.size, measured.sha256
        image.save(update_fields=["width", "height", "file_size", "sha256"])
        count += 1
    return count


def track_uses(model, fields, title_field):
    """Record where library images are used in ``fields`` of ``model`` after each save."""
    SOURCES[model._meta.label] = Source(model._meta.label, tuple(fields), title_field)
    uid = f"blog.media.{model._meta.label}"
    post_save.connect(_saved, sender=model, dispatch_uid=uid)
    post_delete.connect(_deleted, sender=model, dispatch_uid=uid)
    changed_in_bulk.connect(_changed_in_bulk, sender=model, dispatch_uid=uid)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:
        record_uses(instance)


def _deleted(sender, instance, **kwargs):
    ContentType = django_apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.get_for_model(sender)
    ImageUse.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def _changed_in_bulk(sender, pks, fields=None, **kwargs):
    source = SOURCES[sender._meta.label]
    if fields is not None and not fields & {*source.fields, source.title_field}:
        return  # e.g. only positions changed (core.ordering): no Markdown, no title
    measure_missing()  # imports write their images with bulk_create too
    rebuild_uses(sender, pks)


def image_saved(sender, instance, created=False, raw=False, **kwargs):
    """An image saved without its measurements (restored from an archive, made by a command):
    measured; a new one: recorded where Markdown saved before it already shows it."""
    if raw:
        return
    if not instance.sha256:
        measure_missing()
    if created:
        for source in SOURCES.values():
            model = django_apps.get_model(source.label)
            mentions = Q()
            for field in source.fields:
                mentions |= Q(**{f"{field}__contains": instance.url})
            for referrer in model._default_manager.filter(mentions):
                record_uses(referrer)


def images_changed_in_bulk(sender, pks, **kwargs):
    """Images written with ``bulk_create`` or ``update()``: measured, and every use found."""
    measure_missing()
    rebuild_uses()


def record_uses(instance, apps=django_apps):
    """The library images ``instance``'s Markdown shows, as its ``ImageUse`` rows; an alt
    text it writes for an image without one becomes the image's.

    The one place both are computed; with ``apps`` (a migration's), on historical models.
    """
    source = SOURCES[instance._meta.label]
    Image = apps.get_model("blog", "BodyImage")
    Use = apps.get_model("blog", "ImageUse")
    ContentType = apps.get_model("contenttypes", "ContentType")
    referenced = {}
    for field in source.fields:
        for name, alt in referenced_images(getattr(instance, field)).items():
            referenced[name] = referenced.get(name) or alt
    content_type = ContentType.objects.get_for_model(instance)
    label = str(getattr(instance, source.title_field, "") or instance.pk)[:300]
    with transaction.atomic():
        images = list(Image.objects.filter(name__in=referenced).only("pk", "name", "alt"))
        uses = Use.objects.filter(content_type=content_type, object_id=instance.pk)
        uses.exclude(image__in=images).delete()
        kept = dict(uses.values_list("image_id", "label"))
        for image in images:
            if image.pk not in kept:
                Use.objects.create(
                    image=image, content_type=content_type, object_id=instance.pk, label=label
                )
            if not image.alt and referenced[image.name]:
                Image.objects.filter(pk=image.pk, alt="").update(alt=referenced[image.name])
        if any(old != label for old in kept.values()):
            uses.update(label=label)


def rebuild_uses(model=None, pks=None, apps=django_apps):
    """``record_uses`` for every object of ``model`` (default: every tracked model)."""
    sources = [SOURCES[model._meta.label]] if model is not None else SOURCES.values()
    for source in sources:
        try:
            objects = apps.get_model(source.label)._default_manager.all()
        except LookupError:  # a migration's state without that app
            continue
        if pks is not None:
            objects = objects.filter(pk__in=pks)
        for instance in objects.iterator():
            record_uses(instance, apps)
