"""Demo testimonials from demo/praise.yaml, for `manage.py setup_demo`."""

import yaml
from django.core.files.base import ContentFile
from django.db import transaction

from praise.models import Testimonial

# Gaps between positions let an author slot a new quote in without renumbering the rest.
POSITION_STEP = 10


def load(directory):
    """Add the demo testimonials, in file order, unless there are testimonials already."""
    if Testimonial.objects.exists():
        return "Testimonials already present; demo praise not loaded."
    entries = yaml.safe_load((directory / "praise.yaml").read_text())["testimonials"]
    with transaction.atomic():
        for index, fields in enumerate(entries, start=1):
            photo = fields.pop("photo", None)
            testimonial = Testimonial(position=index * POSITION_STEP, **fields)
            if photo:
                path = directory / "images" / "praise" / photo
                testimonial.photo = ContentFile(path.read_bytes(), name=path.name)
            testimonial.full_clean()  # the same rules as the admin: alt text, real images
            testimonial.save()
    return f"Loaded {len(entries)} demo testimonials."
