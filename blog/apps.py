from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from . import linking, revisions, signals
        from .models import Post

        signals.connect()
        revisions.register()
        linking.offer("post", Post, "blog:post", visible=Post.objects.published)
