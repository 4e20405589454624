"""The author's books, each with ordered places to buy it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField
from PIL import Image

from blog.rendering import render_markdown
from core.images.pictures import Picture
from core.images.renditions import make_renditions
from core.images.uploads import random_image_name, reencode_still, validate_new_image
from core.limits import page_text_limit
from core.markdown.rendering import html_to_text

from .isbn import compact_isbn, validate_isbn

# Stored covers fit in this box: sharp at twice the widest size a page shows them (360 CSS px).
COVER_MAX_SIZE = (800, 1200)
META_DESCRIPTION_LENGTH = 160


def fit_cover(image):
    """Scale a cover down to fit COVER_MAX_SIZE, keeping its proportions."""
    image.thumbnail(COVER_MAX_SIZE, Image.Resampling.LANCZOS)
    return image


def shorten(text, limit=META_DESCRIPTION_LENGTH):
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.–—") + "…"


class BookQuerySet(models.QuerySet):
    def featured(self):
        return self.filter(featured=True)


class Book(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The address: /books/<slug>/.")
    subtitle = models.CharField(max_length=300, blank=True)
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences for book lists, search results and link previews; "
        "160 characters read best. The description's opening is used when empty.",
    )
    cover = models.ImageField(
        upload_to=random_image_name,
        blank=True,
        width_field="cover_width",
        height_field="cover_height",
        validators=[validate_new_image],
        help_text="JPEG, PNG, WebP or GIF; a 2:3 portrait cover reads best. "
        "Large files are scaled down to 800×1200 pixels.",
    )
    # Stored so pages can give every cover its size without opening the file.
    cover_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    cover_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Responsive renditions of the cover, made on upload (core.images.renditions).
    cover_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Made on save; manage.py make_renditions finds them here to make missing ones.
    RENDITION_FIELDS = {"cover": "cover_renditions"}
    cover_alt = models.CharField(
        "cover description",
        max_length=200,
        blank=True,
        help_text="Describe the cover for readers who cannot see it. Required with a cover.",
    )
    description = MarkdownxField(
        validators=[page_text_limit],
        blank=True,
        help_text="Markdown. What the book is about and who it is for.",
    )
    description_html = models.TextField(blank=True, editable=False)
    # Rendered on save; blog.rerendering finds them here to render them again.
    RENDERED_FIELDS = {"description": "description_html"}
    published_on = models.DateField(
        "publication date", null=True, blank=True, help_text="Leave empty if not yet out."
    )
    isbn = models.CharField(
        "ISBN",
        max_length=17,
        blank=True,
        validators=[validate_isbn],
        help_text="ISBN-13 or ISBN-10, with or without hyphens, as printed in the book.",
    )
    featured = models.BooleanField(default=False, help_text="Shown on the home page.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    objects = BookQuerySet.as_manager()

    class Meta:
        ordering = ["position", "-published_on", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.cover and not self.cover._committed:
            shaped = reencode_still(self.cover.file, "cover", fit_cover)
            self.cover.save(shaped.name, shaped, save=False)
        if self.cover.name != self.cover_renditions.get("name", ""):
            self.cover_renditions = make_renditions(self.cover.name) if self.cover else {}
        self.isbn = self.isbn.strip()
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("books:detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.cover and not self.cover_alt.strip():
            raise ValidationError(
                {"cover_alt": "Describe the cover: readers using screen readers need it."}
            )

    @property
    def cover_picture(self):
        """The cover with its renditions, for ``{% book_cover %}``."""
        return Picture.from_renditions(
            self.cover_renditions,
            self.cover.url,
            self.cover_width,
            self.cover_height,
            self.cover_alt,
        )

    @property
    def full_title(self):
        """Title and subtitle as one line, the way a catalogue lists the book."""
        return f"{self.title}: {self.subtitle}" if self.subtitle else self.title

    @property
    def description_text(self):
        return html_to_text(self.description_html)

    @property
    def meta_description(self):
        """The summary, else the description's opening, cut at a word near 160 characters."""
        return shorten(self.summary.strip() or self.description_text)

    @property
    def is_forthcoming(self):
        """Dated, but not out yet: pages say "Out on" rather than "Published"."""
        return self.published_on is not None and self.published_on > timezone.localdate()

    @property
    def isbn_compact(self):
        return compact_isbn(self.isbn)


class BuyLink(models.Model):
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="buy_links")
    label = models.CharField(max_length=60, help_text='e.g. "Amazon" or "Signed copy"')
    url = models.URLField("URL", help_text="The book's page in that shop.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "buy link"

    def __str__(self):
        return self.label
