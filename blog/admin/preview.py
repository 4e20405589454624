"""The post editor's preview: the page as readers will see it, from the form as it stands.

static/blog/editor-preview.js posts the form's fields here a moment after the author stops
typing and draws the answer in an iframe beside the editor. The document is the article's
own includes (templates/blog/includes/article_*.html) with the site's stylesheet; the body
goes through ``blog.derivation.derive_page``, the pass a save makes (less the word counts
only suggestions compare), so its HTML, word count and reading time are what the saved
post would store. Nothing is saved.

The post form's body is left out of django-markdownx's own preview (its widget is marked
initialised, so markdownx's script leaves it alone): one render per pause, not two per
keystroke. Other Markdown fields (an author's bio) keep markdownx's body-only preview.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from core.images import kept_uploads
from core.limits import FAQ_ANSWER_MAX_CHARS, POST_BODY_MAX_CHARS

from .. import derivation
from ..models import Author, FAQItem, Post
from ..rendering import render_markdown

# markdownx initialises every textarea without this attribute; ours says why it is there.
NOT_MARKDOWNX = {"data-markdownx-init": "page-preview"}
FAQ_PREFIX = "faq_items"
MAX_FAQ_ROWS = 200  # far above a real FAQ; a form cannot hold more than 1,000 fields anyway
SHORT_TEXT = 2_000  # title, description, captions: the models allow far less


class PreviewRefused(ValueError):
    """The posted fields cannot be previewed; the message says why, for the author."""


def _text(data, name, limit=SHORT_TEXT):
    value = data.get(name, "")
    if len(value) > limit:
        raise PreviewRefused(f"{name.replace('_', ' ').capitalize()} is too long to preview.")
    return value


def faq_rows(data):
    """The FAQ items as typed in the form's inline rows (unsaved), in the page's order."""
    try:
        total = int(data.get(f"{FAQ_PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        total = 0
    rows = []
    for index in range(max(0, min(total, MAX_FAQ_ROWS))):
        field = f"{FAQ_PREFIX}-{index}-"
        if data.get(f"{field}DELETE"):
            continue
        question = _text(data, f"{field}question").strip()
        answer = data.get(f"{field}answer", "")
        if len(answer) > FAQ_ANSWER_MAX_CHARS:
            raise PreviewRefused(
                f"FAQ answer {index + 1} is over {FAQ_ANSWER_MAX_CHARS:,} characters."
            )
        if not (question or answer.strip()):
            continue  # an empty row, which saving skips too
        position = data.get(f"{field}position", "")
        rows.append((int(position) if position.isdigit() else 0, index, question, answer))
    return [
        FAQItem(question=question, answer=answer, answer_html=render_markdown(answer))
        for _, _, question, answer in sorted(rows)
    ]


def previewed_post(data, saved=None):
    """An unsaved Post holding the form's fields; ``saved`` gives what the form does not
    hold (the stored featured image, the date)."""
    body = data.get("body", "")
    if len(body) > POST_BODY_MAX_CHARS:
        raise PreviewRefused(
            f"The body is over {POST_BODY_MAX_CHARS:,} characters ({len(body):,}): "
            "shorten it to see the preview."
        )
    post = Post() if saved is None else saved
    post.title = _text(data, "title")
    post.description = _text(data, "description")
    post.body = body
    post.show_toc = data.get("show_toc") in {"on", "true", "1"}
    for name in ("featured_image_alt", "featured_image_caption", "featured_image_credit"):
        setattr(post, name, _text(data, name))
    if data.get("featured_image-clear"):
        post.featured_image = None
    chosen = kept_uploads.kept_picture(data.get("featured_image-kept", ""))
    if chosen:  # an image chosen and not saved yet, which the preview keeps as the form does
        name, post.featured_image_width, post.featured_image_height = chosen
        post.featured_image = name
        post.featured_image_renditions = {}
    author_id = data.get("author", "")
    post.author = (
        Author.objects.filter(pk=author_id).first() if author_id.isdigit() else None
    ) or Author(name="")
    return post


class PreviewAdminMixin:
    """The post form's side-by-side preview and its endpoint."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        body = form_class.base_fields.get("body")
        if body is not None:
            body.widget.attrs.update(
                NOT_MARKDOWNX, **{"data-preview-url": reverse("admin:blog_post_preview")}
            )
        return form_class

    def get_urls(self):
        view = self.admin_site.admin_view(require_POST(self.editor_preview_view))
        return [path("preview/", view, name="blog_post_preview"), *super().get_urls()]

    def editor_preview_view(self, request):
        """The page for the posted form: ``{document, blocks, word_count, reading_minutes,
        featured_image_kept}`` (the signed name of a featured image sent with the request).

        Never cached (``admin_view`` says so); 400 with ``{error}`` for what cannot be shown.
        """
        if not (self.has_add_permission(request) or self.has_change_permission(request)):
            raise PermissionDenied
        data = request.POST
        pk = data.get("post", "")
        saved = None
        if pk.isdigit():
            saved = Post.objects.filter(pk=pk).first()
            if saved is not None and not self.has_view_permission(request, saved):
                raise PermissionDenied
        data = data.copy()
        kept = None
        if upload := request.FILES.get("featured_image"):
            # Kept as a form with an error keeps it (core.images.kept_uploads): the page
            # can then show it, and later requests name it instead of sending it again.
            kept = kept_uploads.keep(upload)
            if kept is None:
                return JsonResponse(
                    {"error": "The featured image chosen is not one the site can take."},
                    status=400,
                )
            data["featured_image-kept"] = kept
        try:
            post = previewed_post(data, saved)
            faq_items = faq_rows(data)
        except PreviewRefused as refused:
            return JsonResponse({"error": str(refused)}, status=400)
        derived = derivation.derive_page(post, [(i.question, i.answer_html) for i in faq_items])
        for name, value in derived.fields().items():  # in memory only: never saved
            setattr(post, name, value)
        document = render_to_string(
            "admin/blog/post/preview_document.html",
            {"post": post, "faq_items": faq_items, "page_url": ""},
            request=request,
        )
        return JsonResponse(
            {
                "document": document,
                "blocks": derived.blocks,
                "word_count": derived.reading.word_count,
                "reading_minutes": derived.reading.minutes,
                "featured_image_kept": kept,
            }
        )
