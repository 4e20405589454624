"""An image chosen in a form survives the form coming back with an error elsewhere.

A browser cannot refill a file input, so a featured image chosen alongside a title too
long was silently dropped: the author saw the error, fixed the title, saved, and had no
image. When a form with errors is shown again holding a new upload, the widget stores
the (already re-encoded) file under ``kept-uploads/`` in media storage and sends back a
signed note of its name; the next submission without a new file uses the kept one. The
signature means a form can only name a file this site kept for it, for a day.

Kept files nothing claimed are left in ``kept-uploads/``; docs/operations.md says they
may be deleted after a day.
"""

from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from .uploads import CleanImage, clean

FOLDER = "kept-uploads"
SALT = "core.images.kept_uploads"
MAX_AGE = 24 * 60 * 60


def keep(upload):
    """Store ``upload`` re-encoded; the signed value that brings it back.

    None when the upload is itself what was wrong (not an image, too big): nothing to keep.
    Checking it again costs nothing, the form's validation already did it.
    """
    try:
        image = clean(upload)
    except ValidationError:
        return None
    cleaned = image.as_upload()
    name = default_storage.save(f"{FOLDER}/{cleaned.name}", cleaned)
    # What the check found travels with the name, so the kept file is not decoded again.
    described = {
        "format": image.format,
        "width": image.width,
        "height": image.height,
        "frames": image.frames,
    }
    return signing.dumps({"name": name, "shown": upload.name, "image": described}, salt=SALT)


def kept_picture(value):
    """(name, width, height) of the upload a signed value names, without reading the file
    (the editor's preview shows it); None when it is not one this site kept."""
    try:
        note = signing.loads(value, salt=SALT, max_age=MAX_AGE)
        name, described = note["name"], note["image"]
        size = (int(described["width"]), int(described["height"]))
    except (signing.BadSignature, TypeError, KeyError, ValueError):
        return None
    if not name.startswith(f"{FOLDER}/") or not default_storage.exists(name):
        return None
    return (name, *size)


def kept(value):
    """The upload a signed value names, or None when it is not one this site kept."""
    try:
        note = signing.loads(value, salt=SALT, max_age=MAX_AGE)
        name, described = note["name"], note["image"]
    except (signing.BadSignature, TypeError, KeyError):
        return None
    if not name.startswith(f"{FOLDER}/") or not default_storage.exists(name):
        return None
    with default_storage.open(name) as stored:
        data = stored.read()
    upload = SimpleUploadedFile(note.get("shown") or name, data)
    # Already re-encoded when kept (the signature vouches for the description).
    upload.clean_image = CleanImage(data=data, **described)
    return upload


class KeptImageInput(AdminFileWidget):
    """The admin's file input, plus the upload kept from the last submission."""

    template_name = "admin/widgets/kept_file_input.html"
    # A <label for> names the file input; Django's fieldset and legend do not (axe-core:
    # "Form elements must have labels"). "Clear" keeps its own label.
    use_fieldset = False

    def kept_name(self, name):
        return f"{name}-kept"

    uploaded = None  # this form's new upload (each form has its own copy of the widget)

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        if upload is None and data.get(self.kept_name(name)):
            upload = kept(data[self.kept_name(name)])
            if upload is not None:
                upload.signed = data[self.kept_name(name)]  # shown again, kept once
        if isinstance(upload, UploadedFile):
            self.uploaded = upload
        return upload

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and (
            self.kept_name(name) not in data
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # A form holding a new upload is shown again only when it had an error somewhere.
        # (Django shows a file field's stored value, never the upload, so it is read here.)
        if self.uploaded is not None:
            signed = getattr(self.uploaded, "signed", None) or keep(self.uploaded)
            if signed:
                context["widget"]["kept"] = {"name": self.kept_name(name), "value": signed}
                context["widget"]["kept_shown"] = self.uploaded.name
        return context
