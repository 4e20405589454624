"""What every admin form with an image field uses instead of Django's defaults.

Our checks and messages (``uploads.ImageUploadField``), and a chosen image kept when the
form comes back with an error elsewhere (``kept_uploads.KeptImageInput``).
"""

from django.db import models

from .kept_uploads import KeptImageInput
from .uploads import ImageUploadField

IMAGE_FIELD_OVERRIDES = {
    models.ImageField: {"form_class": ImageUploadField, "widget": KeptImageInput}
}
