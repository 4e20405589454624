"""What a page used to be called: old slugs that keep old addresses working."""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class OldSlugQuerySet(models.QuerySet):
    def current_slug(self, model, slug):
        """The slug now used by whatever used ``slug``, or ``slug`` itself."""
        if model._default_manager.filter(slug=slug).exists():
            return slug
        content_type = ContentType.objects.get_for_model(model)
        old = self.filter(content_type=content_type, slug=slug)
        object_id = old.values_list("object_id", flat=True).first()
        current = model._default_manager.filter(pk=object_id).values_list("slug", flat=True)
        return current.first() or slug


class OldSlug(models.Model):
    """A slug something used to have; its old address answers with a redirect (blog.slugs)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=200, db_index=False)
    retired_at = models.DateTimeField(auto_now_add=True)

    objects = OldSlugQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="old_slug_unique")
        ]

    def __str__(self):
        return self.slug
