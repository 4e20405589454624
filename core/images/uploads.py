"""Image checks for everything authors upload: the real bytes decide, never the file name."""

import io
import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

# Pillow format name -> (extension, content type)
ALLOWED_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
# An animation may hold this many times the still-image pixel limit across its frames.
ANIMATION_MAX_PIXELS_FACTOR = 10
# What re-encoding keeps of what the decoder read besides pixels (``Image.info``):
# transparency and the colour profile, and an animation's frame durations, loop count and
# background. Comments (GIF and JPEG), XMP, EXIF and application extensions are dropped.
KEEP_INFO = {"transparency", "icc_profile"}
KEEP_ANIMATION_INFO = KEEP_INFO | {"duration", "loop", "background"}


def too_big_message(size):
    return (
        f"The file is {size / 1_048_576:.1f} MB; the limit is "
        f"{settings.MARKDOWNX_UPLOAD_MAX_SIZE / 1_048_576:.0f} MB."
    )


def validate_image(upload):
    """Check an uploaded file is a real JPEG, PNG, WebP or GIF of acceptable size.

    Returns the Pillow format name. Raises ValidationError with a message an
    author can act on.
    """
    max_bytes = settings.MARKDOWNX_UPLOAD_MAX_SIZE
    if not upload.size:
        raise ValidationError("The file is empty.")
    if upload.size > max_bytes:
        raise ValidationError(too_big_message(upload.size))
    upload.seek(0)
    try:
        with Image.open(upload, formats=list(ALLOWED_FORMATS)) as image:
            width, height = image.size
            if width * height > settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    f"The image is {width}×{height} pixels; the limit is "
                    f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels."
                )
            frames = getattr(image, "n_frames", 1)
            if width * height * frames > ANIMATION_MAX_PIXELS_FACTOR * settings.IMAGE_MAX_PIXELS:
                raise ValidationError(
                    f"The animation has {frames} frames of {width}×{height} pixels; that is "
                    "too much to decode. Shorten it or make it smaller."
                )
            image.verify()
            image_format = image.format
        # verify() checks the structure, not the pixels: a truncated JPEG passes it and
        # fails only when decoded. Decode every frame now, so it is refused here with a
        # message instead of failing later, while being re-encoded on save.
        upload.seek(0)
        with Image.open(upload, formats=[image_format]) as image:
            for frame in ImageSequence.Iterator(image):
                frame.load()
    except Image.DecompressionBombError as error:
        # Pillow refuses to even open it: a small file declaring an enormous canvas.
        raise ValidationError(
            f"The image declares far more pixels than the limit of "
            f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels, so it was not opened."
        ) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise ValidationError(
            "This is not a JPEG, PNG, WebP or GIF image (or it is damaged)."
        ) from error
    finally:
        upload.seek(0)
    return image_format


def validate_new_image(fieldfile):
    """Model-field validator: check files just uploaded, not ones already stored."""
    if not getattr(fieldfile, "_committed", True):
        validate_image(fieldfile.file)


class ImageUploadField(forms.ImageField):
    """A form's image field that runs our checks first, so authors read our messages.

    Django's own check says only "not an image or a corrupted image", even for a file
    that is merely too big or a decompression bomb.
    """

    # Not Django's check of the name's extension: the bytes decide, and the stored file is
    # named after them (a real PNG called photo.html is stored as <random>.png).
    default_validators = []

    def to_python(self, data):
        if data and hasattr(data, "size"):  # a new upload, not the stored file
            validate_image(data)
        return super().to_python(data)


# For every admin with an image field: our checks and messages instead of Django's.
IMAGE_FIELD_OVERRIDES = {models.ImageField: {"form_class": ImageUploadField}}


def random_image_name(instance, filename):
    """Store uploads under a random name, so nothing an uploader chose reaches a URL."""
    folder = instance._meta.model_name
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "img"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def clean_image_upload(upload):
    """Validate ``upload`` and return a re-encoded copy under a random name.

    Re-encoding drops anything hidden after or around the pixels (metadata, comments,
    appended HTML, polyglot payloads) and applies the EXIF orientation. Pillow writes back
    what it read besides pixels (a GIF's or a JPEG's comment), so only KEEP_INFO goes in.
    """
    image_format = validate_image(upload)
    extension, content_type = ALLOWED_FORMATS[image_format]
    with Image.open(upload, formats=[image_format]) as image:
        animated = getattr(image, "is_animated", False)
        output = io.BytesIO()
        if animated:
            frames, options = _animation_frames(image)
            frames[0].save(output, format=image_format, **options)
        else:
            image = ImageOps.exif_transpose(image)
            image.info = _kept(image.info, KEEP_INFO)
            if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
                image = image.convert("RGB")
            image.save(output, format=image_format, **_quality(image_format))
    upload.seek(0)
    return SimpleUploadedFile(f"{uuid.uuid4().hex}.{extension}", output.getvalue(), content_type)


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

    Re-encoding drops metadata (a phone photo's EXIF can carry where it was taken) and
    anything hidden around the pixels; shaping keeps a print-size original from costing
    every reader megabytes. GIFs become still PNGs. Returns a ContentFile named
    ``name`` with the right extension.
    """
    image_format = validate_image(upload)
    with Image.open(upload, formats=[image_format]) as opened:
        image = ImageOps.exif_transpose(opened)
        # Full colour before resampling: palette images would otherwise be resized crudely.
        keep_alpha = image_format != "JPEG" and image.has_transparency_data
        image = shape(image.convert("RGBA" if keep_alpha else "RGB"))
        image.info = _kept(image.info, KEEP_INFO)
        output = io.BytesIO()
        if image_format == "JPEG":
            image.save(output, format="JPEG", quality=85, optimize=True, progressive=True)
        elif image_format == "WEBP":
            image.save(output, format="WEBP", quality=85)
        else:
            image_format = "PNG"
            image.save(output, format="PNG", optimize=True)
    upload.seek(0)
    return ContentFile(output.getvalue(), name=f"{name}.{ALLOWED_FORMATS[image_format][0]}")


def _kept(info, keys):
    return {key: value for key, value in info.items() if key in keys}


def _animation_frames(image):
    """Every frame with only KEEP_ANIMATION_INFO, and the options that write them back."""
    frames, durations, disposals = [], [], []
    for frame in ImageSequence.Iterator(image):
        copy = frame.copy()
        copy.info = _kept(frame.info, KEEP_ANIMATION_INFO)
        frames.append(copy)
        durations.append(frame.info.get("duration", 0))
        disposals.append(getattr(frame, "disposal_method", 0))
    options = {"save_all": True, "append_images": frames[1:], "duration": durations}
    if image.format == "GIF":
        # How each frame is cleared before the next: without it, a transparent pixel
        # cannot replace an opaque one, and moving shapes leave trails.
        options["disposal"] = disposals
    if image.info.get("loop") is not None:  # a GIF without a loop count plays once
        options["loop"] = image.info["loop"]
    return frames, options


def _quality(image_format):
    return {"quality": 85, "optimize": True} if image_format in {"JPEG", "WEBP"} else {}
