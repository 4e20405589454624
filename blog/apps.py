from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from . import linking, media, revisions, signals
        from .models import Author, FAQItem, Post

        signals.connect()
        revisions.register()
        linking.offer("post", Post, "blog:post", visible=Post.objects.published)
        media.track_uses(Post, ["body"], "title")
        media.track_uses(Author, ["bio"], "name")
        media.track_uses(FAQItem, ["answer"], "question")
