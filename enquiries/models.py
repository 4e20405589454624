"""Enquiries from the Work with me page, the choices the form offers, and the spam tally."""

from django.db import models
from django.db.models import F
from django.utils import timezone


class ChoiceQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Choice(models.Model):
    """An option of the enquiry form that the author edits, orders and retires in the admin."""

    label = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    active = models.BooleanField(
        default=True,
        help_text="Untick to stop offering it; enquiries that chose it keep it.",
    )

    objects = ChoiceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self):
        return self.label


class Need(Choice):
    """What a visitor needs help with: "Hiring AI engineers", "Advisory retainer"…"""

    class Meta(Choice.Meta):
        verbose_name = "need"


class BudgetRange(Choice):
    """A rough budget a visitor may pick: "Under €5k", "€5k–€15k"…"""

    class Meta(Choice.Meta):
        verbose_name = "budget range"


class Enquiry(models.Model):
    """One message from the form, stored before anyone is emailed about it."""

    class Notification(models.TextChoices):
        PENDING = "pending", "Not sent yet"
        SENT = "sent", "Sent"
        FAILED = "failed", "Sending failed"
        NOT_NEEDED = "not_needed", "Not needed (no notification email set)"

    name = models.CharField(max_length=120)
    email = models.EmailField()
    company = models.CharField(max_length=120, blank=True)
    # PROTECT: a choice that enquiries used is retired with "active", never deleted,
    # so old enquiries still say what the visitor asked for. Empty only while the
    # author has not set up any needs (the form then leaves the question out).
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, null=True, blank=True, related_name="enquiries"
    )
    budget = models.ForeignKey(
        BudgetRange,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiries",
    )
    message = models.TextField()
    source = models.CharField(
        "came from",
        max_length=100,
        blank=True,
        help_text="The article slug or page (?from=), else the referring path or site.",
    )
    created_at = models.DateTimeField("received", default=timezone.now, editable=False)
    handled = models.BooleanField(default=False, help_text="Tick once you have replied.")
    notification = models.CharField(
        "email notification",
        max_length=20,
        choices=Notification,
        default=Notification.PENDING,
        editable=False,
    )
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    notification_error = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "enquiries"
        indexes = [models.Index(fields=["notification"])]

    def __str__(self):
        return f"{self.name} ({timezone.localdate(self.created_at):%Y-%m-%d})"

    @property
    def is_notified(self):
        return self.notification == self.Notification.SENT


class RejectedSubmission(models.Model):
    """How many submissions a spam defence turned away, per day and reason. Nothing else is kept."""

    class Reason(models.TextChoices):
        HONEYPOT = "honeypot", "Filled in the hidden field"
        TOO_FAST = "too_fast", "Sent too soon after loading"
        BAD_TIMESTAMP = "bad_timestamp", "Missing or tampered timestamp"
        RATE_LIMITED = "rate_limited", "Too many from one address"

    day = models.DateField()
    reason = models.CharField(max_length=20, choices=Reason)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "reason"]
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="one_rejection_count_a_day")
        ]

    def __str__(self):
        return f"{self.get_reason_display()} on {self.day}: {self.count}"

    @classmethod
    def record(cls, reason):
        """Count one rejection today; F() keeps concurrent requests from losing counts."""
        tally, created = cls.objects.get_or_create(
            day=timezone.localdate(), reason=reason, defaults={"count": 1}
        )
        if not created:
            cls.objects.filter(pk=tally.pk).update(count=F("count") + 1)
