"""Images uploaded through the editor, with their renditions."""

from django.db import models


class BodyImage(models.Model):
    """An image uploaded through the editor for use in Markdown, with its renditions.

    Rendering looks these up by file name (one query per body) to turn the image into a
    responsive ``<picture>`` without opening a file.
    """

    name = models.CharField(max_length=255, unique=True, help_text="The file in media storage.")
    renditions = models.JSONField(default=dict)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
