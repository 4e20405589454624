"""The Books pages."""

from django.views.generic import DetailView, ListView

from site_config.caching import ReaderCacheMixin

from .models import Book


class BookListView(ReaderCacheMixin, ListView):
    queryset = Book.objects.prefetch_related("buy_links")
    context_object_name = "books"


class BookDetailView(ReaderCacheMixin, DetailView):
    queryset = Book.objects.prefetch_related("buy_links")
    context_object_name = "book"
