from django.contrib import admin
from markdownx.admin import MarkdownxModelAdmin

from core.images.admin_fields import IMAGE_FIELD_OVERRIDES
from core.ordering import SortableInlineMixin, SortableListAdminMixin

from .models import Book, BuyLink


class BuyLinkInline(SortableInlineMixin, admin.TabularInline):
    model = BuyLink
    extra = 1
    fields = ["label", "url", "position"]
    verbose_name_plural = "Buy links (shown as buttons, in this order)"


@admin.register(Book)
class BookAdmin(SortableListAdminMixin, MarkdownxModelAdmin):
    """Books with their buy links, dragged into order in the list. A cover needs a
    description and an ISBN its check digit."""

    list_display = ["title", "published_on", "featured", "position"]
    list_editable = ["featured", "position"]
    list_filter = ["featured"]
    search_fields = ["title", "subtitle", "summary", "description", "isbn"]
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "subtitle", "slug", "summary", "description"]}),
        ("Cover", {"fields": ["cover", "cover_alt"]}),
        ("Publication", {"fields": ["published_on", "isbn"]}),
        ("Placement", {"fields": ["featured", "position"]}),
    ]
    inlines = [BuyLinkInline]
    formfield_overrides = {**MarkdownxModelAdmin.formfield_overrides, **IMAGE_FIELD_OVERRIDES}

    class Media:
        css = {"all": ["blog/editor.css", "blog/editor-toolbar.css"]}
        js = ["blog/editor-images.js", "blog/editor-toolbar.js", "blog/editor-keys.js"]
