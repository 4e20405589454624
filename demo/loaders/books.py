"""Demo books from demo/books.yaml, for `manage.py setup_demo`."""

import yaml
from django.core.files.base import ContentFile
from django.db import transaction

from books.models import Book, BuyLink

# Gaps between positions let an author slot a new book in without renumbering the rest.
POSITION_STEP = 10


def load(directory):
    """Add the demo books with their covers and buy links, unless there are books already."""
    if Book.objects.exists():
        return "Books already present; demo books not loaded."
    entries = yaml.safe_load((directory / "books.yaml").read_text())["books"]
    with transaction.atomic():
        for index, fields in enumerate(entries, start=1):
            buy_links = fields.pop("buy_links", [])
            cover = fields.pop("cover", None)
            book = Book(position=index * POSITION_STEP, **fields)
            if cover:
                path = directory / "images" / "books" / cover
                book.cover = ContentFile(path.read_bytes(), name=path.name)
            book.full_clean()  # the admin's rules: cover description, ISBN check digit, images
            book.save()
            for position, fields in enumerate(buy_links):
                link = BuyLink(book=book, position=position * POSITION_STEP, **fields)
                link.full_clean()
                link.save()
    return f"Loaded {len(entries)} demo books."
