"""Tags, and the copy of each post's tags that tag pages read (blog.tag_listings)."""

from django.db import models
from django.urls import reverse


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True, help_text="Shown at the top of the tag's page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("blog:tag", kwargs={"slug": self.slug})


class TagListing(models.Model):
    tag = models.ForeignKey("blog.Tag", on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10)
    published_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "post"], name="tag_listing_unique")]
        indexes = [
            models.Index(
                fields=["tag", "status", "-published_at", "-post"], name="tag_listing_order"
            )
        ]

    def __str__(self):
        return f"{self.tag_id} → {self.post_id}"
