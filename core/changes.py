"""Telling the site about changes that no model signal reports.

``QuerySet.update()``, ``bulk_create()``, ``bulk_update()`` and raw SQL send no
``post_save``. Code that changes rows that way calls ``announce(Model, pks)`` once
afterwards, and everything derived from those rows follows as after a save: each app's
``signals.py`` listens to ``changed_in_bulk`` for the models it derives data from
(core: the page cache; blog: tag listings, the next scheduled moment, suggestions;
search: the index). ``pks=None`` means any row may have changed; ``fields``, when given,
names the only fields that did, so a listener whose data depends on none of them can skip.
"""

from django.dispatch import Signal

# Sent with sender=the model class, pks=a list of primary keys or None for "any", and
# fields=the names of the fields that changed, or None for "any".
changed_in_bulk = Signal()


def announce(model, pks=None, fields=None):
    """Say that rows of ``model`` changed behind the ORM's back."""
    changed_in_bulk.send(
        sender=model,
        pks=None if pks is None else list(pks),
        fields=None if fields is None else frozenset(fields),
    )
