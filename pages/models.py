"""Site-wide identity the author edits in the admin: name, owner, navigation, the offer."""

from django.core.cache import cache
from django.db import models

from blog.models import Author, ProfileLink, initials
from blog.rendering import render_markdown
from core.images.uploads import random_image_name, store_cleaned, validate_new_image
from core.limits import page_text_limit
from core.markdown.rendering import html_to_text

CACHE_KEY = "pages:site-settings"


class SiteSettings(models.Model):
    """The one settings record (pk 1). Read through ``SiteSettings.load()``, which caches it."""

    site_name = models.CharField(max_length=100, default="My site")
    owner = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whose site this is: shown in the header, on About and in structured data.",
    )
    tagline = models.CharField(
        max_length=200, blank=True, help_text="One line under the site name; the home page's title."
    )
    introduction = models.TextField(
        validators=[page_text_limit],
        blank=True,
        help_text="Markdown. The home page's introduction; the owner's bio if empty.",
    )
    introduction_html = models.TextField(blank=True, editable=False)
    cta_label = models.CharField("call-to-action label", max_length=60, default="Work with me")
    cta_url = models.CharField(
        "call-to-action target",
        max_length=200,
        default="/work-with-me/",
        help_text="A path on this site (/work-with-me/) or a full URL.",
    )
    footer_text = models.CharField(max_length=300, blank=True)
    default_share_image = models.ImageField(
        upload_to=random_image_name,
        blank=True,
        validators=[validate_new_image],
        help_text="Used for link previews of pages without their own image. 1200×630 reads best.",
    )
    default_share_image_alt = models.CharField(max_length=200, blank=True)
    offer_title = models.CharField(
        max_length=200, default="Work with me", help_text="The Work with me page's heading."
    )
    offer = models.TextField(
        validators=[page_text_limit],
        blank=True,
        help_text="Markdown. The Work with me page's introduction: who you help, how.",
    )
    offer_html = models.TextField(blank=True, editable=False)
    # Rendered on save; blog.rerendering finds them here to render them again.
    RENDERED_FIELDS = {"introduction": "introduction_html", "offer": "offer_html"}
    article_cta = models.CharField(
        "article call to action",
        max_length=300,
        default="I work with a handful of teams at a time. If this is your problem, let's talk.",
        help_text="The sentence in the box at the end of every article.",
    )
    notification_email = models.EmailField(
        blank=True, help_text="Where new enquiries are sent. Leave empty to only keep them here."
    )

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self):
        return "Site settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        store_cleaned(self.default_share_image)
        self.introduction_html = render_markdown(self.introduction)
        self.offer_html = render_markdown(self.offer)
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings with owner, navigation and profiles, from the cache when possible."""
        settings = cache.get(CACHE_KEY)
        if settings is None:
            settings = cls.fetch()
            cache.set(CACHE_KEY, settings, timeout=None)
        return settings

    @classmethod
    def fetch(cls):
        settings = (
            cls.objects.select_related("owner")
            .prefetch_related("nav_items", "social_profiles", "services")
            .filter(pk=1)
            .first()
        )
        if settings is None:
            settings = cls.objects.create(pk=1)
            settings = cls.fetch()
        # Evaluate now so the cached copy needs no more queries.
        settings.nav = list(settings.nav_items.all())
        settings.profiles = list(settings.social_profiles.all())
        settings.service_list = list(settings.services.all())
        settings.owner_links = list(settings.owner.links.all()) if settings.owner else []
        return settings

    @staticmethod
    def forget():
        cache.delete(CACHE_KEY)

    @property
    def initials(self):
        return self.owner.initials if self.owner else initials(self.site_name)

    def description(self, latest_titles=()):
        """What search engines show under the site's name: never empty.

        The tagline, else the start of the introduction or the owner's bio, else the
        site's name with its latest posts' titles (a site made only of imported posts
        has no tagline, and an empty description costs it in search results).
        """
        if self.tagline:
            return self.tagline
        about = html_to_text(self.introduction_html or (self.owner.bio_html if self.owner else ""))
        if about:
            return shortened(about, DESCRIPTION_LENGTH)
        if latest_titles:
            return shortened(f"{self.site_name}: {'; '.join(latest_titles)}.", DESCRIPTION_LENGTH)
        return self.site_name


# Search engines cut descriptions at about 155 to 160 characters.
DESCRIPTION_LENGTH = 155


def shortened(text, limit):
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut}…"


class NavItem(models.Model):
    settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="nav_items")
    label = models.CharField(max_length=40)
    url = models.CharField(max_length=200, help_text="A path on this site (/books/) or a full URL.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "navigation item"

    def __str__(self):
        return self.label


class SocialProfile(ProfileLink):
    settings = models.ForeignKey(
        SiteSettings, on_delete=models.CASCADE, related_name="social_profiles"
    )


class Service(models.Model):
    """One way to work together, listed on the Work with me page in order."""

    settings = models.ForeignKey(SiteSettings, on_delete=models.CASCADE, related_name="services")
    title = models.CharField(max_length=120)
    summary = models.TextField(
        validators=[page_text_limit], help_text="Markdown. What it is, who it suits, what it costs."
    )
    summary_html = models.TextField(blank=True, editable=False)
    # Rendered on save; blog.rerendering finds them here to render them again.
    RENDERED_FIELDS = {"summary": "summary_html"}
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.summary_html = render_markdown(self.summary)
        super().save(*args, **kwargs)
