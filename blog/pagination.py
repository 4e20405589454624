"""Pages of a list without counting the list.

Django's ``Paginator`` runs ``COUNT(*)`` over the whole list on every request, to
number the last page; with a large archive that count costs more than the page
itself, and more every year. List pages here fetch one row more than a page holds
instead: if it comes back there is an older page. ``?page=N`` addresses pages as
before, through an OFFSET over the index that orders posts (``post_published_order``),
so a deep page walks index entries only. What is lost is "of M" and ``?page=last``.
"""

from collections.abc import Sequence

from django.http import Http404

# Far past any real archive; larger numbers are refused before they reach the database.
MAX_PAGE = 1_000_000


class Window(Sequence):
    """One page of a list, answering what Django's ``Page`` does in templates, minus counts."""

    def __init__(self, object_list, number, has_next):
        self.object_list = object_list
        self.number = number
        self._has_next = has_next

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self):
        return self._has_next

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def page_number(raw):
    """The page a ``?page=`` value asks for; 404 for anything but a whole number from 1."""
    if raw in (None, ""):
        return 1
    if not (isinstance(raw, str) and raw.isascii() and raw.isdigit()):
        raise Http404("No such page.")
    number = int(raw)
    if not 1 <= number <= MAX_PAGE:
        raise Http404("No such page.")
    return number


def window(queryset, number, per_page, rows=None, ids_field="pk"):
    """Page ``number`` of ``queryset``; 404 past the end (page 1 of an empty list is fine).

    The page's ids come first, from ``queryset`` alone (its ``ids_field``: the pk, or
    the post of a ``TagListing``), so the OFFSET skips index entries, never table rows
    or joins; then its rows, from ``rows`` (by default the model's manager), which
    carries what a list item shows (``select_related``, ``prefetch_related``,
    ``defer``) and the rows' order, but not ``queryset``'s filters: they would make the
    database walk the whole list again instead of fetching a page of ids.
    """
    start = (number - 1) * per_page
    ids = queryset.values(ids_field)[start : start + per_page + 1]
    if rows is None:
        rows = queryset.model._default_manager.order_by(*queryset.query.order_by)
    ordering = rows.query.order_by or rows.model._meta.ordering
    found = list(rows.filter(pk__in=ids).order_by(*ordering))
    if not found and number > 1:
        raise Http404("No such page.")
    return Window(found[:per_page], number, has_next=len(found) > per_page)


class UncountedPaginationMixin:
    """For a ``ListView``: paginate by ``paginate_by`` with ``window()``, never counting.

    ``get_queryset()`` says which objects the list holds, in order (or, with
    ``page_ids_field``, the ids of those objects); ``get_page_rows()`` how to fetch a
    page of them.
    """

    page_ids_field = "pk"

    def get_page_rows(self):
        return None

    def paginate_queryset(self, queryset, page_size):
        number = page_number(self.request.GET.get(self.page_kwarg))
        page = window(queryset, number, page_size, self.get_page_rows(), self.page_ids_field)
        return None, page, page.object_list, page.has_other_pages()
