"""Praise: the page, the featured quotes elsewhere, the admin rules and the demo loader."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from demo.loaders import praise as demo
from pages.models import SiteSettings

# Imported through the module: pytest would try to collect a class named Test... here.
from praise import models as praise_models
from praise.models import PORTRAIT_SIZE
from tests.conftest import image_upload

pytestmark = pytest.mark.django_db

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


def make_testimonial(**fields):
    fields.setdefault("quote", "Alex helped us hire two engineers in six weeks.")
    fields.setdefault("name", "Priya Raman")
    return praise_models.Testimonial.objects.create(**fields)


def figures(html):
    return re.findall(r'<figure class="testimonial">.*?</figure>', html, re.S)


class TestPraisePage:
    def test_renders_intro_testimonials_and_a_closing_call_to_action(self, client, author):
        make_testimonial(quote="They cut our time-to-hire from 14 weeks to 6.")
        response = client.get("/praise/")
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<h1") == 1 and '<p class="lede">' in html
        cta = html.index('<aside class="cta-box praise-cta"')
        assert html.index("14 weeks to 6") < cta
        assert 'href="/work-with-me/?from=praise">Work with me' in html[cta:]

    def test_call_to_action_follows_the_settings(self, client, db):
        site = SiteSettings.load()
        site.cta_label, site.cta_url = "Book a call", "https://cal.example.com/alex"
        site.save()
        html = client.get("/praise/").content.decode()
        assert 'href="https://cal.example.com/alex?from=praise">Book a call' in html

    def test_ordered_by_position_then_creation(self, client, db):
        make_testimonial(name="Third Person", position=30)
        make_testimonial(name="First Person", position=10)
        make_testimonial(name="Second Person", position=10)
        html = client.get("/praise/").content.decode()
        positions = [html.index(name) for name in ["First", "Second", "Third"]]
        assert positions == sorted(positions)

    def test_markup_is_figure_blockquote_figcaption_with_cited_source(self, client, db):
        make_testimonial(
            quote="First paragraph,\nwrapped.\n\nSecond paragraph.",
            role="CTO",
            organisation="Tallowbrook Freight",
            source_url="https://www.linkedin.com/in/example",
            source_label="LinkedIn recommendation",
        )
        (figure,) = figures(client.get("/praise/").content.decode())
        assert (
            '<blockquote class="testimonial-quote" cite="https://www.linkedin.com/in/example">'
            in figure
        )
        assert "<p>First paragraph, wrapped.</p><p>Second paragraph.</p>" in figure
        caption = figure.split("<figcaption")[1]
        assert '<span class="testimonial-name">Priya Raman</span>' in caption
        assert '<span class="testimonial-role">CTO, Tallowbrook Freight</span>' in caption
        assert (
            '<cite class="testimonial-source"><a href="https://www.linkedin.com/in/example"'
            ' rel="noopener">LinkedIn recommendation</a></cite>'
        ) in caption

    def test_source_without_label_is_cited_by_site_name(self, client, db):
        make_testimonial(source_url="https://www.example.org/reviews/42")
        html = client.get("/praise/").content.decode()
        assert ">example.org</a></cite>" in html

    def test_photo_is_shown_small_lazy_and_described(self, client, db):
        make_testimonial(photo=image_upload(size=(900, 600)), photo_alt="Priya at her desk")
        (figure,) = figures(client.get("/praise/").content.decode())
        img = re.search(r"<img [^>]*>", figure).group(0)
        for attribute in ['alt="Priya at her desk"', 'width="64"', 'height="64"', 'loading="lazy"']:
            assert attribute in img
        assert "testimonial-initials" not in figure

    def test_initials_stand_in_for_a_missing_photo(self, client, db):
        make_testimonial(name="Marcus Oyelaran")
        (figure,) = figures(client.get("/praise/").content.decode())
        assert '<span class="testimonial-initials" aria-hidden="true">MO</span>' in figure
        assert "<img" not in figure

    def test_html_in_quotes_and_names_is_escaped(self, client, db):
        make_testimonial(quote='Great <script>alert("x")</script> <b>work</b>', name="<i>Eve</i>")
        html = client.get("/praise/").content.decode()
        assert "<script>alert" not in html and "<b>work</b>" not in html and "<i>Eve" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert "&lt;i&gt;Eve&lt;/i&gt;" in html

    def test_empty_page_still_invites_enquiries(self, client, db):
        html = client.get("/praise/").content.decode()
        assert "on their way" in html and "?from=praise" in html

    def test_is_cacheable_for_readers(self, client, db):
        response = client.get("/praise/")
        assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]

    @pytest.mark.parametrize("count", [1, 10])
    def test_query_count_is_fixed(self, client, author, django_assert_num_queries, count):
        for i in range(count):
            make_testimonial(name=f"Person {i}", featured=i % 2 == 0, position=i)
        SiteSettings.load()  # cached site-wide; its cost is tested in tests/test_site.py
        with django_assert_num_queries(1):  # the testimonials
            html = client.get("/praise/").content.decode()
        assert len(figures(html)) == count


class TestFeatured:
    @pytest.fixture
    def testimonials(self, db):
        make_testimonial(name="Not Featured", position=0)
        for position in [50, 10, 40, 20, 30]:
            make_testimonial(name=f"Featured {position}", featured=True, position=position)

    def test_home_shows_the_first_three_featured_in_order(self, client, testimonials):
        html = client.get("/").content.decode()
        section = html.split('<section class="home-praise"')[1].split("</section>")[0]
        names = re.findall(r'<span class="testimonial-name">(.*?)</span>', section)
        assert names == ["Featured 10", "Featured 20", "Featured 30"]
        assert 'href="/praise/"' in section

    def test_work_with_me_shows_the_featured_ones(self, client, testimonials):
        html = client.get("/work-with-me/").content.decode()
        names = re.findall(r'<span class="testimonial-name">(.*?)</span>', html)
        assert names == ["Featured 10", "Featured 20", "Featured 30"]

    def test_home_has_no_praise_section_without_featured_quotes(self, client, db):
        make_testimonial(featured=False)
        html = client.get("/").content.decode()
        assert "home-praise" not in html and "testimonial-name" not in html

    def test_the_praise_page_shows_featured_and_others_alike(self, client, testimonials):
        assert len(figures(client.get("/praise/").content.decode())) == 6


def add_form(**overrides):
    data = {
        "quote": "We hired two AI engineers in six weeks.",
        "name": "Sofia Lindqvist",
        "role": "CEO",
        "organisation": "Kettlebird",
        "photo_alt": "",
        "source_url": "",
        "source_label": "",
        "position": "10",
    }
    data.update(overrides)
    return data


class TestAdmin:
    def test_changelist_edits_featured_and_position_in_place(self, staff_client, db):
        make_testimonial(organisation="Kettlebird", position=5)
        html = staff_client.get("/admin/praise/testimonial/").content.decode()
        assert "Kettlebird" in html
        assert 'name="form-0-featured"' in html and 'name="form-0-position"' in html
        assert "?featured__exact=1" in html  # the featured filter
        assert 'name="q"' in html  # search

    def test_search_finds_by_organisation(self, staff_client, db):
        make_testimonial(name="Priya Raman", organisation="Tallowbrook Freight")
        make_testimonial(name="Marcus Oyelaran", organisation="Quillfern Health")
        html = staff_client.get("/admin/praise/testimonial/?q=quillfern").content.decode()
        assert "Marcus Oyelaran" in html and "Priya Raman" not in html

    def test_photo_needs_a_description(self, staff_client, db):
        data = add_form(photo=image_upload(), photo_alt="   ")
        response = staff_client.post("/admin/praise/testimonial/add/", data)
        assert response.status_code == 200
        assert "Describe the photo" in response.content.decode()
        assert not praise_models.Testimonial.objects.exists()

    def test_photo_is_stored_as_a_small_square_under_a_random_name(self, staff_client, db):
        data = add_form(
            photo=image_upload("Sofia Holiday.png", size=(1200, 800)), photo_alt="Sofia smiling"
        )
        assert staff_client.post("/admin/praise/testimonial/add/", data).status_code == 302
        photo = praise_models.Testimonial.objects.get().photo
        assert photo.name.startswith("testimonial/") and "Holiday" not in photo.name
        with Image.open(photo.path) as stored:
            assert stored.size == (PORTRAIT_SIZE, PORTRAIT_SIZE)

    def test_small_photos_are_not_enlarged(self, db):
        testimonial = make_testimonial(photo=image_upload(size=(90, 120)), photo_alt="A face")
        with Image.open(testimonial.photo.path) as stored:
            assert stored.size == (90, 90)

    def test_a_fake_image_is_refused(self, staff_client, db):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", "image/png")
        data = add_form(photo=fake, photo_alt="alt")
        response = staff_client.post("/admin/praise/testimonial/add/", data)
        assert response.status_code == 200 and not praise_models.Testimonial.objects.exists()

    def test_no_photo_needs_no_description(self, db):
        praise_models.Testimonial(quote="Fine.", name="Hana Kuroda").full_clean()
        with pytest.raises(ValidationError, match="Describe the photo"):
            praise_models.Testimonial(
                quote="Fine.", name="Hana Kuroda", photo="testimonial/x.png", photo_alt=""
            ).full_clean()


class TestDemo:
    def test_loads_six_testimonials_once(self, db):
        message = demo.load(DEMO_DIR)
        assert message == "Loaded 6 demo testimonials."
        testimonials = list(praise_models.Testimonial.objects.all())
        assert len(testimonials) == 6
        assert sum(t.featured for t in testimonials) == 3
        assert all(t.photo and t.photo_alt and t.role and t.organisation for t in testimonials)
        assert [t.position for t in testimonials] == sorted({t.position for t in testimonials})

        again = demo.load(DEMO_DIR)
        assert "\n" not in again and "not loaded" in again
        assert praise_models.Testimonial.objects.count() == 6

    def test_does_not_load_into_a_table_with_testimonials(self, db):
        make_testimonial()
        assert "not loaded" in demo.load(DEMO_DIR)
        assert praise_models.Testimonial.objects.count() == 1

    def test_demo_photos_are_small(self):
        photos = list((DEMO_DIR / "images" / "praise").iterdir())
        assert photos and all(photo.stat().st_size < 20_000 for photo in photos)
