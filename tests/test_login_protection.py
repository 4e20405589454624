"""Sign-in protection on the admin (django-axes, configured in site_config/settings.py)."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def few_tries(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


@pytest.fixture
def users(django_user_model):
    for name in ["alex", "sam"]:
        django_user_model.objects.create_user(name, password="right-pw-123!", is_staff=True)


def sign_in(client, username, password="right-pw-123!", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **headers,
    )


def fail(client, username, times, **headers):
    for _ in range(times):
        response = sign_in(client, username, "wrong", **headers)
    return response


def signed_in(response):
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_failures_below_the_limit_get_the_usual_form(client, users):
    response = fail(client, "alex", 2)
    assert response.status_code == 200
    assert "Please enter the correct username and password" in response.text
    assert signed_in(sign_in(client, "alex"))


def test_a_successful_sign_in_clears_the_failures(client, users):
    fail(client, "alex", 2)
    assert signed_in(sign_in(client, "alex"))
    client.logout()
    assert fail(client, "alex", 2).status_code == 200


def test_the_limit_locks_even_the_right_password_out(client, users):
    response = fail(client, "alex", 3)
    assert response.status_code == 429
    assert signed_in(sign_in(client, "alex")) is False


def test_the_lockout_page_says_when_to_try_again(client, users):
    response = fail(client, "alex", 3)
    assert response["Retry-After"] == "900"
    html = response.text
    assert "Sign-in is paused after 3 failed attempts." in html
    assert "Try again after" in html and "in 15 minutes" in html
    assert 'id="site-name"' in html  # the admin's own header: it looks like the admin
    assert html.count("<h1") == 1
    assert reverse("admin:login") in html


def test_other_users_elsewhere_are_unaffected(client, users):
    fail(client, "alex", 3, REMOTE_ADDR="198.51.100.7")
    assert signed_in(sign_in(client, "sam", REMOTE_ADDR="198.51.100.8"))


def test_the_username_is_locked_from_any_address(client, users):
    fail(client, "alex", 3, REMOTE_ADDR="198.51.100.7")
    assert sign_in(client, "alex", REMOTE_ADDR="198.51.100.8").status_code == 429


def test_the_address_is_locked_for_any_username(client, users):
    for name in ["alex", "nobody", "admin"]:
        sign_in(client, name, "wrong", REMOTE_ADDR="198.51.100.7")
    assert sign_in(client, "sam", REMOTE_ADDR="198.51.100.7").status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, users):
    fail(client, "alex", 3)
    # As if 16 minutes had passed since the last try.
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=16)
        attempt.save()
    assert signed_in(sign_in(client, "alex"))


def test_axes_reset_lifts_it_at_once(client, users):
    fail(client, "alex", 3)
    call_command("axes_reset", verbosity=0)
    assert signed_in(sign_in(client, "alex"))


def test_behind_a_proxy_the_visitor_address_counts(client, users, settings):
    settings.ENQUIRIES_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    attacker = {"REMOTE_ADDR": PROXY, "HTTP_X_REAL_IP": "203.0.113.9"}
    for name in ["nobody", "admin", "root"]:
        sign_in(client, name, "wrong", **attacker)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Everyone comes through the same proxy; only the attacker's address is locked.
    assert sign_in(client, "sam", **attacker).status_code == 429
    assert signed_in(sign_in(client, "alex", REMOTE_ADDR=PROXY, HTTP_X_REAL_IP="203.0.113.10"))


def test_signing_in_does_not_need_axes_for_force_login(client, users, django_user_model):
    # The suite signs staff in with force_login; axes only guards real sign-ins.
    client.force_login(django_user_model.objects.get(username="alex"))
    assert client.get(reverse("admin:index")).status_code == 200


def settings_from_env(**env):
    code = (
        "from site_config import settings as s;"
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.ADMIN_URL)"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_limit_and_cool_off_come_from_the_environment():
    defaults = settings_from_env()
    assert defaults.stdout.split() == ["5", "900.0", "admin/"]
    custom = settings_from_env(
        DJANGO_LOGIN_FAILURE_LIMIT="10",
        DJANGO_LOGIN_COOLOFF_MINUTES="60",
        DJANGO_ADMIN_URL="/backstage",
    )
    assert custom.stdout.split() == ["10", "3600.0", "backstage/"]


@pytest.mark.parametrize("value", ["/", "a b/", "../admin", "admin//x"])
def test_a_malformed_admin_url_fails_with_a_clear_message(value):
    result = settings_from_env(DJANGO_ADMIN_URL=value)
    assert result.returncode != 0
    assert "DJANGO_ADMIN_URL must be a path such as 'admin/'" in result.stderr
