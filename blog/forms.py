"""The post admin's form: the pre-publish checks that must block, block publishing only."""

from django import forms

from .models import Post
from .prepublish import image_checks


class PostAdminForm(forms.ModelForm):
    """Drafts save whatever state they are in; a post saved as Published must pass.

    A title, a free slug and the featured image's description are enforced for
    every save by the model itself; images in the body need a description to publish.
    """

    # No Meta: the admin builds the form's model and fields from PostAdmin's fieldsets.

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Post.Status.PUBLISHED:
            for check in image_checks(cleaned.get("body", "")):
                self.add_error("body", f"{check.where}: {check.message}")
        return cleaned
