"""Browser tests: Playwright for Python driving Debian's Chromium against a live server.

Without Chromium these tests skip and say why; under CI (CI=true) a missing
Chromium is a failure, since .ci/run installs it.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections

# Playwright's sync API runs an event loop in the test thread, which makes
# Django refuse ORM calls there; the tests only use the ORM to set up data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def missing(message):
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture
def browser(transactional_db):
    # Per test, started after the database is ready: while Playwright's event loop runs,
    # Django hands out separate connections, which would miss the test database's
    # restored rows (serialized_rollback).
    if not CHROMIUM.exists():
        missing(f"No Chromium at {CHROMIUM}: `apt-get install chromium` to run browser tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed: `make install` installs the dev dependencies")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, live_server):
    """Opens a fresh browser tab on the live server: ``open_page(viewport, color_scheme)``."""
    contexts = []

    def open_(viewport=DESKTOP, color_scheme="light"):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, color_scheme=color_scheme
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()
    # Queries the test made while Playwright's event loop ran used connections of their
    # own; close them, or PostgreSQL cannot drop the test database at the end.
    connections.close_all()


@pytest.fixture
def page(open_page):
    return open_page()


@pytest.fixture
def staff_page(open_page, live_server, client, django_user_model):
    """A browser tab signed in to the admin as a superuser."""
    user = django_user_model.objects.create_superuser("writer", "w@example.com", "pw-123456!")
    client.force_login(user)
    page = open_page()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    return page


@pytest.fixture
def demo_site(transactional_db, settings):
    """The demo content, as `make run` serves it."""
    call_command("setup_demo", stdout=io.StringIO())


@pytest.fixture
def axe_script():
    if not AXE_SCRIPT.exists():
        missing(f"axe-core not found at {AXE_SCRIPT}: `npm ci` installs it (make test does)")
    return AXE_SCRIPT.read_text()


AXE_RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def run_axe(page, axe_script, within=(), iframes=True):
    """axe-core's WCAG 2.x A/AA and best-practice violations, as readable lines: on the whole
    page, or only inside the elements the CSS selectors ``within`` match."""
    # Evaluated, not added as a <script>: the site's CSP blocks inline scripts.
    page.evaluate(axe_script)
    result = page.evaluate(
        """([within, rules, iframes]) => axe.run(
            within.length ? {include: within.map((selector) => [selector])} : document,
            {runOnly: {type: 'tag', values: rules}, iframes})""",
        [list(within), AXE_RULES, iframes],
    )
    if within:
        assert result["passes"] or result["violations"], f"axe found nothing in {within}"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
    ]


def screenshot(page, name):
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def served_body(page, url):
    """The article body's HTML as the server sends it for ``url``, before the page's scripts
    (footnotes.js adds attributes to the footnote references) touch it."""
    html = page.request.get(url).text()
    return page.evaluate(
        """(html) => new DOMParser().parseFromString(html, 'text/html')
            .querySelector('.e-content').innerHTML""",
        html,
    )
