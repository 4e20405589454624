"""'Check external links' in the post editor: results at their lines, accessible (issue 16).

The links lead to a local server (tests.link_server); private addresses are allowed for
these tests only, and names never resolve beyond this machine.
"""

import pytest

from core.http import outbound
from tests.link_server import link_server, offline_resolver

from .conftest import ARTIFACTS, DESKTOP, PHONE, run_axe

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def server(settings, monkeypatch):
    monkeypatch.setattr(outbound, "resolve", offline_resolver)
    with link_server() as (base, httpd):
        settings.LINK_CHECK_ALLOW_PRIVATE = True
        settings.LINK_CHECK_PORTS = (80, 443, httpd.server_port)
        yield base


def body_linking_to(base):
    return (
        f"Opening words with [a good link]({base}/ok).\n"
        "\n"
        f"A paragraph about [an old page]({base}/moved).\n"
        "\n"
        f"Here is [a page that went away]({base}/gone) and [a failing one]({base}/error).\n"
        "\n"
        f"![A chart](https://127.0.0.1:1/chart.png)\n"
        "\n"
        f"Closing words, [refusing HEAD]({base}/no-head)."
    )


def check_links(page):
    page.get_by_role("button", name="Check external links").click()
    page.get_by_role("status").filter(has_text="Checked").wait_for()


def test_results_at_their_lines_and_a_click_goes_there(staff_page, make_post, server):
    body = body_linking_to(server)
    post = make_post(title="Links", body=body)
    page = staff_page
    page.goto(f"/admin/blog/post/{post.pk}/change/")
    check_links(page)
    status = page.get_by_role("status").filter(has_text="Checked").inner_text()
    assert "Checked 6 addresses" in status and "2 broken" in status and "1 redirected" in status
    results = page.locator(".external-links-results")
    gone = results.locator("li", has_text="/gone")
    assert gone.inner_text().startswith(f"✖ Broken · Line 5: {server}/gone — answered 404")
    moved = results.locator("li", has_text="/moved").inner_text()
    assert f"moved to {server}/ok/new: update the link" in moved
    chart = results.locator("li", has_text="chart.png").inner_text()
    assert "Not checked · Line 7: image https://127.0.0.1:1/chart.png — port 1" in chart
    assert results.locator("details li").count() == 2  # /ok and /no-head, folded away

    gone.get_by_role("button", name="Line 5").click()
    assert page.evaluate("() => document.activeElement.name") == "body"
    selected = page.evaluate(
        "() => { const t = document.activeElement; return [t.selectionStart, t.selectionEnd]; }"
    )
    line_5 = body.splitlines()[4]
    start = body.index(line_5)
    assert selected == [start, start + len(line_5)]

    # Typing moves lines: the results say they may be out of date.
    page.locator("[name=body]").press("End")
    page.locator("[name=body]").type(" More.")
    assert results.locator(".external-links-stale").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_panel_with_results_is_accessible(
    open_page, staff_page, make_post, server, axe_script, scheme
):
    post = make_post(title="Links", body=body_linking_to(server))
    cookies = staff_page.context.cookies()
    for name, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
        page = open_page(viewport=viewport, color_scheme=scheme)
        page.context.add_cookies(cookies)
        page.goto(f"/admin/blog/post/{post.pk}/change/")
        check_links(page)
        page.locator(".external-links-results details summary").click()  # unfold the fine ones
        assert run_axe(page, axe_script, within=["fieldset:has(#external-links)"]) == []
        page.locator("#external-links").scroll_into_view_if_needed()
        page.evaluate("() => window.scrollBy(0, -120)")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"linkcheck-{name}-{scheme}.png"))
