"""The blog's content: authors, tags, posts, their FAQ and curated "keep reading" links."""

from functools import partial
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from markdownx.models import MarkdownxField

from site_config import page_cache

from . import reading_time, related, social_cards
from .images import clean_image_upload, random_image_name, store_cleaned, validate_new_image
from .limits import bio_limit, faq_answer_limit, post_body_limit
from .pictures import Picture
from .rendering import render_article, render_markdown
from .renditions import make_renditions


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
        self.bio_html = render_markdown(self.bio)
        super().save(*args, **kwargs)

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


class ShareImage(NamedTuple):
    url: str
    width: int
    height: int
    alt: str


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts readers may see: published, and not scheduled for later."""
        return self.filter(status=Post.Status.PUBLISHED, published_at__lte=timezone.now())


class Post(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=200,
        db_index=False,  # the unique constraint below is the index
        help_text="The address of the post: /blog/this-part/. Must be unique.",
    )
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="The lede under the title; also the search and link-preview text. "
        "160 characters read best.",
    )
    meta_description = models.CharField(
        max_length=300,
        blank=True,
        help_text="For search results and link previews, when they should differ from the lede. "
        "160 characters read best.",
    )
    canonical_url = models.URLField(
        blank=True,
        help_text="Only for cross-posted articles: the address of the original, "
        "so search engines credit it.",
    )
    body = MarkdownxField(
        validators=[post_body_limit],
        help_text="Markdown. Start sections at ## (the title is the heading). "
        "Up to 200,000 characters.",
    )
    body_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Readers see the post from this moment. Leave empty to publish now.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="posts")
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts")
    featured_image = models.ImageField(
        upload_to=random_image_name,
        blank=True,
        # Stored, so pages can size the image without opening the file.
        width_field="featured_image_width",
        height_field="featured_image_height",
        validators=[validate_new_image],
        help_text="JPEG, PNG, WebP or GIF.",
    )
    featured_image_width = models.PositiveIntegerField(null=True, editable=False)
    featured_image_height = models.PositiveIntegerField(null=True, editable=False)
    featured_image_alt = models.CharField(
        max_length=200,
        blank=True,
        help_text="Describe the image for readers who cannot see it. Required with an image.",
    )
    featured_image_caption = models.CharField(
        "caption", max_length=300, blank=True, help_text="Optional; shown under the image."
    )
    featured_image_credit = models.CharField(
        "credit", max_length=200, blank=True, help_text='Optional, e.g. "Photo: Jane Doe".'
    )
    # Its responsive renditions, made on upload (blog.renditions), so pages open no file.
    featured_image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    social_card = models.ImageField(upload_to="cards/", blank=True, editable=False)
    # How often each word occurs (blog.related), kept so that finding related posts
    # never reads other posts' bodies; empty until the post is next saved.
    terms = models.JSONField(default=dict, blank=True, editable=False)
    word_count = models.PositiveIntegerField(default=0, editable=False)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    reading_time_breakdown = models.CharField(
        "how reading time was computed", max_length=300, blank=True, editable=False
    )
    show_toc = models.BooleanField(
        "show a table of contents",
        default=False,
        help_text="A list of the ## and ### headings above the body, "
        "for long posts with at least two sections.",
    )
    toc_html = models.TextField(blank=True, editable=False)
    keep_reading = models.ManyToManyField(
        "self",
        through="KeepReading",
        through_fields=("post", "target"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["slug"], name="post_slug_unique")]
        # Lists, feeds and "next post" filter on status and published_at and order by
        # -published_at, -pk: with the pk in the index, a page (even a deep one) reads
        # index entries in order, with no sort.
        indexes = [
            models.Index(fields=["status", "-published_at", "-id"], name="post_published_order")
        ]
        # Checked by the post admin (blog/admin_roles.py); granted by the roles in blog/roles.py.
        permissions = [
            ("publish_post", "Can publish posts it may change"),
            ("edit_others_posts", "Can edit other authors' posts"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.store_featured_image()
        # Without a featured image, the body's first image is the one a reader sees first.
        self.body_html, self.toc_html = render_article(
            self.body, lead_image=not self.featured_image
        )
        self.set_reading_time()
        self.terms = related.terms(self)
        super().save(*args, **kwargs)
        self.refresh_social_card()
        # Once committed, so the tags saved with the post count too. Robust: a failed
        # refresh is logged and leaves the old suggestions; it never fails the save.
        transaction.on_commit(partial(related.refresh_after_save, self.pk), robust=True)

    def get_absolute_url(self):
        return reverse("blog:post", kwargs={"slug": self.slug})

    def clean(self):
        if self.featured_image and not self.featured_image_alt.strip():
            raise ValidationError(
                {"featured_image_alt": "Describe the image: readers using screen readers need it."}
            )

    def store_featured_image(self):
        """Store a new featured image re-encoded, and make renditions of whatever image is set.

        Re-encoding applies the EXIF orientation and drops metadata (a phone photo's EXIF can
        say where it was taken); the extension follows the bytes, not the uploaded name.
        """
        image = self.featured_image
        if image and not image._committed:
            cleaned = clean_image_upload(image.file)
            image.save(cleaned.name, cleaned, save=False)
        if image.name != self.featured_image_renditions.get("name", ""):
            self.featured_image_renditions = make_renditions(image.name) if image else {}

    def refresh_social_card(self):
        """Draw the link-preview card again, once saved, when what it shows has changed.

        Drawing waits for the commit, so a save that is rolled back (a failed
        import, say) leaves no file behind.
        """
        if self.featured_image:
            return
        site = apps.get_model("pages", "SiteSettings").load()
        parts = (self.title, self.summary, site.site_name, self.author.initials)
        name = f"cards/{self.slug}-{social_cards.fingerprint(*parts)}.png"
        if self.social_card.name != name:
            transaction.on_commit(partial(draw_social_card, self.pk, name, parts))

    @property
    def share_image(self):
        """The image link previews show, with its size: the featured image, else the card."""
        if self.featured_image:
            return ShareImage(
                self.featured_image.url,
                self.featured_image_width,
                self.featured_image_height,
                self.featured_image_alt,
            )
        if self.social_card:
            return ShareImage(self.social_card.url, *social_cards.SIZE, self.title)
        return None

    @property
    def featured_picture(self):
        """The featured image with its renditions, for the {% picture %} tag."""
        if not self.featured_image:
            return None
        return Picture.from_renditions(
            self.featured_image_renditions,
            self.featured_image.url,
            self.featured_image_width,
            self.featured_image_height,
            self.featured_image_alt,
        )

    @property
    def summary(self):
        """What search results and link previews show."""
        return self.meta_description or self.description

    def measure_reading(self, faq=None):
        """The ``ReadingTime`` of what a reader reads: the body and the FAQ.

        ``faq`` is (question, answer_html) pairs; by default the saved ones, if any.
        """
        if faq is None:
            faq = self.faq_items.values_list("question", "answer_html") if self.pk else []
        fragments = [f"<p>{escape(question)}</p>{answer_html}" for question, answer_html in faq]
        return reading_time.measure(self.body_html, *fragments)

    def set_reading_time(self):
        reading = self.measure_reading()
        self.word_count = reading.word_count
        self.reading_minutes = reading.minutes
        self.reading_time_breakdown = reading.describe()

    def update_reading_stats(self):
        """Recount after the FAQ changed, without touching updated_at or the body."""
        self.set_reading_time()
        Post.objects.filter(pk=self.pk).update(
            word_count=self.word_count,
            reading_minutes=self.reading_minutes,
            reading_time_breakdown=self.reading_time_breakdown,
        )

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )


def draw_social_card(post_pk, name, parts):
    """Store a freshly drawn card for the post and drop the one it replaces."""
    post = Post.objects.filter(pk=post_pk).only("social_card").first()
    if post is None:
        return
    old = post.social_card.name
    default_storage.delete(name)  # a leftover from an interrupted run, if any
    saved = default_storage.save(name, ContentFile(social_cards.render_card(*parts)))
    Post.objects.filter(pk=post_pk).update(social_card=saved)
    # Drawn after the save's commit: pages cached since then name no card, or the old one.
    page_cache.content_changed()
    if old and old != saved:
        default_storage.delete(old)


class KeepReadingQuerySet(models.QuerySet):
    def curated(self):
        """The links the author chose, without the site's suggestions."""
        return self.filter(suggested=False)


class KeepReading(models.Model):
    """A link from one post to another, shown under the article in order.

    Authors curate them; the site also stores ``suggested`` ones (blog.related),
    shown only when a post has no curated link. Both live in one table so the
    article reads them in a single query.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="keep_reading_links")
    target = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    suggested = models.BooleanField(
        default=False, editable=False, help_text="Chosen by the site, not by the author."
    )

    objects = KeepReadingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "keep-reading link"
        constraints = [
            models.UniqueConstraint(
                fields=["post", "target"],
                condition=Q(suggested=False),
                name="keep_reading_unique",
            ),
            models.UniqueConstraint(
                fields=["post", "target"],
                condition=Q(suggested=True),
                name="keep_reading_suggestion_unique",
            ),
            models.CheckConstraint(condition=~Q(post=F("target")), name="keep_reading_not_self"),
        ]

    def __str__(self):
        return f"{self.post} → {self.target}"


class FAQItem(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="faq_items")
    question = models.CharField(max_length=300)
    answer = models.TextField(validators=[faq_answer_limit], help_text="Markdown.")
    answer_html = models.TextField(blank=True, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ item"

    def __str__(self):
        return self.question

    # The FAQ counts toward the post's reading time, so every change recounts it.
    def save(self, *args, **kwargs):
        self.answer_html = render_markdown(self.answer)
        super().save(*args, **kwargs)
        self.post.update_reading_stats()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.post.update_reading_stats()
        return result


class OldSlug(models.Model):
    """A slug something used to have; its old address answers with a redirect (blog.slugs)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    slug = models.SlugField(max_length=200, db_index=False)
    retired_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "slug"], name="old_slug_unique")
        ]

    def __str__(self):
        return self.slug


class BodyImage(models.Model):
    """An image uploaded through the editor for use in Markdown, with its renditions.

    Rendering looks these up by file name (one query per body) to turn the image into a
    responsive ``<picture>`` without opening a file.
    """

    name = models.CharField(max_length=255, unique=True, help_text="The file in media storage.")
    renditions = models.JSONField(default=dict)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name


# Pending drafts (blog.drafts) and tag listings (blog.listings) live in their own
# modules; imported here so Django registers them.
from .drafts import PostDraft  # noqa: E402, F401
from .listings import TagListing  # noqa: E402, F401
