"""Authors: who writes the posts, with their bio and profiles elsewhere."""

from django.conf import settings
from django.db import models
from markdownx.models import MarkdownxField

from core.images.pictures import Picture
from core.images.renditions import make_renditions
from core.images.uploads import random_image_name, store_cleaned, validate_new_image
from core.limits import bio_limit

# A portrait shows from a 2.75rem byline circle to the home page's 20rem hero, at 1x to 3x.
PORTRAIT_WIDTHS = (96, 240, 480, 960)


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
        "portrait",
        upload_to=random_image_name,
        blank=True,
        # Stored, so pages can size the portrait without opening the file.
        width_field="avatar_width",
        height_field="avatar_height",
        validators=[validate_new_image],
        help_text="JPEG, PNG, WebP or GIF; shown round (on the home page, the About page and "
        "beside your name on posts), so keep the face near the middle. A square of at "
        "least 960 pixels looks sharp everywhere.",
    )
    avatar_width = models.PositiveIntegerField(null=True, editable=False)
    avatar_height = models.PositiveIntegerField(null=True, editable=False)
    # Its responsive renditions, made on upload (core.images.renditions), so pages open no file.
    avatar_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Made on save; manage.py make_renditions finds them here to make missing ones.
    RENDITION_FIELDS = {"avatar": "avatar_renditions"}
    RENDITION_WIDTHS = {"avatar": PORTRAIT_WIDTHS}
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
        if self.avatar.name != self.avatar_renditions.get("name", ""):
            self.avatar_renditions = (
                make_renditions(self.avatar.name, widths=PORTRAIT_WIDTHS) if self.avatar else {}
            )
        super().save(*args, **kwargs)  # bio_html: rendered by blog.signals, on pre_save

    @property
    def portrait(self):
        """The portrait with its renditions, for ``{% portrait %}``; None without one."""
        if not self.avatar:
            return None
        return Picture.from_renditions(
            self.avatar_renditions,
            self.avatar.url,
            self.avatar_width,
            self.avatar_height,
            f"Portrait of {self.name}",
        )

    @property
    def portrait_url(self):
        """The largest version of the portrait, for link previews and structured data."""
        picture = self.portrait
        return picture.src if picture else ""

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
