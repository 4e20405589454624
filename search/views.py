"""The search page: a form, and for a query its ranked, highlighted, paginated results."""

from django.views.generic import ListView

from blog.scheduling import next_scheduled_at
from blog.views import LIST_DEFERRED
from core.http.caching import ReaderCacheMixin

from .backends import clean_query, search_posts


class SearchView(ReaderCacheMixin, ListView):
    template_name = "search/search.html"
    context_object_name = "results"
    paginate_by = 10

    def get_queryset(self):
        self.query = clean_query(self.request.GET.get("q", ""))
        return search_posts(self.query).defer(*LIST_DEFERRED)

    def valid_until(self):
        # Results list posts: no cache may keep them past a scheduled post's moment.
        return next_scheduled_at() if self.query else None

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)
