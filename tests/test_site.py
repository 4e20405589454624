"""Site settings and the pages built from them: header, navigation, call to action, footer,
the admin's single record, the settings cache and what each site page costs."""

import json
import re

import pytest

from blog.models import AuthorLink
from books.models import Book, BuyLink
from pages.models import NavItem, Service, SiteSettings, SocialProfile
from praise import models as praise_models  # not imported by name: pytest collects Test*

pytestmark = pytest.mark.django_db

SETTINGS_URL = "/admin/pages/sitesettings/1/change/"
SETTINGS_FIELDS = [
    "site_name", "tagline", "introduction", "footer_text", "cta_label", "cta_url",
    "article_cta", "offer_title", "offer", "notification_email", "default_share_image_alt",
]  # fmt: skip
INLINES = {
    "nav_items": ["label", "url", "position"],
    "social_profiles": ["label", "url", "position"],
    "services": ["title", "summary", "position"],
}


def update_settings(**fields):
    """Save settings the way the admin does, through save() and its signals."""
    site = SiteSettings.objects.get(pk=1)
    for name, value in fields.items():
        setattr(site, name, value)
    site.save()
    return site


def settings_form(**overrides):
    """The site-settings change form as the admin submits it, from what is stored now."""
    site = SiteSettings.objects.get(pk=1)
    data = {name: getattr(site, name) for name in SETTINGS_FIELDS}
    data["owner"] = site.owner_id or ""
    for prefix, fields in INLINES.items():
        items = list(getattr(site, prefix).all())
        data |= {
            f"{prefix}-TOTAL_FORMS": len(items),
            f"{prefix}-INITIAL_FORMS": len(items),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for i, item in enumerate(items):
            data[f"{prefix}-{i}-id"] = item.pk
            data[f"{prefix}-{i}-settings"] = site.pk
            for field in fields:
                data[f"{prefix}-{i}-{field}"] = getattr(item, field)
    data.update(overrides)
    return data


def nav_labels(html):
    nav = html.split('<nav class="site-nav"')[1].split("</ul>")[0]
    return re.findall(r"<li><a [^>]*>(.*?)</a></li>", nav)


def header(html):
    return html.split('<header class="site-header">')[1].split("</header>")[0]


def footer(html):
    return html.split('<footer class="site-footer">')[1].split("</footer>")[0]


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


class TestHeader:
    def test_shows_the_owners_initials_and_the_site_name(self, client, author):
        update_settings(site_name="Navarro Advisory")
        html = header(client.get("/").content.decode())
        assert '<span class="brand-mark" aria-hidden="true">AN</span>' in html
        assert '<span class="brand-name">Navarro Advisory</span>' in html

    def test_without_an_owner_the_initials_come_from_the_site_name(self, client, db):
        update_settings(site_name="quiet harbour press", owner=None)
        html = header(client.get("/").content.decode())
        assert '<span class="brand-mark" aria-hidden="true">QH</span>' in html

    def test_navigation_comes_from_the_settings_in_order(self, client, db):
        site = SiteSettings.load()
        NavItem.objects.filter(settings=site).delete()
        NavItem.objects.create(settings=site, label="Writing", url="/blog/", position=20)
        NavItem.objects.create(settings=site, label="Start here", url="/about/", position=10)
        NavItem.objects.create(settings=site, label="Talks", url="/blog/", position=20)
        html = client.get("/blog/").content.decode()
        assert nav_labels(html) == ["Start here", "Writing", "Talks"]
        assert '<a href="/blog/" aria-current="page">Writing</a>' in html

    def test_a_navigation_edit_in_the_admin_shows_on_the_next_request(
        self, client, staff_client, db
    ):
        assert nav_labels(client.get("/").content.decode()) == ["Blog", "Books", "Praise", "About"]
        books, about = NavItem.objects.get(label="Books"), NavItem.objects.get(label="About")
        form = settings_form()
        index = {form[f"nav_items-{i}-id"]: i for i in range(4)}
        form |= {
            f"nav_items-{index[books.pk]}-label": "Library",
            # Refused: a position is a whole number (a negative one only means "first").
            f"nav_items-{index[about.pk]}-position": "first",
        }
        response = staff_client.post(SETTINGS_URL, form)
        assert response.status_code == 200  # the form comes back with the error
        assert "Enter a whole number." in response.content.decode()
        assert nav_labels(client.get("/").content.decode()) == ["Blog", "Books", "Praise", "About"]

        form |= {
            f"nav_items-{index[about.pk]}-position": 0,
            f"nav_items-{index[books.pk]}-DELETE": "on",
            "nav_items-TOTAL_FORMS": 5,
            "nav_items-4-label": "Newsletter",
            "nav_items-4-url": "https://newsletter.example.com/",
            "nav_items-4-position": 9,
        }
        for label in ["Blog", "Praise"]:
            form[f"nav_items-{index[NavItem.objects.get(label=label).pk]}-position"] += 1
        response = staff_client.post(SETTINGS_URL, form)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert nav_labels(client.get("/").content.decode()) == [
            "About",
            "Blog",
            "Praise",
            "Newsletter",
        ]

    def test_call_to_action_label_and_target_come_from_the_settings(self, client, author):
        update_settings(cta_label="Book a call", cta_url="https://cal.example.com/alex")
        html = client.get("/").content.decode()
        assert (
            '<a class="button button-cta" href="https://cal.example.com/alex">Book a call'
            in header(html)
        )
        assert 'href="https://cal.example.com/alex?from=home">Book a call' in html

    def test_no_call_to_action_without_a_target(self, client, author):
        update_settings(cta_url="")
        for url in ["/", "/about/", "/praise/"]:
            assert "button-cta" not in client.get(url).content.decode(), url


class TestFooter:
    def test_shows_footer_text_and_social_profiles_in_order(self, client, db):
        site = update_settings(site_name="Navarro Advisory", footer_text="Based in Lisbon.")
        SocialProfile.objects.create(
            settings=site, label="GitHub", url="https://github.com/x", position=2
        )
        SocialProfile.objects.create(
            settings=site, label="LinkedIn", url="https://www.linkedin.com/in/x", position=1
        )
        html = footer(client.get("/about/").content.decode())
        assert "Navarro Advisory. Based in Lisbon." in html
        assert re.findall(r'<a href="([^"]+)" rel="me noopener">', html) == [
            "https://www.linkedin.com/in/x",
            "https://github.com/x",
        ]

    def test_no_profile_list_without_profiles(self, client, db):
        assert 'class="footer-links"' not in client.get("/").content.decode()


class TestSettingsAdmin:
    def test_the_list_goes_straight_to_the_one_record(self, staff_client, db):
        response = staff_client.get("/admin/pages/sitesettings/")
        assert response.status_code == 302 and response["Location"] == SETTINGS_URL
        assert staff_client.get(SETTINGS_URL).status_code == 200

    def test_the_record_is_created_when_missing(self, staff_client, db):
        SiteSettings.objects.all().delete()
        response = staff_client.get("/admin/pages/sitesettings/")
        assert response["Location"] == SETTINGS_URL
        assert SiteSettings.objects.filter(pk=1).exists()

    def test_settings_cannot_be_added_or_deleted(self, staff_client, db):
        assert staff_client.get("/admin/pages/sitesettings/add/").status_code == 403
        assert staff_client.get("/admin/pages/sitesettings/1/delete/").status_code == 403
        assert (
            staff_client.post("/admin/pages/sitesettings/1/delete/", {"post": "yes"}).status_code
            == 403
        )
        html = staff_client.get(SETTINGS_URL).content.decode()
        assert "/admin/pages/sitesettings/1/delete/" not in html
        assert "/admin/pages/sitesettings/add/" not in html
        assert SiteSettings.objects.filter(pk=1).exists()

    def test_saving_the_form_updates_the_pages(self, client, staff_client, author):
        client.get("/")  # cache the settings
        form = settings_form(site_name="Navarro Advisory", footer_text="Lisbon, worldwide.")
        assert staff_client.post(SETTINGS_URL, form).status_code == 302
        html = client.get("/").content.decode()
        assert '<span class="brand-name">Navarro Advisory</span>' in html
        assert "Lisbon, worldwide." in footer(html)


class TestSettingsCache:
    def test_load_costs_nothing_when_warm(self, author, django_assert_num_queries):
        SiteSettings.load()
        with django_assert_num_queries(0):
            site = SiteSettings.load()
        assert site.owner.name == "Alex Navarro" and [i.label for i in site.nav][0] == "Blog"

    @pytest.mark.parametrize("count", [1, 6])
    def test_load_costs_a_fixed_number_when_cold(self, author, django_assert_num_queries, count):
        site = SiteSettings.objects.get(pk=1)
        for i in range(count):
            SocialProfile.objects.create(
                settings=site, label=f"P{i}", url=f"https://p{i}.example.com"
            )
            Service.objects.create(settings=site, title=f"S{i}", summary="Help.")
            AuthorLink.objects.create(author=author, label=f"L{i}", url=f"https://l{i}.example.com")
        SiteSettings.forget()
        # settings with owner, nav items, social profiles, services, owner links
        with django_assert_num_queries(5):
            site = SiteSettings.load()
        assert len(site.profiles) == len(site.service_list) == len(site.owner_links) == count

    def test_without_owner_there_are_no_links_to_fetch(self, db, django_assert_num_queries):
        SiteSettings.forget()
        with django_assert_num_queries(4):
            assert SiteSettings.load().owner_links == []

    def test_renaming_the_owner_in_the_admin_changes_the_header(self, client, staff_client, author):
        assert ">AN</span>" in header(client.get("/").content.decode())
        form = {
            "name": "Sam Ortiz",
            "slug": author.slug,
            "role": "AI engineering advisor",
            "bio": "",
            "website": "",
            "links-TOTAL_FORMS": 1,
            "links-INITIAL_FORMS": 0,
            "links-MIN_NUM_FORMS": 0,
            "links-MAX_NUM_FORMS": 1000,
            "links-0-label": "Mastodon",
            "links-0-url": "https://mastodon.example/@sam",
            "links-0-position": 0,
        }
        response = staff_client.post(f"/admin/blog/author/{author.pk}/change/", form)
        assert response.status_code == 302, response.content.decode()[:2000]
        html = client.get("/about/").content.decode()
        assert ">SO</span>" in header(html) and "<h1>Sam Ortiz</h1>" in html
        person = json_ld(html)["@graph"][1]
        assert person["jobTitle"] == "AI engineering advisor"
        assert person["sameAs"] == ["https://mastodon.example/@sam"]


@pytest.fixture
def full_site(author, make_post, make_tag):
    """Content for every section of the home page, `size` of each kind of thing."""

    def build(size):
        tags = [make_tag(f"Topic {i}") for i in range(size)]
        for _ in range(size):
            make_post(tags=tags)
        book = Book.objects.create(title="Hiring AI Engineers", slug="hiring-ai", featured=True)
        for i in range(size):
            BuyLink.objects.create(book=book, label=f"Shop {i}", url=f"https://shop{i}.example.com")
        for i in range(size):
            praise_models.Testimonial.objects.create(
                quote=f"Quote {i}.", name=f"Client {i}", featured=True, position=i
            )

    return build


class TestPageCosts:
    @pytest.mark.parametrize("size", [1, 6])
    def test_home(self, client, full_site, django_assert_num_queries, size):
        full_site(size)
        SiteSettings.load()  # cached site-wide
        # latest posts with authors, featured book, featured praise
        with django_assert_num_queries(3):
            html = client.get("/").content.decode()
        assert html.count('class="post-card"') == min(size, 3)
        assert "Hiring AI Engineers" in html
        assert html.count('<figure class="testimonial">') == min(size, 3)

    @pytest.mark.parametrize("links", [1, 6])
    def test_about(self, client, author, django_assert_num_queries, links):
        for i in range(links):
            AuthorLink.objects.create(author=author, label=f"L{i}", url=f"https://l{i}.example.com")
        SiteSettings.load()
        with django_assert_num_queries(0):  # everything comes from the cached settings
            html = client.get("/about/").content.decode()
        assert html.count('<span class="profile-label">L') == links


class TestAboutStructuredData:
    def test_profile_page_about_the_owner_as_a_person(self, client, author):
        author.role, author.website = "AI engineering advisor", "https://alexnavarro.example"
        author.save()
        AuthorLink.objects.create(
            author=author, label="GitHub", url="https://github.com/alex", position=1
        )
        AuthorLink.objects.create(
            author=author, label="LinkedIn", url="https://www.linkedin.com/in/alex", position=0
        )
        site = SiteSettings.objects.get(pk=1)
        SocialProfile.objects.create(settings=site, label="Mastodon", url="https://m.example/@a")
        # The same profile listed twice is named once.
        SocialProfile.objects.create(settings=site, label="GitHub", url="https://github.com/alex")

        graph = json_ld(client.get("/about/").content.decode())
        assert graph["@context"] == "https://schema.org"
        page, person = graph["@graph"]
        assert page["@type"] == "ProfilePage" and page["url"] == "http://testserver/about/"
        assert page["mainEntity"] == {"@id": person["@id"]}
        assert person["@type"] == "Person" and person["@id"] == "http://testserver/about/#person"
        assert person["name"] == "Alex Navarro"
        assert person["jobTitle"] == "AI engineering advisor"
        assert person["sameAs"] == [
            "https://alexnavarro.example",
            "https://www.linkedin.com/in/alex",
            "https://github.com/alex",
            "https://m.example/@a",
        ]

    def test_no_person_without_an_owner(self, client, db):
        assert "application/ld+json" not in client.get("/about/").content.decode()


class TestEveryPage:
    @pytest.fixture
    def urls(self, full_site, make_post):
        full_site(3)
        post = make_post(title="An article", tags=[])
        return [
            "/",
            "/about/",
            "/blog/",
            post.get_absolute_url(),
            "/blog/tag/topic-0/",
            "/books/",
            "/books/hiring-ai/",
            "/praise/",
            "/work-with-me/",
        ]

    def test_every_page_has_exactly_one_h1(self, client, urls):
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content.decode().count("<h1") == 1, url

    def test_every_article_ends_with_the_call_to_action_box(self, client, make_post):
        posts = [make_post(slug=slug) for slug in ["hiring-ai-engineers", "team-reviews", "evals"]]
        for post in posts:
            html = client.get(post.get_absolute_url()).content.decode()
            box = re.search(r'<aside class="cta-box".*?</aside>', html, re.S)
            assert box, post.slug
            assert f'href="/work-with-me/?from={post.slug}"' in box.group(0)
