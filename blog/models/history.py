"""What a page used to be called: old slugs that keep old addresses working."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class OldSlug(models.Model):
    """A slug something used to have; its old address answers with a redirect (blog.slugs)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=200, db_index=False)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="old_slug_unique")
        ]

    def __str__(self):
        return self.slug
