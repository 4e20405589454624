from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from core.images.admin_fields import IMAGE_FIELD_OVERRIDES
from core.ordering import SortableInlineMixin

from .models import NavItem, Service, SiteSettings, SocialProfile


class NavItemInline(SortableInlineMixin, admin.TabularInline):
    model = NavItem
    extra = 0
    fields = ["label", "url", "position"]
    verbose_name_plural = "Header navigation (in this order)"


class SocialProfileInline(SortableInlineMixin, admin.TabularInline):
    model = SocialProfile
    extra = 0
    fields = ["label", "url", "position"]
    verbose_name_plural = "Social profiles (footer and About page)"


class ServiceInline(SortableInlineMixin, admin.StackedInline):
    model = Service
    extra = 0
    fields = ["title", "summary", "position"]
    verbose_name_plural = "Services on the Work with me page (in this order)"


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    """One record: the list page goes straight to it, and it cannot be added or deleted."""

    fieldsets = [
        ("Identity", {"fields": ["site_name", "owner", "tagline", "introduction", "footer_text"]}),
        ("Call to action", {"fields": ["cta_label", "cta_url", "article_cta"]}),
        ("Work with me", {"fields": ["offer_title", "offer", "notification_email"]}),
        ("Link previews", {"fields": ["default_share_image", "default_share_image_alt"]}),
    ]
    inlines = [NavItemInline, SocialProfileInline, ServiceInline]
    formfield_overrides = IMAGE_FIELD_OVERRIDES
    autocomplete_fields = ["owner"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        SiteSettings.load()  # creates the record on a fresh site
        return redirect(reverse("admin:pages_sitesettings_change", args=[1]))
