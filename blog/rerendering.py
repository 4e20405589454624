"""Render stored Markdown again: after the renderer changed, or what it links to moved.

Updates go through querysets, so a post's "updated" date stays the writer's.
"""

from django.apps import apps

from site_config.page_cache import content_changed

from .rendering import render_article, render_markdown

# Markdown rendered into a stored HTML field, besides post bodies.
TEXTS = [
    ("blog.FAQItem", "answer", "answer_html"),
    ("blog.Author", "bio", "bio_html"),
    ("books.Book", "description", "description_html"),
    ("pages.SiteSettings", "introduction", "introduction_html"),
    ("pages.SiteSettings", "offer", "offer_html"),
    ("pages.Service", "summary", "summary_html"),
]


def rerender(containing=None):
    """Render again what contains ``containing`` in its Markdown (everything when None).

    Returns how many posts and texts were rendered.
    """
    count = 0
    # Texts first: a post's reading time counts its FAQ answers as rendered.
    for label, source, target in TEXTS:
        model = apps.get_model(label)
        items = model.objects.all()
        if containing is not None:
            items = items.filter(**{f"{source}__contains": containing})
        for pk, markdown in items.values_list("pk", source):
            count += model.objects.filter(pk=pk).update(**{target: render_markdown(markdown)})
    apps.get_model("pages", "SiteSettings").forget()

    Post = apps.get_model("blog", "Post")
    posts = Post.objects.select_related(None)
    if containing is not None:
        posts = posts.filter(body__contains=containing)
    for post in posts:
        post.body_html, post.toc_html = render_article(
            post.body, lead_image=not post.featured_image
        )
        post.set_reading_time()
        count += Post.objects.filter(pk=post.pk).update(
            body_html=post.body_html,
            toc_html=post.toc_html,
            word_count=post.word_count,
            reading_minutes=post.reading_minutes,
            reading_time_breakdown=post.reading_time_breakdown,
        )
    if count:
        content_changed()  # update() sends no signal; cached pages show the old HTML
    return count
