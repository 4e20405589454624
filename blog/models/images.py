"""Images uploaded through the editor (the media library), with their renditions and uses."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import models


class BodyImage(models.Model):
    """An image uploaded through the editor for use in Markdown, with its renditions.

    Rendering looks these up by file name (one query per body) to turn the image into a
    responsive ``<picture>`` without opening a file. ``width``, ``height``, ``file_size`` and
    ``sha256`` describe the stored file (``core.images.measure``, set by ``blog.media``); where
    it is used is in ``uses`` (``ImageUse``, kept by ``blog.media.record_uses``).
    """

    name = models.CharField(max_length=255, unique=True, help_text="The file in media storage.")
    renditions = models.JSONField(default=dict)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    alt = models.CharField(
        "alt text",
        max_length=300,
        blank=True,
        help_text="What the image shows, for readers who cannot see it. Offered whenever the "
        "image is inserted again; leave empty only for a purely decorative image.",
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(
        max_length=200, blank=True, help_text="Who made the image, as it should be credited."
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    file_size = models.PositiveBigIntegerField("size in bytes", null=True, editable=False)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = "image"
        verbose_name_plural = "media library"
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return self.name.removeprefix(settings.MARKDOWNX_MEDIA_PATH)

    @property
    def url(self):
        """The address Markdown uses for the original (``![alt](url)``)."""
        return default_storage.url(self.name)

    @property
    def thumbnail_name(self):
        """The smallest stored rendition (the original when there is none)."""
        sources = self.renditions.get("sources") if isinstance(self.renditions, dict) else None
        try:
            return sources[0]["files"][0][1]
        except (TypeError, IndexError, KeyError):
            return self.name


class ImageUse(models.Model):
    """A library image shown by a piece of Markdown (a post's body, an author's bio…).

    Derived: ``blog.media.record_uses`` writes the rows of an object each time it is saved.
    """

    image = models.ForeignKey(BodyImage, on_delete=models.CASCADE, related_name="uses")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=300, help_text="The object's title when it was saved.")

    class Meta:
        # Deleting an image deletes these records (not the posts): the confirmation says so.
        verbose_name = "record of use"
        verbose_name_plural = "records of use"
        constraints = [
            models.UniqueConstraint(
                fields=["image", "content_type", "object_id"], name="image_use_unique"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.content_type.name} “{self.label}”"
