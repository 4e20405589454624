"""The Books pages: every book, and one book with where to buy it."""

from django.urls import reverse
from django.views.generic import DetailView, ListView

from blog.slugs import OldSlugRedirectMixin
from core.http.caching import ReaderCacheMixin

from .models import Book, shorten
from .structured_data import book_graph, book_list_graph

# How many other books the foot of a book page suggests.
MORE_BOOKS = 3


class BookListView(ReaderCacheMixin, ListView):
    """All books in the author's order (position). The cards show no buy links: one query."""

    model = Book
    context_object_name = "books"
    template_name = "books/book_list.html"

    def get_context_data(self, **kwargs):
        books = list(self.object_list)
        site = self.request.site_settings
        by = f"Books by {site.owner.name if site.owner else site.site_name}"
        titles = "; ".join(book.full_title for book in books)
        return super().get_context_data(
            meta_description=shorten(f"{by}: {titles}." if books else f"{by}."),
            share_title=by,
            canonical_url=self.request.build_absolute_uri(reverse("books:index")),
            structured_data=book_list_graph(books, self.request),
            **kwargs,
        )


class BookDetailView(OldSlugRedirectMixin, ReaderCacheMixin, DetailView):
    """One book: cover, description, buy links, facts, and a few of the author's other books."""

    queryset = Book.objects.prefetch_related("buy_links")
    context_object_name = "book"
    template_name = "books/book_detail.html"

    def get_context_data(self, **kwargs):
        book = self.object
        request = self.request
        return super().get_context_data(
            canonical_url=request.build_absolute_uri(book.get_absolute_url()),
            cover_url=request.build_absolute_uri(book.cover.url) if book.cover else "",
            about_url=request.build_absolute_uri(reverse("pages:about")),
            structured_data=book_graph(book, request, request.site_settings),
            buy_links=book.buy_links.all(),
            more_books=list(Book.objects.exclude(pk=book.pk)[:MORE_BOOKS]),
            **kwargs,
        )
