"""Responsive renditions of uploaded images, made once on upload so pages never open files.

An original ``post/abc.jpg`` 2400 px wide gets ``post/abc-480w.webp``, ``post/abc-480w.jpg``,
``post/abc-960w.webp``… beside it, never wider than the original. What was made is described
by a small JSON-ready dict, stored with whatever shows the image
(``Post.featured_image_renditions``, ``BodyImage.renditions``), from which ``core.images.pictures``
writes the ``<picture>`` markup:

    {"name": "post/abc.jpg", "width": 2400, "height": 1600,
     "sources": [{"type": "image/webp", "files": [[480, "post/abc-480w.webp"], ...]},
                 {"type": "image/jpeg", "files": [[480, "post/abc-480w.jpg"], ...]}]}

The last source is the fallback the ``<img>`` itself uses. Lists, not dicts, keep the order on
PostgreSQL's jsonb.

AVIF is left out on purpose: this Pillow can write it, but at 5 to 30 times WebP's encoding
time for about a tenth fewer bytes, and every format adds a file per width.
"""

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from core.images.uploads import ALLOWED_FORMATS

logger = logging.getLogger(__name__)

# CSS pixels × density a reader's screen might want: a phone, a laptop column at 2×, a wide 2×.
WIDTHS = (480, 960, 1600)
MODERN_FORMAT = "WEBP"
# The format older browsers get: the original's, except a GIF's palette is a poor resampling
# target, so still GIFs fall back to PNG.
FALLBACK_FORMAT = {"JPEG": "JPEG", "PNG": "PNG", "GIF": "PNG", "WEBP": "WEBP"}
SAVE_OPTIONS = {
    "JPEG": {"quality": 82, "optimize": True, "progressive": True},
    "WEBP": {"quality": 80, "method": 4},
    "PNG": {"optimize": True},
}


def rendition_name(name, width, image_format):
    """``post/abc.jpg`` at 480 px in WebP → ``post/abc-480w.webp``: the same every time."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}-{width}w.{ALLOWED_FORMATS[image_format][0]}"))


def target_widths(width, widths=WIDTHS):
    """The ``widths`` to offer for an image ``width`` pixels wide: never wider than it is."""
    return sorted({min(target, width) for target in widths})


def make_renditions(name, storage=default_storage, widths=WIDTHS):
    """Write the renditions of the stored image ``name`` and describe them.

    Animated images are described without renditions (resizing every frame costs more than
    it saves), and an image that cannot be read gets no renditions either: pages then show
    the original, as they did before renditions existed. ``widths``: what to offer, for
    images shown smaller than an article's (portraits).
    """
    try:
        with (
            storage.open(name, "rb") as handle,
            Image.open(handle, formats=list(ALLOWED_FORMATS)) as opened,
        ):
            opened.load()
            original_format = opened.format
            animated = getattr(opened, "is_animated", False)
            image = ImageOps.exif_transpose(opened)
            turned = image.size != opened.size or "exif" in opened.info
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        logger.warning("No renditions for %s: %s", name, error)
        return {}
    width, height = image.size
    described = {"name": name, "width": width, "height": height, "sources": []}
    if animated or original_format not in FALLBACK_FORMAT:
        return described
    keep_alpha = image.has_transparency_data
    image = image.convert("RGBA" if keep_alpha else "RGB")
    fallback = FALLBACK_FORMAT[original_format]
    formats = [MODERN_FORMAT] if fallback == MODERN_FORMAT else [MODERN_FORMAT, fallback]
    files = {image_format: [] for image_format in formats}
    for target in target_widths(width, widths):
        resized = image
        if target != width:
            size = (target, max(1, round(height * target / width)))
            # reducing_gap: shrink by whole factors first, then resample; several times
            # faster on a large photo and not visibly different.
            resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        for image_format in formats:
            if target == width and image_format == original_format and not turned:
                files[image_format].append([target, name])  # the original already is this one
                continue
            files[image_format].append([target, _store(storage, resized, name, image_format)])
    described["sources"] = [
        {"type": ALLOWED_FORMATS[image_format][1], "files": files[image_format]}
        for image_format in formats
    ]
    return described


def _store(storage, image, name, image_format):
    if image_format == "JPEG" and image.mode != "RGB":
        image = image.convert("RGB")
    output = io.BytesIO()
    image.save(output, format=image_format, **SAVE_OPTIONS[image_format])
    target = rendition_name(name, image.width, image_format)
    storage.delete(target)  # made again: keep the deterministic name rather than get a suffix
    return storage.save(target, ContentFile(output.getvalue()))
