from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "books"
    verbose_name = "Books"

    def ready(self):
        from blog import linking, media
        from blog.slugs import track_slug_changes

        from .models import Book

        track_slug_changes(Book)
        linking.offer("book", Book, "books:detail")
        media.track_uses(Book, ["description"], "title")
