from django.contrib import admin, messages
from django.utils.html import format_html

from .export import enquiries_csv
from .models import BudgetRange, Enquiry, Need, RejectedSubmission


@admin.register(Enquiry)
class EnquiryAdmin(admin.ModelAdmin):
    """Enquiries arrive from the site; here they are read, marked handled and exported."""

    list_display = ["created_at", "name", "company", "need", "source", "notified", "handled"]
    list_display_links = ["created_at", "name"]
    list_filter = ["handled", "created_at", "need", "budget", "notification"]
    list_select_related = ["need", "budget"]
    search_fields = ["name", "email", "company", "message"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "created_at", "name", "email_link", "company", "need", "budget", "message", "source",
        "notification", "notified_at", "notification_error",
    ]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["created_at", "name", "email_link", "company", "need", "budget"]}),
        (None, {"fields": ["message", "source", "handled"]}),
        ("Email notification", {"fields": ["notification", "notified_at", "notification_error"]}),
    ]
    actions = ["mark_handled", "mark_unhandled", "export_csv"]

    def has_add_permission(self, request):
        return False  # enquiries come from the form on the site

    @admin.display(description="Email")
    def email_link(self, enquiry):
        return format_html('<a href="mailto:{}">{}</a>', enquiry.email, enquiry.email)

    @admin.display(description="Notified", boolean=True, ordering="notification")
    def notified(self, enquiry):
        # None (the "unknown" icon) when there was nobody to notify.
        if enquiry.notification == Enquiry.Notification.NOT_NEEDED:
            return None
        return enquiry.is_notified

    @admin.action(description="Mark selected enquiries as handled", permissions=["change"])
    def mark_handled(self, request, queryset):
        count = queryset.update(handled=True)
        self.message_user(request, f"Marked {count} as handled.", messages.SUCCESS)

    @admin.action(description="Mark selected enquiries as not handled", permissions=["change"])
    def mark_unhandled(self, request, queryset):
        count = queryset.update(handled=False)
        self.message_user(request, f"Marked {count} as not handled.", messages.SUCCESS)

    @admin.action(description="Export selected enquiries as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return enquiries_csv(queryset)


class ChoiceAdmin(admin.ModelAdmin):
    list_display = ["label", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["label"]


@admin.register(Need)
class NeedAdmin(ChoiceAdmin):
    pass


@admin.register(BudgetRange)
class BudgetRangeAdmin(ChoiceAdmin):
    pass


@admin.register(RejectedSubmission)
class RejectedSubmissionAdmin(admin.ModelAdmin):
    """Read-only: the spam defences keep this tally themselves."""

    list_display = ["day", "reason", "count"]
    list_filter = ["reason"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
