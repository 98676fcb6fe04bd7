"""The pickers in a real browser (Debian's chromium driven by Playwright) under the
strict CSP: the region cascade and search swap in place with HTMX on the officer's
walk-in form, and the plan form reloads its schemes when the country changes.
Skipped when chromium is not installed, unless GARDA_E2E_REQUIRED=1 (CI sets it)."""

import pytest

# The server (a scratch demo database) and page fixtures, and the skip rule.
from garda.tests.test_browser import page, pytestmark, server  # noqa: F401


def _log_in(tab, base: str, email: str) -> None:
    tab.goto(f"{base}/accounts/login/")
    tab.fill("#id_username", email)
    tab.fill("#id_password", "Sandi-Demo-2026")
    tab.click("main button[type=submit]")
    tab.wait_for_load_state()


@pytest.mark.browser
def test_the_region_picker_updates_in_place(page, server):  # noqa: F811
    _log_in(page, server, "alice@demo.garda.id")
    page.goto(f"{server}/people/new/")
    url = page.url
    with page.expect_response(lambda r: "/places/regions/picker/" in r.url):
        page.select_option("#id_village_code_regency", "31.71")
    page.locator("#id_village_code_district").wait_for()
    with page.expect_response(lambda r: "/places/regions/picker/" in r.url):
        page.select_option("#id_village_code_district", "31.71.01")
    page.locator("#id_village_code").wait_for()
    assert "Kel. Cideng" in page.locator("#id_village_code").inner_text()
    # The search, typed: the matches come back as choices with their full path.
    with page.expect_response(lambda r: "village_code_find" in r.url):
        page.fill("#id_village_code_q", "cideng")
    page.locator("text=Kel. Cideng, Kec. Gambir").wait_for()
    assert page.url == url  # swapped in place, never a reload
    assert page.console_errors == []  # includes Content-Security-Policy violations


@pytest.mark.browser
def test_the_plan_form_reloads_the_schemes_of_the_country(page, server):  # noqa: F811
    _log_in(page, server, "wati@demo.garda.id")
    page.goto(f"{server}/destinations/readiness/plan/")
    with page.expect_response(lambda r: "destination=TW" in r.url):
        page.select_option("#id_destination", "TW")
    page.locator("#id_scheme").wait_for()
    schemes = page.locator("#id_scheme option").all_inner_texts()
    assert "SP2T Taiwan" in schemes and not any("EPS" in s for s in schemes)
    assert page.console_errors == []
