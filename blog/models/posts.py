"""Posts, their FAQ and their "keep reading" links."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from markdownx.models import MarkdownxField

from core.images.pictures import Picture
from core.images.renditions import make_renditions
from core.images.uploads import clean_image_upload, random_image_name, validate_new_image
from core.limits import faq_answer_limit, post_body_limit

from .authors import Author
from .tags import Tag


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


PUBLISHED = Status.PUBLISHED


# The publishing rule, the one place it is written. A row is visible to readers when it
# is published and its moment has come; Post and TagListing (a copy of the two fields)
# both filter with it.


def visible_to_readers(now=None):
    """The publishing rule as a filter on ``status`` and ``published_at``."""
    return Q(status=PUBLISHED, published_at__lte=now or timezone.now())


def is_visible(status, published_at, now=None):
    """The publishing rule for one row already in memory."""
    return (
        status == PUBLISHED and published_at is not None and published_at <= (now or timezone.now())
    )


class PostQuerySet(models.QuerySet):
    def published(self):
        """Posts readers may see: published, and not scheduled for later."""
        return self.filter(visible_to_readers())

    def scheduled(self):
        """Published posts whose moment is still to come."""
        return self.filter(status=PUBLISHED, published_at__gt=timezone.now())

    def published_or_scheduled(self):
        """Posts meant for readers, now or later (never drafts)."""
        return self.filter(status=PUBLISHED)


class Post(models.Model):
    Status = Status

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
    # Its responsive renditions, made on upload (core.images.renditions), so pages open no file.
    featured_image_renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Made on save; manage.py make_renditions finds them here to make missing ones.
    RENDITION_FIELDS = {"featured_image": "featured_image_renditions"}
    # How often each word occurs (blog.suggestions), kept so that finding related posts
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
        # Checked by the post admin (blog/admin/roles.py); granted by the roles in blog/roles.py.
        permissions = [
            ("publish_post", "Can publish posts it may change"),
            ("edit_others_posts", "Can edit other authors' posts"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Store the post, with a publication date when published and a cleaned image.

        Everything else a save changes is done by the signal handlers that own it:
        what the post derives from its text (blog.derivation, on pre_save) and what
        follows (suggestions, tag listings, the next scheduled moment) in
        blog/signals.py, the search index in search/signals.py, the page cache in
        core/signals.py.
        """
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        self.store_featured_image()
        super().save(*args, **kwargs)

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

    @property
    def is_public(self):
        """Whether readers see this post now."""
        return is_visible(self.status, self.published_at)


class KeepReadingQuerySet(models.QuerySet):
    def curated(self):
        """The links the author chose, without the site's suggestions."""
        return self.filter(suggested=False)


class KeepReading(models.Model):
    """A link from one post to another, shown under the article in order.

    Authors curate them; the site also stores ``suggested`` ones (blog.suggestions),
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
            models.CheckConstraint(
                condition=~Q(post=F("target")),
                name="keep_reading_not_self",
                violation_error_message="A post cannot be its own keep-reading link.",
            ),
        ]

    def __str__(self):
        return f"{self.post} → {self.target}"


class FAQItem(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="faq_items")
    question = models.CharField(max_length=300)
    answer = models.TextField(validators=[faq_answer_limit], help_text="Markdown.")
    answer_html = models.TextField(blank=True, editable=False)
    # Rendered on save; blog.rerendering finds them here to render them again.
    RENDERED_FIELDS = {"answer": "answer_html"}
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "FAQ item"

    def __str__(self):
        return self.question

    # blog/signals.py renders the answer on pre_save, and recounts the post's reading
    # time (the FAQ counts toward it) after every save and delete.
