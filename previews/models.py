"""Share a draft: signed, expiring, revocable links that show a post to anyone who has one."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models
from django.urls import reverse
from django.utils import timezone

# Keeps these signatures from being valid anywhere else the secret key signs.
SIGNING_SALT = "previews.PreviewLink"
DEFAULT_LIFETIME_DAYS = 7
LIFETIME_CHOICES = [(1, "1 day"), (3, "3 days"), (7, "7 days"), (14, "14 days"), (30, "30 days")]


class PreviewLinkQuerySet(models.QuerySet):
    def active(self):
        """Links that still open their post: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLink(models.Model):
    """One shared link to a post as last saved. The URL carries a signed id, not a secret."""

    post = models.ForeignKey("blog.Post", on_delete=models.CASCADE, related_name="preview_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Preview of {self.post}"

    def get_absolute_url(self):
        return reverse("previews:post", kwargs={"token": self.token})

    @classmethod
    def create_for(cls, post, user=None, days=DEFAULT_LIFETIME_DAYS):
        return cls.objects.create(
            post=post, created_by=user, expires_at=timezone.now() + timedelta(days=days)
        )

    @property
    def token(self):
        return signing.Signer(salt=SIGNING_SALT).sign(str(self.pk))

    @classmethod
    def from_token(cls, token):
        """The link a token names, or None when the signature is wrong or the link is gone."""
        try:
            pk = int(signing.Signer(salt=SIGNING_SALT).unsign(token))
        except (signing.BadSignature, ValueError):
            return None
        return cls.objects.filter(pk=pk).first()

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self):
        return self.revoked_at is not None
