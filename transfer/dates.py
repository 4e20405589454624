"""Dates as exports write them, read as aware datetimes that keep the offset given."""

import datetime


def iso_datetime(value):
    """``2023-01-10T12:00:00.000Z``, ``2023-01-10T14:00:00+02:00`` or epoch milliseconds
    (Ghost 1) as an aware datetime; a time with no offset is UTC; None when empty or unreadable.
    """
    if value in (None, ""):
        return None
    if isinstance(value, int | float):
        return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.UTC)
    try:
        when = datetime.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.UTC)
