"""The author's books, each with ordered places to buy it."""

from django.db import models
from django.urls import reverse

from blog.images import random_image_name, validate_new_image
from blog.rendering import render_markdown


class BookQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)


class Book(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The address: /books/<slug>/.")
    subtitle = models.CharField(max_length=300, blank=True)
    cover = models.ImageField(
        upload_to=random_image_name,
        blank=True,
        validators=[validate_new_image],
        help_text="JPEG, PNG, WebP or GIF; a 2:3 portrait cover reads best.",
    )
    cover_alt = models.CharField(
        max_length=200, blank=True, help_text="Describe the cover. Required with a cover."
    )
    description = models.TextField(blank=True, help_text="Markdown.")
    description_html = models.TextField(blank=True, editable=False)
    published_on = models.DateField(null=True, blank=True)
    isbn = models.CharField("ISBN", max_length=17, blank=True)
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    objects = BookQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-published_on", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("books:detail", kwargs={"slug": self.slug})


class BuyLink(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="buy_links")
    label = models.CharField(max_length=60, help_text='e.g. "Amazon" or "Signed copy"')
    url = models.URLField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label
