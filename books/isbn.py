"""ISBN checks: ISBN-10 and ISBN-13 check digits, with the hyphens and spaces people type."""

import re

from django.core.exceptions import ValidationError

_SEPARATORS = re.compile(r"[\s-]+")
_ISBN10 = re.compile(r"\d{9}[\dX]")
_ISBN13 = re.compile(r"97[89]\d{10}")


def compact_isbn(value):
    """The ISBN without hyphens or spaces, as catalogues and structured data want it."""
    return _SEPARATORS.sub("", value or "").upper()


def isbn_checksum_ok(digits):
    """Whether a compact ISBN-10 or ISBN-13's last digit matches the others."""
    if _ISBN10.fullmatch(digits):
        values = [10 if char == "X" else int(char) for char in digits]
        return sum((10 - index) * value for index, value in enumerate(values)) % 11 == 0
    if _ISBN13.fullmatch(digits):
        return (
            sum(int(char) * (3 if index % 2 else 1) for index, char in enumerate(digits)) % 10 == 0
        )
    return False


def validate_isbn(value):
    """Model-field validator with a message that says what to fix."""
    digits = compact_isbn(value)
    if not re.fullmatch(r"\d*X?", digits) or (len(digits) == 13 and digits.endswith("X")):
        raise ValidationError(
            "An ISBN has only digits, hyphens and spaces (an ISBN-10 may end in X).",
            code="isbn_characters",
        )
    if len(digits) not in (10, 13):
        raise ValidationError(
            "An ISBN has 10 or 13 digits, not counting hyphens and spaces; this one has %(count)s.",
            code="isbn_length",
            params={"count": len(digits)},
        )
    if len(digits) == 13 and not _ISBN13.fullmatch(digits):
        raise ValidationError("A 13-digit ISBN starts with 978 or 979.", code="isbn_prefix")
    if not isbn_checksum_ok(digits):
        raise ValidationError(
            "This ISBN's check digit (the last one) does not match the others: look for a "
            "mistyped or swapped digit. Copy it from the book's copyright page.",
            code="isbn_checksum",
        )
