"""Authors: who writes the posts, with their bio and profiles elsewhere."""

from django.conf import settings
from django.db import models
from markdownx.models import MarkdownxField

from core.images.uploads import random_image_name, store_cleaned, validate_new_image
from core.limits import bio_limit


def initials(name):
    """The header logo's letters: "Alex Navarro" → "AN"."""
    return "".join(word[0] for word in name.split()[:2]).upper()


class Author(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(
        max_length=160, blank=True, help_text='A short headline, e.g. "AI engineering advisor".'
    )
    bio = MarkdownxField(
        blank=True,
        validators=[bio_limit],
        help_text="Markdown. Shown on the About page and under posts.",
    )
    bio_html = models.TextField(blank=True, editable=False)
    # Rendered on save; blog.rerendering finds them here to render them again.
    RENDERED_FIELDS = {"bio": "bio_html"}
    avatar = models.ImageField(
        upload_to=random_image_name, blank=True, validators=[validate_new_image]
    )
    website = models.URLField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text="The admin login this author writes with, if any.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        store_cleaned(self.avatar)
        super().save(*args, **kwargs)  # bio_html: rendered by blog.signals, on pre_save

    @property
    def initials(self):
        return initials(self.name)


class ProfileLink(models.Model):
    """A profile elsewhere (LinkedIn, GitHub, Mastodon…), in the author's order."""

    label = models.CharField(max_length=60, help_text="e.g. LinkedIn")
    url = models.URLField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class AuthorLink(ProfileLink):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="links")
