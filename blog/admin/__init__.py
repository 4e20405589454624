import re
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, When
from django.forms.models import BaseInlineFormSet
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from markdownx.admin import MarkdownxModelAdmin

from core.images.admin_fields import IMAGE_FIELD_OVERRIDES
from core.ordering import SortableInlineMixin

from .. import suggestions
from ..link_check import posts_with_broken_links
from ..models import Author, AuthorLink, FAQItem, KeepReading, Post, Tag
from ..prepublish import CheckedPost, run_checks
from . import media  # noqa: F401 - registers the media library (BodyImage)
from .prepublish import PrepublishAdminMixin
from .preview import PreviewAdminMixin
from .roles import PostRolesAdminMixin
from .statusbar import PostStatusBarAdmin
from .workflow import PostWorkflowAdmin, saving_draft


class AuthorLinkInline(SortableInlineMixin, admin.TabularInline):
    model = AuthorLink
    extra = 0
    fields = ["label", "url", "position"]


@admin.register(Author)
class AuthorAdmin(MarkdownxModelAdmin):
    list_display = ["name", "role", "slug"]
    search_fields = ["name", "role"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AuthorLinkInline]
    formfield_overrides = {**MarkdownxModelAdmin.formfield_overrides, **IMAGE_FIELD_OVERRIDES}

    class Media:
        css = {"all": ["blog/editor.css", "blog/editor-toolbar.css", "blog/media-library.css"]}
        js = [
            "blog/editor-images.js",
            "blog/editor-toolbar.js",
            "blog/editor-keys.js",
            "blog/media-library.js",
        ]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class FAQItemInline(SortableInlineMixin, admin.StackedInline):  # dragged into order
    model = FAQItem
    extra = 0
    fields = ["question", "answer", "position"]


def scheduled_for(post):
    """When a scheduled post goes live, as the admin shows dates; None if it is not scheduled."""
    if post.status == Post.Status.PUBLISHED and not post.is_public:
        return date_format(timezone.localtime(post.published_at), "DATETIME_FORMAT")
    return None


class PublicationFilter(admin.SimpleListFilter):
    """Draft, scheduled or live: what readers see, which the status alone does not say."""

    title = "status"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("live", "Published (live)")]

    def queryset(self, request, queryset):
        match self.value():
            case "draft":
                return queryset.filter(status=Post.Status.DRAFT)
            case "scheduled":
                return queryset.scheduled()
            case "live":
                return queryset.published()
        return queryset


class KeepReadingFormSet(BaseInlineFormSet):
    """keep_reading_unique told beside the row that breaks it.

    It would otherwise surface as an IntegrityError, a 500 that rolls the whole save back:
    the model form cannot check a constraint on ``suggested``, a field it does not show,
    nor compare two new rows. (keep_reading_not_self the model form checks itself.)
    """

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            target = form.cleaned_data.get("target")
            if target is None:
                continue
            if target.pk in seen:
                form.add_error(
                    "target", f"“{target.title}” is already in this list; remove one of the two."
                )
            seen.add(target.pk)


# The change page the autocomplete request came from: its post is not a choice.
EDITED_POST = re.compile(r"/blog/post/(?P<pk>\d+)/change/$")


def is_keep_reading_picker(request):
    """Whether this is the autocomplete of a keep-reading link's target."""
    return (request.GET.get("model_name"), request.GET.get("field_name")) == (
        "keepreading",
        "target",
    )


class KeepReadingInline(SortableInlineMixin, admin.TabularInline):  # dragged into order
    model = KeepReading
    formset = KeepReadingFormSet
    fk_name = "post"
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "position"]
    verbose_name_plural = (
        "Keep reading (shown under the article, in this order; "
        "with none, the site suggests up to three related posts)"
    )

    def get_queryset(self, request):
        # The site's own suggestions are not the author's to edit.
        return super().get_queryset(request).curated()


@admin.register(Post)
class PostAdmin(
    PreviewAdminMixin,
    PostStatusBarAdmin,
    PostRolesAdminMixin,
    PostWorkflowAdmin,
    PrepublishAdminMixin,
    MarkdownxModelAdmin,
):
    list_display = ["title", "publication", "published_at", "author", "reading_minutes"]
    list_filter = [PublicationFilter, "published_at", "author", "tags"]
    search_fields = ["title", "description", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["author", "tags"]
    list_select_related = ["author"]
    readonly_fields = [
        "word_count",
        "reading_minutes",
        "reading_time_breakdown",
        "suggested_keep_reading",
        "updated_at",
        "prepublish_checks",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "body"]}),
        ("Before you publish", {"fields": ["prepublish_checks"]}),
        ("Publishing", {"fields": ["status", "published_at", "author", "tags"]}),
        (
            "Featured image",
            {
                "fields": [
                    "featured_image",
                    "featured_image_alt",
                    "featured_image_caption",
                    "featured_image_credit",
                ]
            },
        ),
        (
            "Search and sharing",
            {"fields": ["meta_description", "canonical_url"], "classes": ["collapse"]},
        ),
        (
            "Reading",
            {
                "fields": [
                    "show_toc",
                    "word_count",
                    "reading_minutes",
                    "reading_time_breakdown",
                    "suggested_keep_reading",
                    "updated_at",
                ]
            },
        ),
    ]
    inlines = [FAQItemInline, KeepReadingInline]
    actions = ["publish", "unpublish"]
    formfield_overrides = IMAGE_FIELD_OVERRIDES

    class Media:
        css = {
            "all": [
                "blog/editor.css",
                "blog/editor-toolbar.css",
                "blog/prepublish.css",
                "blog/status-bar.css",
                "blog/media-library.css",
            ]
        }
        js = [
            "blog/editor-images.js",
            "blog/editor-toolbar.js",
            "blog/editor-keys.js",
            "blog/preview-links.js",
            "blog/prepublish.js",
            "blog/link-check.js",
            "blog/unsaved-changes.js",
            "blog/new-post-draft.js",
            "blog/editor-preview.js",
            # The status bar (blog/admin/statusbar.py)
            "blog/status-bar.js",
            "blog/media-library.js",  # media library: "Insert from library" (blog/admin/media.py)
        ]

    change_list_template = "admin/blog/post/change_list.html"

    @admin.display(description="Status", ordering="status")
    def publication(self, post):
        when = scheduled_for(post)
        return f"Scheduled for {when}" if when else post.get_status_display()

    @admin.display(description="Suggested keep reading")
    def suggested_keep_reading(self, post):
        """What readers see under the article when no keep-reading link is curated."""
        if not post.pk:
            return "Computed when the post is saved."
        links = post.keep_reading_links.filter(
            suggested=True, target__in=Post.objects.published()
        ).select_related("target")[: suggestions.SHOWN]
        if not links:
            return "None: no published post shares a tag or telling words with this one."
        return format_html_join(
            mark_safe("<br>"),  # nosec B308 # a constant
            "{}",
            ((link.target.title,) for link in links),
        )

    def response_add(self, request, obj, post_url_continue=None):
        self.tell_when_readers_see(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if not saving_draft(request):
            self.tell_when_readers_see(request, obj)
        return super().response_change(request, obj)

    def tell_when_readers_see(self, request, post):
        """After a save, when readers see the post: "changed successfully" does not say."""
        if when := scheduled_for(post):
            # "9 a.m." ends with its own full stop: not a second one.
            sentence = when if when.endswith(".") else f"{when}."
            self.message_user(request, f"Scheduled: readers see it from {sentence}", messages.INFO)
        elif post.status == Post.Status.DRAFT:
            self.message_user(request, "This post is a draft: readers do not see it.")

    def get_search_results(self, request, queryset, search_term):
        if not is_keep_reading_picker(request):
            return super().get_search_results(request, queryset, search_term)
        # The keep-reading picker looks for a title: titles that start with what was
        # typed first, then titles containing it, newest first within each; bodies are
        # not searched (a word in a body put another post first, and Enter picked it).
        # The post being edited is left out; the formset refuses it anyway.
        term = search_term.strip()
        if term:
            queryset = queryset.filter(title__icontains=term).order_by(
                Case(When(title__istartswith=term, then=0), default=1),
                F("published_at").desc(nulls_last=True),
                "-pk",
            )
        editing = EDITED_POST.search(urlsplit(request.headers.get("Referer", "")).path)
        if editing:
            queryset = queryset.exclude(pk=editing["pk"])
        return queryset, False

    def get_urls(self):
        report = self.admin_site.admin_view(self.broken_links_view)
        return [path("broken-links/", report, name="blog_post_broken_links"), *super().get_urls()]

    def broken_links_view(self, request):
        # Every post's title, status and links: for those who may read the post list.
        if not self.has_view_permission(request):
            raise PermissionDenied
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

    @admin.action(
        description="Publish selected posts (now, or at their scheduled time)",
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        queryset = self.editable_for_action(request, queryset)
        count = 0
        for post in queryset.exclude(status=Post.Status.PUBLISHED):
            errors = [
                check for check in run_checks(CheckedPost.of(post)) if check.blocks_publishing
            ]
            if errors:
                problems = "; ".join(f"{check.where}: {check.message}" for check in errors)
                self.message_user(request, f"Not published: {post} ({problems})", messages.ERROR)
                continue
            post.status = Post.Status.PUBLISHED
            post.published_at = post.published_at or timezone.now()
            post.save()
            count += 1
        self.message_user(request, f"Published {count} post(s).", messages.SUCCESS)

    @admin.action(description="Unpublish selected posts (back to draft)", permissions=["publish"])
    def unpublish(self, request, queryset):
        queryset = self.editable_for_action(request, queryset)
        if request.POST.get("confirmed") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Unpublish posts?",
                "opts": self.model._meta,
                "queryset": queryset,
                "live": list(queryset.filter(status=Post.Status.PUBLISHED)),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/blog/post/unpublish_confirmation.html", context)
        count = 0
        # One save() each, not an update(): what follows a post's status (cached pages,
        # tag listings, the next scheduled moment) learns of it through the signals.
        for post in queryset.filter(status=Post.Status.PUBLISHED):
            post.status = Post.Status.DRAFT
            post.save()
            count += 1
        self.message_user(request, f"Moved {count} post(s) back to draft.", messages.SUCCESS)
