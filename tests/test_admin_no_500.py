"""No admin form answers a 500, whatever is posted to it (issue 16).

For every model the admin shows, as a superuser: the change form of an existing row is
read as a browser would submit it, then posted back in hostile variants: as a new row
(every unique value a duplicate), with each inline's first row repeated, with nothing
filled in, and with every value oversized. Each must answer below 500 (the test client
raises on an exception in the view, so an IntegrityError fails the test with its trace).
"""

import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.test_admin_permissions import one_of_everything  # noqa: F401 - a fixture

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from soak import parse_form  # noqa: E402 - scripts/ is not a package

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("one_of_everything")]

MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
MANAGEMENT = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")


def form_of(client, model):
    """The change form of the model's first row, as (name, value) pairs a browser posts."""
    opts = model._meta
    obj = model.objects.order_by("pk").first()
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    form_id = f"{opts.model_name}_form"
    fields = parse_form(html, form_id).fields
    assert fields, f"no form {form_id} on {url}"
    return url, fields


def as_new(fields):
    """The same values as a new row: inline rows lose their ids and become new rows."""
    initial = {
        name.removesuffix("-INITIAL_FORMS") for name, _ in fields if name.endswith("-INITIAL_FORMS")
    }
    return [
        (name, "0" if name.endswith("-INITIAL_FORMS") else value)
        for name, value in fields
        if not (name.endswith("-id") and name.rsplit("-", 2)[0] in initial)
        and not name.endswith(("-post", "-author"))  # the inline's link to the row
    ]


def with_repeated_rows(fields):
    """Each inline's first row added again as a new row."""
    totals = {
        name.removesuffix("-TOTAL_FORMS"): int(value)
        for name, value in fields
        if name.endswith("-TOTAL_FORMS")
    }
    extra, result = [], []
    for prefix, total in totals.items():
        row = [(n, v) for n, v in fields if n.startswith(f"{prefix}-0-")]
        if not row:
            continue
        extra += [
            (n.replace(f"{prefix}-0-", f"{prefix}-{total}-", 1), v)
            for n, v in row
            if not n.endswith(("-id", "-DELETE"))
        ]
        totals[prefix] = total + 1
    for name, value in fields:
        if name.endswith("-TOTAL_FORMS"):
            value = str(totals[name.removesuffix("-TOTAL_FORMS")])
        result.append((name, value))
    return result + extra


def empty(fields):
    return [(n, v) for n, v in fields if n == "csrfmiddlewaretoken" or n.endswith(MANAGEMENT)]


def oversized(fields):
    def big(name, value):
        if name == "csrfmiddlewaretoken" or name.endswith(MANAGEMENT) or name.endswith("-id"):
            return value
        if value.lstrip("-").isdigit():
            return "9" * 30
        return "x" * 100_000

    return [(name, big(name, value)) for name, value in fields]


def with_positions(value):
    """Every position (of a row, an inline's rows) set to ``value``: the same for all."""

    def change(fields):
        return [
            (name, value if name == "position" or name.endswith("-position") else old)
            for name, old in fields
        ]

    return change


def post(client, url, fields):
    data = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return client.post(url, data)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_hostile_posts_to_every_admin_form_answer_below_500(admin_client, model):
    url, fields = form_of(admin_client, model)
    opts = model._meta
    add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    variants = {
        "as a duplicate new row": (add_url, as_new(fields)),
        "with each inline's first row twice": (url, with_repeated_rows(fields)),
        "with nothing filled in": (url, empty(fields)),
        "new, with nothing filled in": (add_url, empty(fields)),
        "with every value oversized": (url, oversized(fields)),
        **{
            f"with every position {value!r}": (url, with_positions(value)(fields))
            for value in ["-1", "0", "9" * 40, "first", ""]
        },
    }
    for what, (target, data) in variants.items():
        response = post(admin_client, target, data)
        assert response.status_code < 500, f"{model._meta.label} {what}: {response.status_code}"
