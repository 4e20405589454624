"""The media library in the admin: every editor upload, its description and where it is used.

The list shows each image's smallest rendition, size and uses in a fixed number of queries
(uses are stored, ``blog.media.record_uses``; one prefetch for the page). Deleting an image
that is used names the pages it would disappear from first.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected
from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, Prefetch
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from core.images.uploads import ImageUploadField

from .. import media
from ..models import BodyImage, ImageUse


class UsageFilter(admin.SimpleListFilter):
    title = "usage"
    parameter_name = "usage"

    def lookups(self, request, model_admin):
        return [("used", "Used"), ("unused", "Not used")]

    def queryset(self, request, queryset):
        used = Exists(ImageUse.objects.filter(image=OuterRef("pk")))
        match self.value():
            case "used":
                return queryset.filter(used)
            case "unused":
                return queryset.filter(~used)
        return queryset


class AddImageForm(forms.ModelForm):
    """A new library image: the file (checked like every upload) and its description."""

    file = ImageUploadField(
        label="Image", help_text="A JPEG, PNG, WebP or GIF; it is stored re-encoded."
    )

    class Meta:
        model = BodyImage
        fields = ["file", "alt", "caption", "credit"]

    def save(self, commit=True):
        """The library's image for the file (``media.add_upload``: a copy already held is
        reused, ``self.reused``), its blank descriptions filled from the form."""
        image, self.reused = media.add_upload(self.cleaned_data["file"])
        for field in ["alt", "caption", "credit"]:
            value = self.cleaned_data[field]
            if field == "alt":
                value = media.usable_alt(value)
            if value and not getattr(image, field):
                setattr(image, field, value)
        self.instance = image
        self.save_m2m = lambda: None  # the form has no many-to-many fields
        if commit:
            image.save()
        return image


def change_url(use):
    """The admin page of the object a use belongs to; None when the admin has none."""
    content_type = use.content_type
    try:
        return reverse(
            f"admin:{content_type.app_label}_{content_type.model}_change", args=[use.object_id]
        )
    except NoReverseMatch:
        return None


def uses_html(uses):
    if not uses:
        return "Not used"
    return format_html(
        '<ul class="media-uses">{}</ul>',
        format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    format_html('<a href="{}">{}</a>', url, use)
                    if (url := change_url(use))
                    else str(use),
                )
                for use in uses
            ),
        ),
    )


def in_use(images):
    """``[(image, [(use, change url), ...]), ...]`` for the images that are used."""
    uses = ImageUse.objects.filter(image__in=images).select_related("content_type", "image")
    found = {}
    for use in uses.order_by("image_id", "label"):
        found.setdefault(use.image, []).append((use, change_url(use)))
    return list(found.items())


@admin.register(BodyImage)
class BodyImageAdmin(admin.ModelAdmin):
    # The name first: the row's header cell, and the link to the image (a thumbnail with
    # alt="" would be an empty header and a link without a name).
    list_display = ["file_name", "thumbnail", "alt_text", "measurements", "used_in"]
    list_filter = [UsageFilter, "uploaded_at"]
    search_fields = ["name", "alt", "caption"]
    list_per_page = 50
    fields = [
        "preview",
        "alt",
        "caption",
        "credit",
        "markdown",
        "dimensions",
        "size",
        "uploaded_at",
        "used_in",
    ]
    readonly_fields = ["preview", "markdown", "dimensions", "size", "uploaded_at", "used_in"]
    actions = ["delete_selected"]

    class Media:
        css = {"all": ["blog/media-library.css"]}

    def get_queryset(self, request):
        uses = ImageUse.objects.select_related("content_type").order_by("label")
        return super().get_queryset(request).prefetch_related(Prefetch("uses", queryset=uses))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AddImageForm
            kwargs["fields"] = ["file", "alt", "caption", "credit"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["file", "alt", "caption", "credit"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        obj.alt = media.usable_alt(obj.alt)
        obj.save()
        if getattr(form, "reused", False):
            messages.warning(
                request,
                f"This image was already in the library as “{obj}” (uploaded "
                f"{date_format(obj.uploaded_at, 'DATE_FORMAT')}): it was not stored twice.",
            )

    # --- columns and fields -------------------------------------------------------------

    @admin.display(description="File, uploaded", ordering="uploaded_at")
    def file_name(self, image):
        # Random names (32 hex digits) are told apart by their start; the whole one is in the
        # change form and the title. The date shares the column so the list fits a laptop.
        name = str(image)
        stem, dot, extension = name.rpartition(".")
        short = f"{stem[:8]}…{dot}{extension}" if len(stem) > 12 else name
        return format_html(
            '<span title="{}">{}</span> <span class="media-uploaded">{}</span>',
            name,
            short,
            self.uploaded(image),
        )

    @admin.display(description="Size", ordering="file_size")
    def measurements(self, image):
        return format_html(
            '<span class="media-size">{}</span> <span class="media-size">{}</span>',
            self.dimensions(image),
            self.size(image),
        )

    @admin.display(description="Alt text", ordering="alt")
    def alt_text(self, image):
        return image.alt or format_html('<span class="media-missing">{}</span>', "No alt text")

    @admin.display(description="Image")
    def thumbnail(self, image):
        width, height = 72, 48
        if image.width and image.height:
            height = max(1, round(width * image.height / image.width))
        return format_html(
            '<img class="media-thumb" src="{}" alt="" width="{}" height="{}" loading="lazy">',
            default_storage.url(image.thumbnail_name),
            width,
            height,
        )

    @admin.display(description="Preview")
    def preview(self, image):
        return format_html(
            '<img class="media-preview" src="{}" alt="{}" width="{}" height="{}">',
            image.url,
            image.alt,
            image.width or "",
            image.height or "",
        )

    @admin.display(description="Markdown")
    def markdown(self, image):
        return format_html("<code>{}</code>", media.markdown_for(image))

    @admin.display(description="Dimensions")
    def dimensions(self, image):
        if image.width and image.height:
            return f"{image.width}×{image.height} px"
        return "—"

    @admin.display(description="Size", ordering="file_size")
    def size(self, image):
        if image.file_size is None:
            return "—"
        return f"{image.file_size / 1024:,.0f} KB" if image.file_size >= 1024 else "1 KB"

    @admin.display(description="Uploaded", ordering="uploaded_at")
    def uploaded(self, image):
        return date_format(image.uploaded_at, "DATE_FORMAT")

    @admin.display(description="Used in")
    def used_in(self, image):
        return uses_html(list(image.uses.all()))

    # --- deleting -----------------------------------------------------------------------

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, admin.utils.unquote(object_id))
        extra_context = {**(extra_context or {}), "in_use": in_use([image] if image else [])}
        return super().delete_view(request, object_id, extra_context)

    @admin.action(permissions=["delete"], description="Delete selected images")
    def delete_selected(self, request, queryset):
        response = delete_selected(self, request, queryset)
        if isinstance(response, TemplateResponse):
            response.context_data["in_use"] = in_use(queryset)
        return response
