"""A published post's pending edit: content saved for later, which readers do not see."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingEdit(models.Model):
    post = models.OneToOneField(
        "blog.Post", on_delete=models.CASCADE, primary_key=True, related_name="pending_draft"
    )
    content = models.JSONField(default=dict)
    is_revision = models.BooleanField(
        default=False,
        help_text="Saved with “Save as draft revision”; otherwise only autosaved.",
    )
    saved_at = models.DateTimeField(default=timezone.now)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "pending edit"

    def __str__(self):
        return f"Draft of {self.post}"

    @property
    def is_newer_than_post(self):
        return self.saved_at > self.post.updated_at
