from django.apps import AppConfig


class BooksConfig(AppConfig):
    name = "books"
    verbose_name = "Books"

    def ready(self):
        from blog import linking
        from blog.slugs import track_slug_changes

        from .models import Book

        track_slug_changes(Book)
        linking.offer("book", Book, "books:detail")
