"""Spam defences that need no third-party script: a honeypot, a minimum fill time and a rate limit.

CSRF is Django's own. A rejected submission is answered exactly like a real one, so a
bot learns nothing, and only counted (``RejectedSubmission``), never stored.
"""

import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from .models import RejectedSubmission

Reason = RejectedSubmission.Reason

HONEYPOT_FIELD = "website"
TIMESTAMP_FIELD = "started_at"
# People take far longer than this to type a name, an email and a message; scripts don't.
MIN_FILL_SECONDS = 3
# A start time vouches for the form this long: without a limit, a script that waited
# MIN_FILL_SECONDS once could post with the same value for ever. A person whose tab was
# open longer gets the form back, as typed, with a new start time (FormExpired).
MAX_FORM_AGE_SECONDS = 3 * 60 * 60
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 60 * 60
SALT = "enquiries.started_at"


def sign_started_at(timestamp):
    """The value of the hidden field that says when the form was shown (seconds since epoch)."""
    return signing.dumps(timestamp, salt=SALT)


def sign_filled_in():
    """A start time for a form sent back to a visitor who already filled it in: it lets
    them send it again at once, as they did not wait for a fresh page. Only a start time
    older than MAX_FORM_AGE_SECONDS earns one, so a script gains no time by it."""
    return sign_started_at(time.time() - MIN_FILL_SECONDS)


class FormExpired(Exception):
    """The form was shown more than MAX_FORM_AGE_SECONDS ago: not proof of a script,
    but its start time no longer vouches for it."""


def started_at(value):
    """The signed timestamp as a number, or None when it is missing or tampered with.

    Raises FormExpired when it was signed more than MAX_FORM_AGE_SECONDS ago.
    """
    try:
        timestamp = signing.loads(value or "", salt=SALT, max_age=MAX_FORM_AGE_SECONDS)
    except signing.SignatureExpired:
        raise FormExpired from None
    except signing.BadSignature:
        return None
    return timestamp if isinstance(timestamp, int | float) else None


def rejection_reason(data):
    """Why the posted form looks automated (a ``Reason``), or None if it looks human.

    Raises FormExpired for a form shown too long ago (and not caught by the honeypot).
    """
    if data.get(HONEYPOT_FIELD):
        return Reason.HONEYPOT
    shown_at = started_at(data.get(TIMESTAMP_FIELD))
    if shown_at is None:
        return Reason.BAD_TIMESTAMP
    if time.time() - shown_at < MIN_FILL_SECONDS:
        return Reason.TOO_FAST
    return None


def client_ip(request):
    """The visitor's address: REMOTE_ADDR, or a header set by a trusted reverse proxy.

    Behind a proxy every request comes from the proxy's address, so the operator names
    the header it sets (ENQUIRIES_CLIENT_IP_HEADER, e.g. "HTTP_X_REAL_IP"). Only the
    last address of a list is used: earlier ones were written by the client.
    """
    header = getattr(settings, "ENQUIRIES_CLIENT_IP_HEADER", "")
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def over_rate_limit(request):
    """Count this submission against the visitor's hourly allowance; True once it is spent."""
    key = f"enquiries:rate:{client_ip(request)}"
    if cache.add(key, 1, timeout=RATE_WINDOW_SECONDS):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=RATE_WINDOW_SECONDS)
        count = 1
    return count > RATE_LIMIT
