"""Rows an author puts in order in the admin: navigation, FAQ, keep reading, books, praise.

In the browser the rows are dragged, or moved with the keyboard
(static/ordering/sortable-rows.js, on SortableJS); the script only rewrites each row's
position number, which is posted like any other field, so the form works the same
without it (the numbers are then shown and typed). Whatever numbers arrive, this module
decides the order, in one rule for inlines and lists alike:

- rows are ordered by their number; a row whose number the author just changed comes
  before an unchanged one with the same number (it was *put* there); otherwise the rows
  keep the order they had;
- a new row with no number goes last;
- then the rows are numbered again 1, 2, 3…, so the stored numbers never repeat or leave gaps.

Any whole number is accepted (a negative one means "first", a huge one "last"); text is
refused beside the field.
"""

from django import forms
from django.db import transaction
from django.db.models import Max
from django.utils.text import capfirst

from .changes import announce

POSITION_FIELD = "position"
# Stored positions are PositiveSmallIntegerField: numbers posted outside it still sort.
LARGEST = 32767
NEW_ROW_HELP = "1 comes first; a new row goes last when left empty."
# A property on the admins, not a Media class: an admin's own Media would hide a mixin's.
SORTING_MEDIA = forms.Media(
    css={"all": ["ordering/sortable-rows.css"]},
    js=["vendor/sortablejs/Sortable.min.js", "ordering/sortable-rows.js"],
)


class PositionField(forms.IntegerField):
    """A row's place: any whole number or nothing (last); kept within what the column holds.

    Its input carries ``data-sort-position`` (and the row's name for announcements),
    which is what the sorting script looks for.
    """

    def __init__(self, *, noun="row", **kwargs):
        kwargs.update(required=False, min_value=None, max_value=None)
        kwargs.setdefault("help_text", NEW_ROW_HELP)
        kwargs.pop("initial", None)  # the model's default 0 would put a new row first
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"data-sort-position": "", "data-sort-noun": noun, "class": "sort-position"}
        )

    def widget_attrs(self, widget):
        # No min/max/step in the HTML either: the browser would block the whole form.
        return {}

    def clean(self, value):
        number = super().clean(value)
        return None if number is None else max(0, min(number, LARGEST))


def position_formfield(db_field, noun, **kwargs):
    return PositionField(noun=noun, label=db_field.verbose_name.capitalize(), **kwargs)


def in_order(rows):
    """Indexes of ``rows`` in their new order (the module's rule).

    ``rows`` are ``(number or None, placed)`` in the order they are now; ``placed`` is None
    for a row whose number the author left alone, else a rank: among rows placed on the
    same number at once, the lower rank comes first.
    """

    def key(i):
        number, placed = rows[i]
        if number is None:
            return (True, 0, True, i)
        return (False, number, placed is None, i if placed is None else placed)

    return sorted(range(len(rows)), key=key)


class PositionedFormMixin:
    """A row's form. A new row starts with no number (the model's default 0 would put it
    first), and a number alone is not content: the script numbers every row, the empty
    ones it adds too, and such a row is still left out."""

    def __init__(self, *args, **kwargs):
        given = kwargs.get("initial") or {}
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and POSITION_FIELD not in given:
            self.initial.pop(POSITION_FIELD, None)

    def has_changed(self):
        if self.instance.pk is None:
            return any(name != POSITION_FIELD for name in self.changed_data)
        return super().has_changed()


class PositionedFormSetMixin:
    """An inline formset whose kept rows are numbered 1…n in the order of module's rule."""

    def clean(self):
        super().clean()
        kept = []
        for form in self.forms:
            if form.errors or not hasattr(form, "cleaned_data"):
                continue
            if not form.instance.pk and not form.has_changed():
                continue  # an empty extra row
            if self.can_delete and self._should_delete_form(form):
                continue
            kept.append(form)
        rows = [
            (
                form.cleaned_data.get(POSITION_FIELD),
                i if POSITION_FIELD in form.changed_data else None,
            )
            for i, form in enumerate(kept)
        ]
        for number, index in enumerate(in_order(rows), start=1):
            form = kept[index]
            form.cleaned_data[POSITION_FIELD] = number
            setattr(form.instance, POSITION_FIELD, number)
            renumbered = form.instance.pk and form.initial.get(POSITION_FIELD) != number
            if renumbered and POSITION_FIELD not in form.changed_data:
                # Saved even if nothing else changed: its old number would misplace it.
                form.changed_data = [*form.changed_data, POSITION_FIELD]


class SortableInlineMixin:
    """For an InlineModelAdmin whose model has a ``position``: rows dragged into order."""

    @property
    def media(self):
        return super().media + SORTING_MEDIA

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == POSITION_FIELD:
            return position_formfield(db_field, capfirst(self.model._meta.verbose_name), **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        form = kwargs.get("form", self.form)
        kwargs["form"] = type(f"Positioned{form.__name__}", (PositionedFormMixin, form), {})
        formset = super().get_formset(request, obj, **kwargs)
        return type(f"Positioned{formset.__name__}", (PositionedFormSetMixin, formset), {})


def renumber(model, moved=()):
    """Number every row of ``model`` 1…n by the module's rule; ``moved`` are the pks the
    author just placed, in the order they were placed. One query to read, one to write;
    the write is announced (core.changes), as it sends no save signal."""
    placed = {pk: rank for rank, pk in enumerate(moved)}
    rows = list(model._default_manager.only("pk", POSITION_FIELD))
    order = in_order([(getattr(row, POSITION_FIELD), placed.get(row.pk)) for row in rows])
    changed = []
    for number, index in enumerate(order, start=1):
        row = rows[index]
        if getattr(row, POSITION_FIELD) != number:
            setattr(row, POSITION_FIELD, number)
            changed.append(row)
    if changed:
        model._default_manager.bulk_update(changed, [POSITION_FIELD])
        announce(model, [row.pk for row in changed], fields=[POSITION_FIELD])


class SortableListAdminMixin:
    """For a ModelAdmin whose rows are one ordered list (books, praise): dragged in the
    change list (``position`` must be in ``list_editable``), typed in the change form.

    A number means a place in the whole list, the change list's filters notwithstanding.
    """

    @property
    def media(self):
        return super().media + SORTING_MEDIA

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == POSITION_FIELD:
            kwargs.setdefault(
                "help_text",
                "1 comes first; a new one goes last when left empty. Or drag it in the list.",
            )
            return position_formfield(db_field, capfirst(self.model._meta.verbose_name), **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(f"Positioned{form.__name__}", (PositionedFormMixin, form), {})

    def save_model(self, request, obj, form, change):
        if getattr(obj, POSITION_FIELD) is None:
            largest = self.model._default_manager.aggregate(last=Max(POSITION_FIELD))["last"]
            setattr(obj, POSITION_FIELD, min((largest or 0) + 1, LARGEST))
        super().save_model(request, obj, form, change)
        placed = getattr(request, "_sortable_placed", None)
        if placed is None:
            renumber(self.model, moved=[obj.pk])
        elif POSITION_FIELD in form.changed_data:
            placed.append(obj.pk)

    def changelist_view(self, request, extra_context=None):
        # The list's rows are saved one by one; they are numbered once, after the last.
        request._sortable_placed = []
        with transaction.atomic():
            response = super().changelist_view(request, extra_context)
            if request._sortable_placed:
                renumber(self.model, moved=request._sortable_placed)
        return response
