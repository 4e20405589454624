"""External links checked on demand, safely; missing media files among the pre-publish checks.

Nothing here reaches the internet: names resolve offline (tests.link_server), and the
only server asked is a local one, allowed by ``LINK_CHECK_ALLOW_PRIVATE`` where a test
sets it.
"""

import socket
import threading
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from blog.admin import prepublish as prepublish_admin
from blog.external_links import check_external_links, external_links
from blog.models import Post
from blog.prepublish import WARNING, CheckedPost, featured_image_file_checks, media_checks
from core.http import outbound
from core.markdown.links import IMAGE, LINK, FoundLink, links_in
from tests.conftest import image_upload
from tests.link_server import link_server, offline_resolver

URL = "/admin/blog/post/check-external-links/"


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    monkeypatch.setattr(outbound, "resolve", offline_resolver)


@pytest.fixture
def server():
    with link_server() as (base, httpd):
        httpd.base = base
        yield httpd


@pytest.fixture
def local(settings, server):
    """The local server may be checked: private addresses and its port allowed."""
    settings.LINK_CHECK_ALLOW_PRIVATE = True
    settings.LINK_CHECK_PORTS = (80, 443, server.server_port)
    return server


def probe(url, **options):
    return outbound.probe(url, user_agent="test checker", **options)


def check(url):
    """One address through the site's checker, with the site's settings."""
    [result] = check_external_links(f"[x]({url})").results
    return result


# --- Finding the links ---------------------------------------------------------------------

BODY = """\
Intro with [a link](https://a.example/x) and
a second line ![chart](/media/uploads/chart.png) and https://auto.example/y.

| Site | Note |
|---|---|
| [c](http://c.example/) | fine |

<img src="http://html.example/i.png" alt="x">

Footnoted[^1]. Reference [r].

[^1]: See [f](http://f.example/).

[r]: http://ref.example/

    [in code](http://code.example/)

```
[fenced](http://fenced.example/)
```
"""


class TestFindingLinks:
    def test_each_link_and_image_with_its_line(self):
        assert links_in(BODY) == [
            FoundLink("https://a.example/x", 1, LINK),
            FoundLink("/media/uploads/chart.png", 2, IMAGE),
            FoundLink("https://auto.example/y", 2, LINK),
            FoundLink("http://c.example/", 6, LINK),
            FoundLink("http://html.example/i.png", 8, IMAGE),
            FoundLink("http://ref.example/", 10, LINK),
            FoundLink("http://f.example/", 12, LINK),
        ]

    def test_code_is_not_read(self):
        urls = [link.url for link in links_in(BODY)]
        assert not any("code.example" in url or "fenced" in url for url in urls)

    def test_external_addresses_once_each_at_their_first_line(self):
        body = (
            "[a](https://x.example/)\n\n[again](https://x.example/)\n\n![i](http://y.example/i.png)"
        )
        assert external_links(body) == [
            ("https://x.example/", 1, False),
            ("http://y.example/i.png", 5, True),
        ]

    def test_other_schemes_and_own_addresses_are_ignored(self):
        body = (
            "[m](mailto:a@b.example) [f](ftp://f.example/) [p](post:slug) [r](/blog/x/) "
            "[j](javascript:alert(1)) [h](#top) [d](data:text/plain,hi) [n](http:no-host)"
        )
        assert external_links(body) == []

    def test_a_malformed_address_is_listed_as_the_renderer_reads_it(self):
        # markdown-it normalizes the address, as on the page; the checker then reports it.
        [(url, line, image)] = external_links("[x](http://[::1)")
        assert url.startswith("http://") and (line, image) == (1, False)
        assert check_external_links("[x](http://[::1)").results[0].kind == outbound.NOT_CHECKED


# --- What each address answers ---------------------------------------------------------------


class TestResults:
    def test_ok(self, local):
        result = check(f"{local.base}/ok")
        assert (result.kind, result.status) == (outbound.OK, 200)

    def test_a_permanent_redirect_suggests_the_new_address(self, local):
        result = check(f"{local.base}/moved")
        assert result.kind == outbound.REDIRECTED
        assert result.final_url == f"{local.base}/ok/new"
        assert "update the link" in result.message and f"{local.base}/ok/new" in result.message

    def test_a_temporary_redirect_says_where_without_asking_to_update(self, local):
        result = check(f"{local.base}/temporary")
        assert result.kind == outbound.REDIRECTED and "update" not in result.message

    @pytest.mark.parametrize("path, status", [("/gone", 404), ("/error", 500)])
    def test_broken(self, local, path, status):
        result = check(local.base + path)
        assert (result.kind, result.status) == (outbound.BROKEN, status)

    def test_another_status_is_not_called_broken(self, local):
        result = check(f"{local.base}/forbidden")
        assert (result.kind, result.status) == (outbound.ANSWERED, 403)

    def test_head_refused_then_get(self, local):
        result = check(f"{local.base}/no-head")
        assert result.kind == outbound.OK
        assert [method for method, path, _ in local.requests] == ["HEAD", "GET"]

    def test_a_timeout_is_unreachable(self, local, monkeypatch):
        monkeypatch.setattr(outbound, "READ_SECONDS", 0.3)
        started = time.monotonic()
        result = check(f"{local.base}/slow")
        assert result.kind == outbound.UNREACHABLE and "in time" in result.message
        assert time.monotonic() - started < 2

    def test_nothing_listens(self, settings):
        settings.LINK_CHECK_ALLOW_PRIVATE = True
        with socket.socket() as unused:
            unused.bind(("127.0.0.1", 0))
            port = unused.getsockname()[1]
        settings.LINK_CHECK_PORTS = (port,)
        result = check(f"http://127.0.0.1:{port}/")
        assert result.kind == outbound.UNREACHABLE and "could not connect" in result.message

    def test_a_redirect_loop_stops(self, local):
        result = check(f"{local.base}/loop")
        assert result.kind == outbound.BROKEN and "redirects" in result.message
        assert len(local.requests) == outbound.MAX_REDIRECTS + 1

    def test_no_name_is_unreachable(self):
        result = check("https://nowhere.example/")
        assert (result.kind, result.message) == (outbound.UNREACHABLE, "unreachable: no such host")

    def test_what_is_sent(self, local):
        check(f"http://user:secret@127.0.0.1:{local.server_port}/ok?q=1#part")
        [(method, path, headers)] = local.requests
        assert (method, path) == ("HEAD", "/ok?q=1")
        assert headers["User-Agent"].startswith("Mozilla/5.0 (compatible; link check")
        assert headers["Host"] == f"127.0.0.1:{local.server_port}"
        assert not {"Cookie", "Authorization"} & set(headers)

    def test_the_admins_cookies_are_never_sent(self, local, staff_client):
        response = staff_client.post(URL, {"body": f"[x]({local.base}/ok)"})
        assert response.json()["results"][0]["kind"] == "ok"
        [(_, _, headers)] = local.requests
        assert "Cookie" not in headers and "Authorization" not in headers


# --- Addresses never connected to ------------------------------------------------------------

REFUSED = [
    "http://127.0.0.1/",
    "http://localhost/",
    "http://2130706433/",  # 127.0.0.1 as one decimal number
    "http://0177.0.0.1/",  # octal
    "http://0x7f.1/",
    "http://127.1/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "http://[::ffff:a9fe:a9fe]/",  # 169.254.169.254, mapped
    "http://[64:ff9b::a00:1]/",  # 10.0.0.1 through NAT64
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",
    "http://[::]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # carrier-grade NAT
    "http://0.0.0.0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
]


class TestRefused:
    @pytest.mark.parametrize("url", REFUSED)
    def test_private_addresses_are_not_checked(self, url):
        result = check(url)
        assert (result.kind, result.message) == (
            outbound.NOT_CHECKED,
            "not checked: private address",
        )

    def test_the_local_server_is_refused_by_default_and_never_asked(self, settings, server):
        settings.LINK_CHECK_PORTS = (80, 443, server.server_port)
        result = check(f"{server.base}/ok")
        assert result.message == "not checked: private address"
        assert server.requests == []

    def test_other_ports_are_refused_by_default(self, settings):
        result = check("http://93.184.215.14:8080/")
        assert result.kind == outbound.NOT_CHECKED and "port 8080" in result.message

    def test_a_name_with_any_private_address_is_refused(self, monkeypatch):
        monkeypatch.setattr(outbound, "resolve", lambda host, port: ["93.184.215.14", "10.0.0.7"])
        assert check("http://mixed.example/").message == "not checked: private address"

    @pytest.mark.parametrize(
        "path, where", [("/to-metadata", "169.254.169.254"), ("/to-loopback", "2130706434")]
    )
    def test_a_redirect_to_a_private_address_is_refused(
        self, settings, server, monkeypatch, path, where
    ):
        # The local server stands for a public site here; everything else is judged as ever.
        judge = outbound.is_public
        monkeypatch.setattr(outbound, "is_public", lambda a: str(a) == "127.0.0.1" or judge(a))
        settings.LINK_CHECK_PORTS = (80, 443, server.server_port)
        result = check(server.base + path)
        assert result.kind == outbound.NOT_CHECKED
        assert result.message.startswith(f"not checked: redirects to http://{where}")
        assert result.message.endswith("private address")
        assert len(server.requests) == 1  # only the first hop was asked

    def test_the_name_is_resolved_once_and_the_connection_goes_to_that_address(
        self, local, monkeypatch
    ):
        calls = []

        def rebinding(host, port):
            calls.append(host)
            return ["127.0.0.1"] if len(calls) == 1 else ["10.0.0.1"]

        monkeypatch.setattr(outbound, "resolve", rebinding)
        real_getaddrinfo = socket.getaddrinfo

        def numeric_only(host, *args, **kwargs):
            # urllib3 may only ever be handed the checked address, never the name.
            assert host == "127.0.0.1", host
            return real_getaddrinfo(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", numeric_only)
        result = check(f"http://site.example:{local.server_port}/ok")
        assert result.kind == outbound.OK and calls == ["site.example"]
        assert local.requests[0][2]["Host"] == f"site.example:{local.server_port}"

    def test_the_connected_peer_is_checked_again(self, server):
        # Were a connection to land anywhere but the address checked, it is dropped unused.
        connection = outbound._PinnedHTTP("127.0.0.1", server.server_port)
        connection.expected_address = "203.0.113.9"
        connection.allow_private = True
        with pytest.raises(outbound.NotChecked):
            connection.connect()
        connection = outbound._PinnedHTTP("127.0.0.1", server.server_port)
        connection.expected_address = "127.0.0.1"  # the right address, but not public
        with pytest.raises(outbound.NotChecked):
            connection.connect()
        assert server.requests == []

    @pytest.mark.parametrize(
        "address, public",
        [
            ("93.184.215.14", True),
            ("2606:4700::1", True),
            ("::ffff:93.184.215.14", True),
            ("127.0.0.1", False),
            ("::ffff:10.1.2.3", False),
            ("fe80::1%eth0", False),
            ("fec0::1", False),
            ("192.0.2.1", False),  # documentation
            ("198.18.0.1", False),  # benchmarking
        ],
    )
    def test_is_public(self, address, public):
        assert outbound.is_public(address) is public


# --- Hostile and odd input ---------------------------------------------------------------------

MALFORMED = [
    "http://[::1",
    "http://a:99999/",
    "http://a:port/",
    "http://bücher.example/",
    "http://xn--/",
    "http://a..b/",
    "http://" + "a" * 70 + ".example/",
    "http://exa mple.example/",
    "http://\x00.example/",
    "https:///path",
    "http://%41/",
    "http://example.example/\r\nX-Injected: 1",
]


class TestHostileInput:
    @pytest.mark.parametrize("url", MALFORMED)
    def test_malformed_addresses_are_reported_not_raised(self, url):
        result = outbound.probe(url, user_agent="t")
        assert result.kind in {outbound.NOT_CHECKED, outbound.UNREACHABLE}

    def test_through_the_endpoint(self, staff_client):
        body = "\n\n".join(f"[x](<{url}>)" for url in MALFORMED)
        response = staff_client.post(URL, {"body": body})
        assert response.status_code == 200
        assert all(r["kind"] in {"not-checked", "unreachable"} for r in response.json()["results"])

    def test_thousands_of_links_check_the_first_fifty(self, staff_client):
        body = "\n".join(f"[{i}](http://host-{i}.example/)" for i in range(5000))
        response = staff_client.post(URL, {"body": body})
        data = response.json()
        assert response.status_code == 200
        assert (len(data["results"]), data["found"], data["left_out"]) == (50, 5000, 4950)
        assert data["results"][-1]["line"] == 50

    def test_a_body_over_the_limit_is_refused_plainly(self, staff_client):
        response = staff_client.post(URL, {"body": "x" * 200_001})
        assert response.status_code == 400 and "200,000 characters" in response.json()["error"]

    @pytest.mark.parametrize("body", ["", "no links", "[x](", "<a href=", "\x00" * 10, "](" * 5000])
    def test_odd_bodies(self, staff_client, body):
        response = staff_client.post(URL, {"body": body})
        assert response.status_code == 200 and response.json()["found"] == 0

    def test_the_whole_run_is_bounded_in_time(self, local, monkeypatch):
        body = "\n\n".join(f"[x]({local.base}/slow?{i})" for i in range(20))
        started = time.monotonic()
        report = check_external_links(body, total_seconds=1)
        elapsed = time.monotonic() - started
        assert elapsed < 2.5, elapsed
        assert len(report.results) == 20
        assert all(r.kind == outbound.UNREACHABLE for r in report.results)

    def test_one_run_at_a_time(self, staff_client):
        prepublish_admin._checking_links.acquire()
        try:
            response = staff_client.post(URL, {"body": "[x](http://a.example/)"})
        finally:
            prepublish_admin._checking_links.release()
        assert response.status_code == 429 and "try again" in response.json()["error"]


def test_thirty_links_against_the_local_server(local, capsys):
    body = "\n\n".join(f"Paragraph {i} [link]({local.base}/ok/{i})" for i in range(30))
    started = time.monotonic()
    report = check_external_links(body)
    elapsed = time.monotonic() - started
    assert [r.kind for r in report.results] == [outbound.OK] * 30
    assert [r.line for r in report.results] == list(range(1, 60, 2))
    assert elapsed < 3, elapsed
    with capsys.disabled():
        print(f"\n30 links against the local server: {elapsed:.2f} s")


# --- The endpoint ---------------------------------------------------------------------------


class TestEndpoint:
    def test_results_with_lines(self, local, staff_client):
        body = f"Start.\n\n[gone]({local.base}/gone)\n\n![img]({local.base}/ok/i.png)"
        data = staff_client.post(URL, {"body": body}).json()
        assert [(r["line"], r["kind"], r["image"]) for r in data["results"]] == [
            (3, "broken", False),
            (5, "ok", True),
        ]
        assert (data["found"], data["left_out"]) == (2, 0)

    def test_anonymous_is_sent_to_sign_in(self, db):
        assert Client().post(URL, {"body": "x"}).status_code == 302

    def test_staff_without_post_rights_are_refused(self, db, django_user_model):
        clerk = django_user_model.objects.create_user("clerk", password="pw", is_staff=True)
        client = Client()
        client.force_login(clerk)
        assert client.post(URL, {"body": "[x](http://a.example/)"}).status_code == 403

    def test_an_author_may(self, db, django_user_model):
        from django.contrib.auth.models import Group

        writer = django_user_model.objects.create_user("writer", password="pw", is_staff=True)
        writer.groups.add(Group.objects.get(name="Author"))
        client = Client()
        client.force_login(writer)
        assert client.post(URL, {"body": "hi"}).status_code == 200

    def test_post_only(self, staff_client):
        assert staff_client.get(URL).status_code == 405

    def test_csrf_is_required(self, db, django_user_model):
        client = Client(enforce_csrf_checks=True)
        client.force_login(django_user_model.objects.create_superuser("boss", password="pw"))
        assert client.post(URL, {"body": "hi"}).status_code == 403

    def test_the_panel_offers_the_button(self, staff_client, make_post):
        post = make_post()
        html = staff_client.get(f"/admin/blog/post/{post.pk}/change/").text
        assert 'data-url="/admin/blog/post/check-external-links/"' in html
        assert "Check external links" in html and "blog/link-check.js" in html
        html = staff_client.get("/admin/blog/post/add/").text
        assert "Check external links" in html


# --- Missing media files (pre-publish, no network) -------------------------------------------


class TestMissingMedia:
    def test_a_missing_image_warns_at_its_line(self, db):
        default_storage.save("uploads/here.png", ContentFile(b"x"))
        body = "Text.\n\n![a](/media/uploads/here.png)\n\n![b](/media/uploads/gone.png)"
        [warning] = media_checks(body)
        assert (warning.level, warning.line, warning.field) == (WARNING, 5, "body")
        assert "/media/uploads/gone.png" in warning.message

    def test_it_follows_the_storage(self, db):
        body = "![a](/media/uploads/later.png)"
        assert len(media_checks(body)) == 1
        default_storage.save("uploads/later.png", ContentFile(b"x"))
        assert media_checks(body) == []

    def test_encoded_names_and_other_images(self, db):
        default_storage.save("uploads/a b.png", ContentFile(b"x"))
        body = (
            "![a](/media/uploads/a%20b.png) ![c](https://cdn.example/x.png) ![d](/static/x.png)"
            " [not an image](/media/uploads/none.pdf)"
        )
        assert media_checks(body) == []

    @pytest.mark.parametrize(
        "src", ["/media/../settings.py", "/media/%00x", "/media/", "/media/" + "a" * 5000]
    )
    def test_odd_names_are_missing_not_errors(self, db, src):
        assert [c.level for c in media_checks(f"![x]({src})")] == [WARNING]

    def test_an_absolute_media_url(self, db, settings):
        settings.MEDIA_URL = "https://cdn.example/media/"
        assert len(media_checks("![x](https://cdn.example/media/gone.png)")) == 1
        assert media_checks("![x](https://other.example/media/gone.png)") == []

    def test_the_featured_images_file(self, db):
        draft = CheckedPost(featured_image_name="featured/gone.jpg")
        [warning] = featured_image_file_checks(draft)
        assert (warning.field, warning.level) == ("featured_image", WARNING)
        default_storage.save("featured/gone.jpg", ContentFile(b"x"))
        assert featured_image_file_checks(draft) == []

    def test_on_the_change_page(self, staff_client, make_post):
        post = make_post(body="Hi.\n\n![a](/media/uploads/gone.png)", featured_image=image_upload())
        post.featured_image_alt = "A photo"
        post.save()
        default_storage.delete(post.featured_image.name)
        html = staff_client.get(f"/admin/blog/post/{post.pk}/change/").text
        assert "is not in the media library" in html
        assert "The featured image&#x27;s file" in html
        assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED  # a warning only

    def test_the_live_checks_ask_one_query_more_for_the_featured_image(
        self, staff_client, make_post
    ):
        post = make_post(featured_image=image_upload(), featured_image_alt="A photo")
        default_storage.delete(post.featured_image.name)
        url = "/admin/blog/post/prepublish-checks/"
        data = {"title": "T", "slug": post.slug, "body": "Hi.", "post": str(post.pk)}
        staff_client.post(url, data)  # session and permissions cached alike for both
        with CaptureQueriesContext(connection) as without:
            staff_client.post(url, data)
        with CaptureQueriesContext(connection) as with_image:
            checks = staff_client.post(url, {**data, "has_featured_image": "1"}).json()["checks"]
        assert len(with_image.captured_queries) == len(without.captured_queries) + 1
        assert "Featured image" in [c["where"] for c in checks]
        # A new file chosen in the form replaces the missing one: nothing to say.
        checks = staff_client.post(
            url, {**data, "has_featured_image": "1", "featured_image_new": "1"}
        ).json()["checks"]
        assert "Featured image" not in [c["where"] for c in checks]


def test_no_thread_is_left_behind(local):
    before = threading.active_count()
    check_external_links(f"[x]({local.base}/ok)")
    time.sleep(0.2)
    assert threading.active_count() <= before
