from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from markdownx.admin import MarkdownxModelAdmin

from .admin_workflow import PostWorkflowAdmin
from .link_check import LinkChecker, posts_with_broken_links
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
class PostAdmin(PostWorkflowAdmin, MarkdownxModelAdmin):
    list_display = ["title", "status", "published_at", "author", "reading_minutes"]
    list_filter = ["status", "published_at", "author", "tags"]
    search_fields = ["title", "description", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "tags"]
    list_select_related = ["author"]
    readonly_fields = ["word_count", "reading_minutes", "updated_at", "internal_links"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "body"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "tags"]}),
        ("Featured image", {"fields": ["featured_image", "featured_image_alt"]}),
        (
            "Search and sharing",
            {"fields": ["meta_description", "canonical_url"], "classes": ["collapse"]},
        ),
        ("Reading", {"fields": ["word_count", "reading_minutes", "updated_at"]}),
        ("Links", {"fields": ["internal_links"]}),
    ]
    inlines = [FAQItemInline, KeepReadingInline]
    actions = ["publish", "unpublish"]

    class Media:
        css = {"all": ["blog/editor.css"]}

    change_list_template = "admin/blog/post/change_list.html"

    @admin.display(description="Links to this site")
    def internal_links(self, post):
        if not post.pk:
            return "Checked after the first save."
        problems = LinkChecker().problems(post.body_html)
        if not problems:
            return "Every link to a post or book on this site works."
        return format_html_join(mark_safe("<br>"), "⚠ {}", ((problem,) for problem in problems))

    def get_urls(self):
        report = self.admin_site.admin_view(self.broken_links_view)
        return [path("broken-links/", report, name="blog_post_broken_links"), *super().get_urls()]

    def broken_links_view(self, request):
        context = {
            **self.admin_site.each_context(request),
            "title": "Broken internal links",
            "opts": self.model._meta,
            "rows": list(posts_with_broken_links()),
        }
        return TemplateResponse(request, "admin/blog/post/broken_links.html", context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        author = Author.objects.filter(user=request.user).first()
        if author:
            initial.setdefault("author", author.pk)
        return initial

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
