from django.contrib import admin, messages
from django.utils import timezone
from markdownx.admin import MarkdownxModelAdmin

from .models import Author, AuthorLink, FAQItem, KeepReading, Post, Tag


class AuthorLinkInline(admin.TabularInline):
    model = AuthorLink
    extra = 0
    fields = ["label", "url", "position"]


@admin.register(Author)
class AuthorAdmin(MarkdownxModelAdmin):
    list_display = ["name", "role", "slug"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorLinkInline]

    class Media:
        css = {"all": ["blog/editor.css"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    extra = 0
    fields = ["question", "answer", "position"]


class KeepReadingInline(admin.TabularInline):
    model = KeepReading
    fk_name = "post"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "position"]
    verbose_name_plural = "Keep reading (shown under the article, in this order)"


@admin.register(Post)
class PostAdmin(MarkdownxModelAdmin):
    list_display = ["title", "status", "published_at", "author", "reading_minutes"]
    list_filter = ["status", "published_at", "author", "tags"]
    search_fields = ["title", "description", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "tags"]
    list_select_related = ["author"]
    readonly_fields = ["word_count", "reading_minutes", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "tags"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        (
            "Search and sharing",
            {"fields": ["meta_description", "canonical_url"], "classes": ["collapse"]},
        ),
        ("Reading", {"fields": ["word_count", "reading_minutes", "updated_at"]}),
    ]
    inlines = [FAQItemInline, KeepReadingInline]
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["blog/editor.css"]}

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        author = Author.objects.filter(user=request.user).first()
        if author:
            initial.setdefault("author", author.pk)
        return initial

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The FAQ counts toward reading time, and inlines are saved after the post.
        form.instance.update_reading_stats()

    @admin.action(description="Publish selected posts (now, or at their scheduled time)")
    def publish(self, request, queryset):
        count = 0
        for post in queryset.exclude(status=Post.Status.PUBLISHED):
            post.status = Post.Status.PUBLISHED
            post.published_at = post.published_at or timezone.now()
            post.save()
            count += 1
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected posts (back to draft)")
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Post.Status.PUBLISHED).update(
            status=Post.Status.DRAFT, updated_at=timezone.now()
        )
        self.message_user(request, f"Moved {count} post(s) back to draft.", messages.SUCCESS)
