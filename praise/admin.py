from django.contrib import admin

from core.images.admin_fields import IMAGE_FIELD_OVERRIDES
from core.ordering import SortableListAdminMixin

from .models import Testimonial


@admin.register(Testimonial)
class TestimonialAdmin(SortableListAdminMixin, admin.ModelAdmin):
    """Drag into order and feature straight from the list; the photo needs a description
    (see clean())."""

    list_display = ["name", "organisation", "featured", "position"]
    list_editable = ["featured", "position"]
    list_filter = ["featured"]
    search_fields = ["name", "role", "organisation", "quote"]
    fieldsets = [
        (None, {"fields": ["quote", "name", "role", "organisation"]}),
        ("Photo", {"fields": ["photo", "photo_alt"]}),
        ("Source", {"fields": ["source_url", "source_label"]}),
        ("Placement", {"fields": ["featured", "position"]}),
    ]
    formfield_overrides = IMAGE_FIELD_OVERRIDES
