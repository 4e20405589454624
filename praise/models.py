"""What clients and readers say, in the author's order."""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import models
from PIL import Image, ImageOps

from core.images.uploads import random_image_name, reencode_still, validate_new_image
from core.limits import quote_limit

# Stored portraits are squares of at most this many pixels: shown at 64 CSS px, sharp at 4x.
PORTRAIT_SIZE = 256
BLANK_LINE = re.compile(r"\n\s*\n")


def square_portrait(image):
    """A centred square crop, at most PORTRAIT_SIZE pixels a side."""
    side = min(PORTRAIT_SIZE, *image.size)
    return ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)


class TestimonialQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)


class Testimonial(models.Model):
    quote = models.TextField(
        validators=[quote_limit],
        help_text="Their words, without quotation marks. A blank line starts a new paragraph.",
    )
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, blank=True, help_text='e.g. "VP Engineering".')
    organisation = models.CharField(max_length=120, blank=True)
    photo = models.ImageField(
        upload_to=random_image_name,
        blank=True,
        validators=[validate_new_image],
        help_text="A portrait; cropped to a centred square and shown small beside the name.",
    )
    photo_alt = models.CharField(
        "photo description",
        max_length=200,
        blank=True,
        help_text="Describe the photo for screen readers. Required with a photo.",
    )
    source_url = models.URLField(
        blank=True, help_text="Where the quote was published, if anywhere."
    )
    source_label = models.CharField(
        max_length=120,
        blank=True,
        help_text='What to call the source, e.g. "LinkedIn recommendation" or a talk\'s title. '
        "The link's site name is used if empty.",
    )
    featured = models.BooleanField(
        default=False,
        help_text="Shown on the home and Work with me pages (the first three, by position).",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    objects = TestimonialQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.name}: {self.quote[:60]}"

    def save(self, *args, **kwargs):
        if self.photo and not self.photo._committed:
            self.photo = reencode_still(self.photo.file, "portrait", square_portrait)
        super().save(*args, **kwargs)

    def clean(self):
        if self.photo and not self.photo_alt.strip():
            raise ValidationError(
                {"photo_alt": "Describe the photo: readers using screen readers need it."}
            )

    @property
    def paragraphs(self):
        """The quote as paragraphs: a blank line starts one; other line breaks are spaces."""
        return [" ".join(part.split()) for part in BLANK_LINE.split(self.quote) if part.strip()]

    @property
    def initials(self):
        """Shown in place of a photo."""
        return "".join(word[0] for word in self.name.split()[:2]).upper()

    @property
    def affiliation(self):
        """Role and organisation as one line: "VP Engineering, Lumen Freight"."""
        return ", ".join(part for part in [self.role, self.organisation] if part)

    @property
    def source(self):
        """What the citation says: the label, else the link's site name."""
        if self.source_label:
            return self.source_label
        host = urlsplit(self.source_url).hostname or ""
        return host.removeprefix("www.")
