from django.apps import AppConfig


class BlogConfig(AppConfig):
    name = "blog"
    verbose_name = "Blog"

    def ready(self):
        from . import listings, revisions, scheduling
        from .models import Post, Tag
        from .slugs import track_slug_changes

        scheduling.connect(Post)
        listings.connect(Post)

        track_slug_changes(Post)
        track_slug_changes(Tag)
        revisions.register()
