"""Every page the admin serves asks for a permission, not only for staff status.

The walk below requests every URL of the admin site (Django's own, each ModelAdmin's,
and the custom views the blog, previews and enquiries add) plus the Markdown editor's
endpoints, with GET and POST, as a signed-in staff user who holds no permission at all.
Only the pages every staff user needs (the index, signing in and out, changing one's own
password, the admin's JavaScript translations) may answer 200; everything else refuses
(403), does not exist (404, 405), or redirects within the admin. A new URL whose path
takes a value this file does not know fails the walk, so it cannot be skipped silently.
"""

import re
from datetime import date

import pytest
import reversion
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.redirects.models import Redirect
from django.urls import URLPattern, URLResolver, reverse
from django.urls.resolvers import RoutePattern

from blog import media, pending_edits, revisions
from blog.models import Post, Tag
from books.models import Book
from enquiries.models import BudgetRange, Enquiry, Need, RejectedSubmission
from pages.models import SiteSettings
from praise.models import Testimonial as Praise  # not a test class
from previews.models import PreviewLink
from tests.conftest import add_faq, image_upload

pytestmark = pytest.mark.django_db

# Pages any signed-in staff user may open: nothing in them belongs to anyone else.
OPEN_TO_ALL_STAFF = {
    "index",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "jsi18n",  # the admin's JavaScript translation catalogue
}
# Signing in or out by POST would end the walk's session.
NOT_POSTED = {"login", "logout"}
# Outside the admin site's URLs, but the editor's: they answer staff only.
EDITOR_URLS = ["markdownx_markdownify", "markdownx_upload", "markdownx_library"]


@pytest.fixture
def one_of_everything(make_post, author, django_user_model):
    """A row of every model the admin shows, and the records its custom views open."""
    post = make_post(title="An unpublished essay", status=Post.Status.DRAFT, published_at=None)
    add_faq(post, 1)
    post.tags.add(Tag.objects.create(name="Hiring", slug="hiring"))
    with reversion.create_revision():
        post.save()
    pending_edits.autosave(post, {"body": "A newer body."}, None)
    link = PreviewLink.create_for(post)
    Group.objects.create(name="Readers")
    django_user_model.objects.create_user("someone", password="pw-123456!")
    Redirect.objects.create(site_id=1, old_path="/old/", new_path="/new/")
    Book.objects.create(title="A book", slug="a-book")
    Praise.objects.create(quote="Good.", name="Jo")
    need = Need.objects.create(label="Advice")
    budget = BudgetRange.objects.create(label="Small")
    Enquiry.objects.create(
        name="Jo", email="jo@example.com", message="Hi", need=need, budget=budget
    )
    RejectedSubmission.objects.create(day=date(2025, 1, 1), reason="honeypot", count=1)
    SiteSettings.load()
    media.add_upload(image_upload())  # the media library
    sign_in = {"user_agent": "curl", "ip_address": "203.0.113.9", "username": "someone"}
    AccessAttempt.objects.create(**sign_in, failures_since_start=1)
    AccessLog.objects.create(**sign_in)
    AccessFailureLog.objects.create(**sign_in)
    for model in admin.site._registry:
        assert model.objects.exists(), f"no {model._meta.label} to open: add one above"
    return {
        "post_id": post.pk,
        "link_id": link.pk,
        "version_id": revisions.versions_of(post).first().pk,
    }


def values_for(name, model, ids):
    """What to put in a URL for the path argument ``name`` of ``model``'s admin."""
    if name in ("object_id", "id"):
        return [str(model.objects.values_list("pk", flat=True).first())]
    if name in ids:
        return [str(ids[name])]
    pytest.fail(f"no value for <{name}> in an admin URL: add one to values_for()")


def admin_urls(ids):
    """(name, URL) for every URL the admin site serves, with real ids in it."""
    prefix = reverse("admin:index")
    found = []
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            # One ModelAdmin's URLs, under app/model/.
            model = next(
                m
                for m in admin.site._registry
                if str(pattern.pattern) == f"{m._meta.app_label}/{m._meta.model_name}/"
            )
            base = prefix + str(pattern.pattern)
            for inner in pattern.url_patterns:
                found += expand(inner, base, model, ids)
        else:
            found += expand(pattern, prefix, None, ids)
    return found


def expand(pattern, base, model, ids):
    assert isinstance(pattern, URLPattern), pattern
    name = pattern.name or f"{base}{pattern.pattern} (unnamed)"
    if pattern.name == "app_list":
        labels = {m._meta.app_label for m in admin.site._registry}
        return [(name, f"{base}{label}/") for label in sorted(labels)]
    if pattern.name == "view_on_site":
        # Each object that has a page on the site, of every model (admin-registered or not).
        return [
            (name, f"{base}r/{ContentType.objects.get_for_model(type(obj)).pk}/{obj.pk}/")
            for obj in [Post.objects.first(), PreviewLink.objects.first(), Book.objects.first()]
        ]
    if not isinstance(pattern.pattern, RoutePattern):
        assert pattern.pattern.regex.pattern == "(?P<url>.*)$", f"unknown admin URL {pattern}"
        return [(name, f"{base}no/such/page/")]
    route = str(pattern.pattern)
    urls = [route]
    for argument in re.findall(r"<(?:\w+:)?(\w+)>", route):
        urls = [
            re.sub(rf"<(?:\w+:)?{argument}>", value, url, count=1)
            for url in urls
            for value in values_for(argument, model, ids)
        ]
    return [(name, base + url) for url in urls]


def autocomplete_urls():
    """The autocomplete endpoint for every autocomplete field of every ModelAdmin."""
    url = reverse("admin:autocomplete")
    return [
        (
            "autocomplete",
            f"{url}?app_label={model._meta.app_label}&model_name={model._meta.model_name}"
            f"&field_name={field}&term=a",
        )
        for model, model_admin in admin.site._registry.items()
        for field in model_admin.autocomplete_fields
    ]


@pytest.fixture
def staff_without_permissions(client, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="pw-123456!", is_staff=True)
    client.force_login(user)
    return client


def test_staff_without_permissions_gets_nothing_from_any_admin_page(
    staff_without_permissions, one_of_everything
):
    client = staff_without_permissions
    prefix = reverse("admin:index")
    urls = [
        *admin_urls(one_of_everything),
        *autocomplete_urls(),
        *[(name, reverse(name)) for name in EDITOR_URLS],
    ]
    names = {name for name, _ in urls}
    assert {"blog_post_broken_links", "blog_post_restore", "enquiries_enquiry_change"} <= names
    answered = []
    for name, url in urls:
        for method in ("get", "post"):
            if method == "post" and name in NOT_POSTED:
                continue
            response = getattr(client, method)(url)
            status = response.status_code
            location = response.headers.get("Location", "")
            if name in OPEN_TO_ALL_STAFF:
                ok = status in (200, 302, 405)
            elif status in (301, 302):
                ok = location.startswith(prefix)  # within the admin: its index or sign-in
            else:
                ok = status in (403, 404, 405)
            if not ok:
                answered.append(f"{method.upper()} {url} ({name}): {status} {location}")
    assert not answered, "\n".join(answered)


def test_the_broken_links_report_needs_permission_to_view_posts(
    staff_without_permissions, django_user_model, make_post
):
    make_post(title="Links to nowhere", body="See [this](post:nowhere).")
    url = reverse("admin:blog_post_broken_links")
    response = staff_without_permissions.get(url)
    assert response.status_code == 403
    assert b"Links to nowhere" not in response.content

    reader = django_user_model.objects.get(username="nobody")
    reader.user_permissions.add(Permission.objects.get(codename="view_post"))
    assert b"Links to nowhere" in staff_without_permissions.get(url).content


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


@pytest.fixture
def nobody(staff_without_permissions, django_user_model):
    return django_user_model.objects.get(username="nobody")


def test_view_on_site_needs_permission_to_view_the_model(
    staff_without_permissions, nobody, make_post
):
    draft = make_post(status=Post.Status.DRAFT, published_at=None)
    link = PreviewLink.create_for(draft)
    post_url = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Post).pk, draft.pk]
    )
    link_url = reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(PreviewLink).pk, link.pk]
    )
    # Before: a redirect to the draft's address and to the preview link, token and all.
    assert staff_without_permissions.get(post_url).status_code == 403
    assert staff_without_permissions.get(link_url).status_code == 403

    grant(nobody, "view_post")  # what the change form's "View on site" button needs
    assert staff_without_permissions.get(post_url)["Location"].endswith(draft.get_absolute_url())
    assert staff_without_permissions.get(link_url).status_code == 403


def test_the_article_shows_drafts_only_to_staff_who_may_read_posts(
    staff_without_permissions, nobody, make_post
):
    draft = make_post(title="Not ready yet", status=Post.Status.DRAFT, published_at=None)
    assert staff_without_permissions.get(draft.get_absolute_url()).status_code == 404
    grant(nobody, "view_post")
    response = staff_without_permissions.get(draft.get_absolute_url())
    assert response.status_code == 200 and b"Not ready yet" in response.content


def test_the_editor_preview_needs_permission_to_write_something(staff_without_permissions, nobody):
    url = reverse("markdownx_markdownify")
    assert staff_without_permissions.post(url, {"content": "**x**"}).status_code == 403
    grant(nobody, "change_book")
    assert staff_without_permissions.post(url, {"content": "**x**"}).status_code == 200


def test_post_views_refuse_before_looking_the_post_up(staff_without_permissions, make_post):
    """A 404 for missing ids and a 403 for real ones would list which posts exist."""
    post = make_post()
    for post_id in (post.pk, 999_999):
        for url in (
            reverse("admin:blog_post_autosave", args=[post_id]),
            reverse("admin:blog_post_publish_draft", args=[post_id]),
            reverse("admin:blog_post_discard_draft", args=[post_id]),
            reverse("admin:blog_post_preview_link_new", args=[post_id]),
        ):
            assert staff_without_permissions.post(url).status_code == 403, url
        compare = reverse("admin:blog_post_compare", args=[post_id])
        assert staff_without_permissions.get(compare + "?old=live&new=draft").status_code == 403


def test_exporting_enquiries_needs_permission_to_view_them(
    staff_without_permissions, nobody, one_of_everything
):
    export = {"action": "export_csv", "_selected_action": [Enquiry.objects.get().pk]}
    url = reverse("admin:enquiries_enquiry_changelist")
    assert staff_without_permissions.post(url, export).status_code == 403
    grant(nobody, "view_enquiry")
    response = staff_without_permissions.post(url, export)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert b"jo@example.com" in response.content
