"""Image checks for everything authors upload: the real bytes decide, never the file name.

Every upload is decoded and re-encoded once, by ``core/images/reencode.py`` in a child
process with a time limit and a memory ceiling (``clean``); the result is kept on the
upload, so the form field, the model field's validator and the model's ``save()`` share it.
"""

import io
import json
import logging
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

logger = logging.getLogger(__name__)

# Pillow format name -> (extension, content type)
ALLOWED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
REENCODER = Path(__file__).with_name("reencode.py")
NOT_AN_IMAGE = "This is not a JPEG, PNG, WebP or GIF image (or it is damaged)."


def too_big_message(size):
    return (
        f"The file is {size / 1_048_576:.1f} MB; the limit is "
        f"{settings.MARKDOWNX_UPLOAD_MAX_SIZE / 1_048_576:.0f} MB."
    )


@dataclass(frozen=True)
class CleanImage:
    """An upload as it is stored: re-encoded, with what it is."""

    format: str  # a key of ALLOWED_FORMATS
    width: int
    height: int
    frames: int
    data: bytes

    def as_upload(self):
        """A new upload of the clean bytes, under a random name with the right extension."""
        extension, content_type = ALLOWED_FORMATS[self.format]
        upload = SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", self.data, content_type)
        upload.clean_image = self  # already clean: checking it again costs nothing
        return upload


def clean(upload):
    """Check ``upload`` and re-encode it, once per upload; returns a CleanImage.

    The work happens in a child process (``core/images/reencode.py``) killed after
    ``IMAGE_PROCESSING_SECONDS``, within the decode budget described there. Raises
    ValidationError with a message an author can act on.
    """
    if cached := getattr(upload, "clean_image", None):
        return cached
    if not upload.size:
        raise ValidationError("The file is empty.")
    if upload.size > settings.MARKDOWNX_UPLOAD_MAX_SIZE:
        raise ValidationError(too_big_message(upload.size))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    seconds = settings.IMAGE_PROCESSING_SECONDS
    try:
        child = subprocess.run(
            [sys.executable, "-I", str(REENCODER), json.dumps(_limits())],
            input=data,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise ValidationError(
            f"The image took longer than {seconds:g} seconds to process, so it was not "
            "stored. Make it smaller, or shorten the animation."
        ) from error
    header, _, body = child.stdout.partition(b"\n")
    try:
        described = json.loads(header)
    except ValueError:
        described = None
    if child.returncode or not isinstance(described, dict):
        # Killed (the memory ceiling) or crashed: still the author's file, not a server error.
        logger.warning(
            "Image processing failed (exit %s): %s", child.returncode, child.stderr[-2000:]
        )
        raise ValidationError("This image could not be processed. Try saving it again smaller.")
    if child.stderr:
        logger.warning("Image processing: %s", child.stderr[-2000:].decode(errors="replace"))
    if "refused" in described:
        raise ValidationError(described["refused"])
    upload.clean_image = CleanImage(data=body, **described)
    return upload.clean_image


def _limits():
    return {
        "max_pixels": settings.IMAGE_MAX_PIXELS,
        "max_animation_pixels": settings.IMAGE_MAX_ANIMATION_PIXELS,
        "max_frames": settings.IMAGE_MAX_FRAMES,
        "max_jpeg_scans": settings.IMAGE_MAX_JPEG_SCANS,
        "memory_bytes": settings.IMAGE_PROCESSING_MEMORY,
    }


def validate_image(upload):
    """Check an uploaded file is a real JPEG, PNG, WebP or GIF of acceptable size.

    Returns the Pillow format name. Raises ValidationError with a message an
    author can act on.
    """
    return clean(upload).format


def validate_new_image(fieldfile):
    """Model-field validator: check files just uploaded, not ones already stored."""
    if not getattr(fieldfile, "_committed", True):
        validate_image(fieldfile.file)


class ImageUploadField(forms.ImageField):
    """A form's image field that runs our checks first, so authors read our messages.

    Django's own check says only "not an image or a corrupted image", even for a file
    that is merely too big or a decompression bomb. The field's value is the re-encoded
    copy, so Django's check (which opens the file in this process) reads our bytes.
    """

    # Not Django's check of the name's extension: the bytes decide, and the stored file is
    # named after them (a real PNG called photo.html is stored as <random>.png).
    default_validators = []

    def to_python(self, data):
        if data and hasattr(data, "size"):  # a new upload, not the stored file
            data = clean(data).as_upload()
        return super().to_python(data)


def random_image_name(instance, filename):
    """Store uploads under a random name, so nothing an uploader chose reaches a URL."""
    folder = instance._meta.model_name
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def clean_image_upload(upload):
    """Validate ``upload`` and return a re-encoded copy under a random name.

    Re-encoding drops anything hidden after or around the pixels (metadata, comments,
    appended HTML, polyglot payloads) and applies the EXIF orientation.
    """
    return clean(upload).as_upload()


def store_cleaned(fieldfile):
    """Store a just-uploaded image as its re-encoded copy (``clean_image_upload``).

    For image fields that keep the picture as uploaded: whatever followed or surrounded the
    pixels (an HTML or script payload in a polyglot, metadata) is not stored, and the
    extension follows the bytes, not the uploaded name.
    """
    if fieldfile and not fieldfile._committed:
        cleaned = clean_image_upload(fieldfile.file)
        fieldfile.save(cleaned.name, cleaned, save=False)


def reencode_still(upload, name, shape):
    """An uploaded image as a still, re-encoded after ``shape(image)`` resizes or crops it.

    Shaping keeps a print-size original from costing every reader megabytes; it starts from
    the clean copy (``clean``: upright, without metadata), which this process may open.
    GIFs become still PNGs. Returns a ContentFile named ``name`` with the right extension.
    """
    cleaned = clean(upload)
    image_format = cleaned.format
    with Image.open(io.BytesIO(cleaned.data), formats=[image_format]) as opened:
        # Full colour before resampling: palette images would otherwise be resized crudely.
        keep_alpha = image_format != "JPEG" and opened.has_transparency_data
        image = shape(opened.convert("RGBA" if keep_alpha else "RGB"))
        output = io.BytesIO()
        if image_format == "JPEG":
            image.save(output, format="JPEG", quality=85, optimize=True, progressive=True)
        elif image_format == "WEBP":
            image.save(output, format="WEBP", quality=85)
        else:
            image_format = "PNG"
            image.save(output, format="PNG", optimize=True)
    return ContentFile(output.getvalue(), name=f"{name}.{ALLOWED_FORMATS[image_format][0]}")
