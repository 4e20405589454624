"""Emailing the author about an enquiry that is already stored, and recording how it went."""

import logging

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from pages.models import SiteSettings

from .models import Enquiry

logger = logging.getLogger("enquiries")

Notification = Enquiry.Notification


def notify_owner(enquiry):
    """Email the enquiry to the site's notification address; return the new notification state.

    Nothing the mail backend raises escapes: the failure is logged, kept on the enquiry
    for the admin, and `retry_enquiry_notifications` tries again later.
    """
    recipient = SiteSettings.load().notification_email
    if not recipient:
        return record(enquiry, Notification.NOT_NEEDED)
    try:
        notification_message(enquiry, recipient).send()
    except Exception as error:  # SMTP down, refused login, DNS, timeout: all the same to us
        logger.exception("Could not email enquiry %s to %s", enquiry.pk, recipient)
        return record(enquiry, Notification.FAILED, error=f"{type(error).__name__}: {error}")
    return record(enquiry, Notification.SENT, notified_at=timezone.now())


def notification_message(enquiry, recipient):
    subject = f"New enquiry from {enquiry.name}"
    if enquiry.need:
        subject += f": {enquiry.need}"
    body = render_to_string("enquiries/notification_email.txt", {"enquiry": enquiry})
    # Reply-To lets the author answer the visitor straight from the notification.
    return EmailMessage(subject, body, to=[recipient], reply_to=[enquiry.email])


def record(enquiry, state, notified_at=None, error=""):
    enquiry.notification = state
    enquiry.notified_at = notified_at
    enquiry.notification_error = error[:2000]
    enquiry.save(update_fields=["notification", "notified_at", "notification_error"])
    return state
