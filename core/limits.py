"""How long author text may be: one place for the numbers, the validators and the messages.

The limits are far above anything a real post needs (the longest essay on the demo site is
about 6,000 words, some 40,000 characters); they are there so a paste gone wrong or a
hostile request cannot make every render, search index update and page view slow.
docs/authoring.md lists them under "Limits".
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible

POST_BODY_MAX_CHARS = 200_000  # about 30,000 words
FAQ_ANSWER_MAX_CHARS = 10_000
BIO_MAX_CHARS = 10_000
PAGE_TEXT_MAX_CHARS = 20_000  # book descriptions, the home introduction, the offer, services
QUOTE_MAX_CHARS = 5_000


@deconstructible
class MaxCharacters(MaxLengthValidator):
    """A maximum length with a message that says the limit and the length in a readable way."""

    def __init__(self, limit_value, hint=""):
        self.hint = hint
        super().__init__(limit_value)

    def __call__(self, value):
        length = self.clean(value)
        if length > self.limit_value:
            raise ValidationError(
                f"This is {length:,} characters long; the limit is {self.limit_value:,}."
                + (f" {self.hint}" if self.hint else ""),
                code="max_length",
            )


post_body_limit = MaxCharacters(
    POST_BODY_MAX_CHARS, "Split it into a series of posts, or move long listings to a linked page."
)
faq_answer_limit = MaxCharacters(FAQ_ANSWER_MAX_CHARS, "Keep answers short; link to more.")
bio_limit = MaxCharacters(BIO_MAX_CHARS)
page_text_limit = MaxCharacters(PAGE_TEXT_MAX_CHARS)
quote_limit = MaxCharacters(QUOTE_MAX_CHARS, "Quote the part that matters; link to the rest.")
