"""What clients and readers say, in the author's order."""

from django.db import models

from blog.images import random_image_name, validate_new_image


class TestimonialQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)


class Testimonial(models.Model):
    quote = models.TextField(help_text="Their words, without quotation marks.")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True)
    organisation = models.CharField(max_length=120, blank=True)
    photo = models.ImageField(
        upload_to=random_image_name, blank=True, validators=[validate_new_image]
    )
    photo_alt = models.CharField(max_length=200, blank=True)
    source_url = models.URLField(
        blank=True, help_text="Where the quote was published, if anywhere."
    )
    featured = models.BooleanField(
        default=False, help_text="Shown on the home and Work with me pages."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name}: {self.quote[:60]}"
