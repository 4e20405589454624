"""Work with me and its enquiry form, through HTTP as a visitor and as the author in the admin."""

import csv
import io
import logging
import re
import smtplib
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.utils import timezone

from demo.loaders import enquiries as demo
from enquiries.forms import sign_started_at
from enquiries.models import BudgetRange, Enquiry, Need, RejectedSubmission
from enquiries.spam import MAX_FORM_AGE_SECONDS, started_at
from pages.models import Service, SiteSettings
from praise import models as praise

pytestmark = pytest.mark.django_db

URL = "/work-with-me/"
THANKS = "/work-with-me/thanks/"
OWNER_EMAIL = "owner@example.com"
Reason = RejectedSubmission.Reason
Notification = Enquiry.Notification


class BrokenMailer(BaseEmailBackend):
    """A mail backend whose SMTP server is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def broken_mail(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_enquiries.BrokenMailer"}}


@pytest.fixture
def needs(db):
    return [
        Need.objects.create(label="Hiring AI engineers", position=0),
        Need.objects.create(label="Advisory retainer", position=1),
        Need.objects.create(label="Retired offer", position=2, active=False),
    ]


@pytest.fixture
def budgets(db):
    return [
        BudgetRange.objects.create(label="Under €5k", position=0),
        BudgetRange.objects.create(label="€15k–€50k", position=1),
    ]


@pytest.fixture
def owner_email(db):
    SiteSettings.load()
    SiteSettings.objects.filter(pk=1).update(notification_email=OWNER_EMAIL)
    SiteSettings.forget()


def form_data(needs, **overrides):
    data = {
        "name": "Dana Reyes",
        "email": "dana@example.com",
        "company": "Quillfern Health",
        "need": needs[0].pk if needs else "",
        "budget": "",
        "message": "We need to hire two ML engineers by June.",
        "source": "hiring-ai-engineers",
        "started_at": sign_started_at(time.time() - 10),
        "website": "",
    }
    return data | overrides


def post(client, needs, **overrides):
    return client.post(URL, form_data(needs, **overrides))


def rejections(reason):
    return sum(RejectedSubmission.objects.filter(reason=reason).values_list("count", flat=True))


class TestPage:
    def test_shows_offer_services_praise_and_form(self, client, author, needs, budgets):
        site = SiteSettings.objects.get(pk=1)
        site.offer_title = "Hire me for your AI team"
        site.offer = "I take on **four clients a quarter**."
        site.save()
        Service.objects.create(settings=site, title="Second service", summary="B", position=2)
        Service.objects.create(settings=site, title="First service", summary="*A*", position=1)
        praise.Testimonial.objects.create(
            quote="Worth every euro.", name="Priya Raman", featured=True
        )
        praise.Testimonial.objects.create(quote="Not featured.", name="Someone Else")

        response = client.get(URL)
        html = response.content.decode()

        assert response.status_code == 200
        assert html.count("<h1") == 1 and ">Hire me for your AI team</h1>" in html
        assert "<strong>four clients a quarter</strong>" in html
        services = html.split('<ol class="service-list">')[1].split("</ol>")[0]
        assert services.index("First service") < services.index("Second service")
        assert "<em>A</em>" in services
        assert "Worth every euro." in html and "Not featured." not in html
        assert "Hiring AI engineers" in html and "€15k–€50k" in html
        assert "Retired offer" not in html
        assert 'name="csrfmiddlewaretoken"' in html
        assert '<label for="id_name">Your name</label>' in html
        assert 'for="id_company">Company <span class="optional">(optional)</span>' in html

    def test_is_never_stored_by_shared_caches(self, client, needs):
        response = client.get(URL)
        cache_control = response.headers["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control
        assert "public" not in cache_control

    def test_canonical_url_drops_the_from_parameter(self, client, needs):
        html = client.get(URL + "?from=some-post").content.decode()
        assert '<link rel="canonical" href="http://testserver/work-with-me/">' in html

    def test_honeypot_is_hidden_from_people_but_labelled(self, client, needs):
        html = client.get(URL).content.decode()
        honeypot = re.search(r'<input[^>]*name="website"[^>]*>', html).group(0)
        assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
        assert '<label for="id_website">Leave this field empty' in html
        assert '<div class="enquiry-extra">' in html

    def test_form_carries_a_signed_start_time(self, client, needs):
        html = client.get(URL).content.decode()
        value = re.search(r'name="started_at" value="([^"]+)"', html).group(1)
        assert abs(started_at(value) - time.time()) < 5

    @pytest.mark.parametrize("count", [1, 6])
    def test_query_count_does_not_grow_with_content(self, client, django_assert_num_queries, count):
        site = SiteSettings.load()
        for i in range(count):
            Need.objects.create(label=f"Need {i}", position=i)
            BudgetRange.objects.create(label=f"Budget {i}", position=i)
            Service.objects.create(settings_id=site.pk, title=f"Service {i}", summary="Text.")
            praise.Testimonial.objects.create(quote=f"Quote {i}", name=f"Client {i}", featured=True)
        SiteSettings.load()  # warm the cached settings, as every visit after the first finds them

        # Featured praise, the needs, the budget ranges.
        with django_assert_num_queries(3):
            response = client.get(URL)
        assert response.content.decode().count('class="service"') == count


class TestSubmitting:
    def test_valid_enquiry_is_stored_then_emailed_then_thanked(
        self, client, needs, budgets, owner_email, mailoutbox
    ):
        response = post(client, needs, budget=budgets[1].pk)

        assert response.status_code == 302 and response.url == THANKS
        enquiry = Enquiry.objects.get()
        assert (enquiry.name, enquiry.email, enquiry.company) == (
            "Dana Reyes",
            "dana@example.com",
            "Quillfern Health",
        )
        assert enquiry.need == needs[0] and enquiry.budget == budgets[1]
        assert enquiry.source == "hiring-ai-engineers"
        assert not enquiry.handled
        assert enquiry.notification == Notification.SENT and enquiry.notified_at
        assert len(mailoutbox) == 1
        email = mailoutbox[0]
        assert email.to == [OWNER_EMAIL] and email.reply_to == ["dana@example.com"]
        assert email.subject == "New enquiry from Dana Reyes: Hiring AI engineers"
        for detail in [
            "Quillfern Health",
            "€15k–€50k",
            "hire two ML engineers by June",
            "hiring-ai-engineers",
        ]:
            assert detail in email.body

    def test_thank_you_page(self, client, needs, owner_email, django_assert_num_queries):
        url = post(client, needs).url
        SiteSettings.load()
        with django_assert_num_queries(0):
            response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert html.count("<h1") == 1 and "Thank you" in html
        assert "no-store" in response.headers["Cache-Control"]
        assert '<meta name="robots" content="noindex">' in html

    def test_the_source_travels_from_the_call_to_action_through_the_form(
        self, client, needs, owner_email
    ):
        html = client.get(URL + "?from=home").content.decode()
        assert '<input type="hidden" name="source" value="home"' in html
        data = form_data(needs, source=re.search(r'name="source" value="([^"]*)"', html)[1])
        client.post(URL, data)
        assert Enquiry.objects.get().source == "home"

    def test_the_name_cannot_break_the_email_subject(self, client, needs, owner_email, mailoutbox):
        post(client, needs, name="Dana\r\nBcc: spam@example.com")
        assert Enquiry.objects.get().name == "Dana Bcc: spam@example.com"
        assert "\n" not in mailoutbox[0].subject

    def test_invalid_form_shows_errors_by_the_fields_and_keeps_what_was_typed(
        self, client, needs, mailoutbox
    ):
        response = post(client, needs, email="dana@", need="", message="", company="Quillfern")
        html = response.content.decode()

        assert response.status_code == 200
        assert not Enquiry.objects.exists() and not mailoutbox
        assert "Please check 3 fields" in html
        email_input = re.search(r'<input[^>]*name="email"[^>]*>', html).group(0)
        assert 'value="dana@"' in email_input
        assert 'aria-invalid="true"' in email_input
        assert 'aria-describedby="id_email_error"' in email_input
        assert '<ul class="errorlist" id="id_email_error"><li>Enter an email address like' in html
        assert '<fieldset aria-describedby="id_need_error">' in html
        assert "Choose what you need help with." in html
        assert 'aria-describedby="id_message_helptext id_message_error"' in html
        assert "Tell me a little about what you need." in html
        assert 'value="Dana Reyes"' in html and 'value="Quillfern"' in html
        name_input = re.search(r'<input[^>]*name="name"[^>]*>', html).group(0)
        assert "aria-invalid" not in name_input
        # The visitor keeps their source and their original start time.
        assert 'name="source" value="hiring-ai-engineers"' in html
        # The form posts back to itself and lands on the form, not the top of the page.
        assert f'action="{URL}#enquiry"' in html and 'id="enquiry"' in html

    def test_a_retired_need_is_refused(self, client, needs):
        html = post(client, needs, need=needs[2].pk).content.decode()
        assert "That option is no longer offered" in html
        assert not Enquiry.objects.exists()

    def test_overlong_message_is_refused(self, client, needs):
        html = post(client, needs, message="x" * 5001).content.decode()
        assert "Keep it under 5000 characters" in html
        assert not Enquiry.objects.exists()

    def test_without_a_notification_address_enquiries_are_kept_and_no_email_sent(
        self, client, needs, mailoutbox
    ):
        assert post(client, needs).url == THANKS
        enquiry = Enquiry.objects.get()
        assert enquiry.notification == Notification.NOT_NEEDED
        assert not mailoutbox

    def test_before_the_author_adds_choices_the_form_still_works(
        self, client, owner_email, mailoutbox
    ):
        html = client.get(URL).content.decode()
        assert "What do you need?" not in html and "Rough budget" not in html

        assert client.post(URL, form_data([])).url == THANKS
        enquiry = Enquiry.objects.get()
        assert enquiry.need is None and enquiry.budget is None
        assert mailoutbox[0].subject == "New enquiry from Dana Reyes"


class TestSource:
    def test_referer_on_this_site_is_the_fallback(self, client, needs, owner_email):
        html = client.get(URL, HTTP_REFERER="http://testserver/books/a-book/").content.decode()
        assert 'name="source" value="/books/a-book/"' in html

    def test_another_sites_referer_is_kept_as_its_host(self, client, needs):
        html = client.get(URL, HTTP_REFERER="https://www.linkedin.com/feed/x?y=1").content.decode()
        assert 'name="source" value="www.linkedin.com"' in html

    def test_a_reload_is_not_a_source(self, client, needs):
        html = client.get(URL, HTTP_REFERER="http://testserver/work-with-me/").content.decode()
        assert '<input type="hidden" name="source" id="id_source">' in html

    def test_overlong_from_is_bounded_and_cleaned(self, client, needs, owner_email):
        html = client.get(URL + "?from=" + "a" * 500 + "%22%3E%3Cscript%3E").content.decode()
        value = re.search(r'name="source" value="([^"]*)"', html)[1]
        assert value == "a" * 100
        assert '"><script>' not in html

        post(client, needs, source="<b>" + "b" * 500)
        source = Enquiry.objects.get().source
        assert source == "b" + "b" * 99 and len(source) == 100


class TestSpamDefences:
    def test_honeypot(self, client, needs, owner_email, mailoutbox):
        response = post(client, needs, website="https://spam.example")
        assert response.status_code == 302 and response.url == THANKS  # same as a person
        assert not Enquiry.objects.exists() and not mailoutbox
        post(client, needs, website="x")
        assert rejections(Reason.HONEYPOT) == 2
        assert RejectedSubmission.objects.count() == 1  # one row a day per reason

    def test_too_fast(self, client, needs):
        response = post(client, needs, started_at=sign_started_at(time.time() - 1))
        assert response.url == THANKS and not Enquiry.objects.exists()
        assert rejections(Reason.TOO_FAST) == 1

    def test_tampered_timestamp(self, client, needs):
        forged = sign_started_at(time.time() - 60)[:-2] + "xx"
        assert post(client, needs, started_at=forged).url == THANKS
        assert post(client, needs, started_at=str(time.time() - 60)).url == THANKS
        assert not Enquiry.objects.exists()
        assert rejections(Reason.BAD_TIMESTAMP) == 2

    def test_missing_timestamp(self, client, needs):
        data = form_data(needs)
        del data["started_at"]
        assert client.post(URL, data).url == THANKS
        assert rejections(Reason.BAD_TIMESTAMP) == 1 and not Enquiry.objects.exists()

    def test_a_start_time_older_than_the_maximum_is_sent_back_with_what_was_typed(
        self, client, needs, owner_email, mailoutbox, monkeypatch
    ):
        shown = time.time() - MAX_FORM_AGE_SECONDS - 60
        with monkeypatch.context() as clock:
            clock.setattr(time, "time", lambda: shown)  # the signer stamps its own time too
            old = sign_started_at(shown)
        response = post(client, needs, started_at=old, message="Two ML engineers by June.")

        # Not stored, not dropped: the form again, as typed, with a new start time and why.
        html = response.content.decode()
        assert response.status_code == 200
        assert not Enquiry.objects.exists() and not mailoutbox
        assert "was open for more than 3 hours" in html and 'role="alert"' in html
        assert 'value="Dana Reyes"' in html and "Two ML engineers by June." in html
        fresh = re.search(r'name="started_at" value="([^"]+)"', html).group(1)
        assert fresh != old and started_at(fresh) is not None
        assert RejectedSubmission.objects.count() == 0  # a person, not counted as spam

        # Sent again at once, it goes through: the visitor filled it in long ago.
        again = post(client, needs, started_at=fresh, message="Two ML engineers by June.")
        assert again.url == THANKS and Enquiry.objects.count() == 1 and len(mailoutbox) == 1

    def test_one_start_time_cannot_be_replayed_past_the_maximum(self, client, needs, monkeypatch):
        token = sign_started_at(time.time() - 10)
        assert post(client, needs, started_at=token).url == THANKS
        later = time.time() + MAX_FORM_AGE_SECONDS + 1
        monkeypatch.setattr(time, "time", lambda: later)
        assert post(client, needs, started_at=token).status_code == 200
        assert Enquiry.objects.count() == 1

    def test_an_expired_start_time_does_not_rescue_a_filled_honeypot(self, client, needs):
        old = time.time() - MAX_FORM_AGE_SECONDS - 60
        with pytest.MonkeyPatch.context() as clock:
            clock.setattr(time, "time", lambda: old)
            token = sign_started_at(old)
        assert post(client, needs, started_at=token, website="x").url == THANKS
        assert rejections(Reason.HONEYPOT) == 1

    def test_spam_is_rejected_even_with_an_invalid_form(self, client, needs):
        response = post(client, needs, website="x", email="nope")
        assert response.url == THANKS and rejections(Reason.HONEYPOT) == 1

    def test_sixth_enquiry_within_the_hour_from_one_address_is_rejected(
        self, client, needs, owner_email, mailoutbox
    ):
        for _ in range(5):
            assert post(client, needs).url == THANKS
        assert Enquiry.objects.count() == 5

        assert post(client, needs).url == THANKS
        assert Enquiry.objects.count() == 5 and len(mailoutbox) == 5
        assert rejections(Reason.RATE_LIMITED) == 1

        client.post(URL, form_data(needs), REMOTE_ADDR="203.0.113.9")
        assert Enquiry.objects.count() == 6  # other visitors are not affected

    def test_invalid_attempts_do_not_use_up_the_allowance(self, client, needs):
        for _ in range(6):
            post(client, needs, email="typo")
        assert post(client, needs).url == THANKS
        assert Enquiry.objects.count() == 1

    def test_rate_limit_can_use_a_trusted_proxy_header(self, client, needs, settings):
        settings.ENQUIRIES_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
        for _ in range(5):
            post(client, needs)
        client.post(URL, form_data(needs), HTTP_X_REAL_IP="198.51.100.7")
        assert Enquiry.objects.count() == 6
        assert rejections(Reason.RATE_LIMITED) == 0


class TestEmailFailure:
    def test_enquiry_is_kept_when_sending_fails_and_retried_later(
        self, client, needs, owner_email, broken_mail, settings, caplog, staff_client
    ):
        with caplog.at_level(logging.ERROR, logger="enquiries"):
            response = post(client, needs)

        assert response.url == THANKS  # the visitor is thanked all the same
        enquiry = Enquiry.objects.get()
        assert enquiry.notification == Notification.FAILED and enquiry.notified_at is None
        assert "SMTPServerDisconnected: Connection unexpectedly closed" in (
            enquiry.notification_error
        )
        assert any(
            r.name == "enquiries" and f"enquiry {enquiry.pk}" in r.getMessage()
            for r in caplog.records
        )

        listing = staff_client.get("/admin/enquiries/enquiry/").content.decode()
        assert 'alt="False"' in listing  # the Notified column
        detail = staff_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/")
        assert "Sending failed" in detail.content.decode()
        assert "SMTPServerDisconnected" in detail.content.decode()

        out = StringIO()
        with pytest.raises(CommandError, match="1 enquiries are still not notified"):
            call_command("retry_enquiry_notifications", stdout=out)
        assert "Retried 1: 0 sent, 1 failed." in out.getvalue()

        settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
        from django.core import mail

        mail.outbox = []
        call_command("retry_enquiry_notifications", stdout=out)
        assert "Retried 1: 1 sent, 0 failed." in out.getvalue()
        enquiry.refresh_from_db()
        assert enquiry.notification == Notification.SENT and enquiry.notified_at
        assert enquiry.notification_error == ""
        assert len(mail.outbox) == 1 and "Dana Reyes" in mail.outbox[0].body

        out = StringIO()
        call_command("retry_enquiry_notifications", stdout=out)
        assert "No enquiries are waiting" in out.getvalue() and len(mail.outbox) == 1

    def test_retry_picks_up_enquiries_stuck_mid_send_but_not_fresh_ones(
        self, needs, owner_email, mailoutbox
    ):
        stuck = Enquiry.objects.create(
            name="Stuck",
            email="s@example.com",
            need=needs[0],
            message="m",
            created_at=timezone.now() - timedelta(hours=1),
        )
        Enquiry.objects.create(name="Fresh", email="f@example.com", need=needs[0], message="m")
        Enquiry.objects.create(
            name="Nobody to tell",
            email="n@example.com",
            need=needs[0],
            message="m",
            notification=Notification.NOT_NEEDED,
        )
        call_command("retry_enquiry_notifications", stdout=StringIO())
        assert [m.reply_to for m in mailoutbox] == [["s@example.com"]]
        stuck.refresh_from_db()
        assert stuck.notification == Notification.SENT

    def test_retry_without_a_notification_address_says_so(self, needs):
        Enquiry.objects.create(
            name="A", email="a@example.com", need=needs[0], message="m", notification="failed"
        )
        with pytest.raises(CommandError, match="no notification email is set"):
            call_command("retry_enquiry_notifications", stdout=StringIO())


class TestAdmin:
    @pytest.fixture
    def enquiries(self, needs, budgets):
        return [
            Enquiry.objects.create(
                name='=HYPERLINK("http://evil.example")',
                email="mallory@example.com",
                company="+Corp",
                need=needs[0],
                budget=budgets[0],
                message="@SUM(A1:A2) and more\nsecond line",
                source="hiring-ai-engineers",
                notification=Notification.SENT,
                notified_at=timezone.now(),
            ),
            Enquiry.objects.create(
                name="Dana Reyes",
                email="dana@example.com",
                company="-minus",
                need=needs[1],
                message="Plain message",
                source="home",
            ),
        ]

    def test_anonymous_visitors_cannot_reach_the_list(self, client, enquiries):
        response = client.get("/admin/enquiries/enquiry/")
        assert response.status_code == 302 and "/admin/login/" in response.url

    def test_list_with_filters_search_and_columns(self, staff_client, enquiries):
        response = staff_client.get("/admin/enquiries/enquiry/")
        html = response.content.decode()
        assert response.status_code == 200
        for column in ["Received", "Came from", "Notified", "Handled", "Need", "Company"]:
            assert column in html
        assert "hiring-ai-engineers" in html and "Dana Reyes" in html
        assert 'alt="True"' in html and 'alt="False"' in html
        assert "Export selected enquiries as CSV" in html

        found = staff_client.get("/admin/enquiries/enquiry/?q=Plain").content.decode()
        assert "Dana Reyes" in found and "mallory@example.com" not in found
        for query in ["handled__exact=0", f"need__id__exact={enquiries[0].need_id}"]:
            assert staff_client.get(f"/admin/enquiries/enquiry/?{query}").status_code == 200

    def test_detail_shows_the_enquiry_read_only(self, staff_client, enquiries):
        enquiry = enquiries[1]
        html = staff_client.get(f"/admin/enquiries/enquiry/{enquiry.pk}/change/").content.decode()
        assert "Plain message" in html and "home" in html
        assert '<a href="mailto:dana@example.com">dana@example.com</a>' in html
        assert 'name="handled"' in html
        assert 'name="message"' not in html and 'name="created_at"' not in html
        assert staff_client.get("/admin/enquiries/enquiry/add/").status_code == 403

    def test_mark_handled_and_unhandled(self, staff_client, enquiries):
        ids = [e.pk for e in enquiries]
        staff_client.post(
            "/admin/enquiries/enquiry/", {"action": "mark_handled", "_selected_action": ids}
        )
        assert Enquiry.objects.filter(handled=True).count() == 2
        staff_client.post(
            "/admin/enquiries/enquiry/",
            {"action": "mark_unhandled", "_selected_action": ids[:1]},
        )
        assert list(Enquiry.objects.filter(handled=True).values_list("pk", flat=True)) == ids[1:]

    def test_csv_export_guards_against_formulas(self, staff_client, enquiries):
        response = staff_client.post(
            "/admin/enquiries/enquiry/",
            {"action": "export_csv", "_selected_action": [e.pk for e in enquiries]},
        )

        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert re.fullmatch(
            r'attachment; filename="enquiries-\d{4}-\d{2}-\d{2}\.csv"',
            response.headers["Content-Disposition"],
        )
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][:4] == ["Received", "Name", "Email", "Company"]
        assert len(rows) == 3
        mallory = next(row for row in rows if "mallory@example.com" in row)
        assert mallory[1] == '\'=HYPERLINK("http://evil.example")'
        assert mallory[3] == "'+Corp"
        assert mallory[6] == "'@SUM(A1:A2) and more\nsecond line"
        assert mallory[4:6] == ["Hiring AI engineers", "Under €5k"]
        assert mallory[7:] == ["hiring-ai-engineers", "no", "Sent"]
        dana = next(row for row in rows if "Dana Reyes" in row)
        assert dana[3] == "'-minus" and dana[5] == ""

    def test_choices_and_rejection_counts_in_the_admin(self, staff_client, needs, budgets):
        RejectedSubmission.record(Reason.HONEYPOT)
        for url in [
            "/admin/enquiries/need/",
            "/admin/enquiries/budgetrange/",
            "/admin/enquiries/rejectedsubmission/",
        ]:
            assert staff_client.get(url).status_code == 200, url
        html = staff_client.get("/admin/enquiries/need/").content.decode()
        assert html.index("Hiring AI engineers") < html.index("Advisory retainer")
        tally = RejectedSubmission.objects.get()
        assert staff_client.get("/admin/enquiries/rejectedsubmission/add/").status_code == 403
        change = staff_client.get(f"/admin/enquiries/rejectedsubmission/{tally.pk}/change/")
        assert 'name="count"' not in change.content.decode()  # view only


class TestDemo:
    def test_loads_choices_once(self):
        directory = Path(django_settings.BASE_DIR) / "demo"
        message = demo.load(directory)
        assert message == "Loaded demo enquiry choices: 5 needs and 4 budget ranges."
        assert list(Need.objects.values_list("label", flat=True))[0] == "Hiring AI engineers"
        assert BudgetRange.objects.last().label == "€50k+"

        assert "not loaded" in demo.load(directory)
        assert Need.objects.count() == 5 and BudgetRange.objects.count() == 4
