"""End to end in a real browser (Debian's chromium driven by Playwright): log in, check
a NIK through HTMX under the strict CSP, switch language.

The server runs as `garda serve` on a scratch demo database, as a user would run it.
Skipped when chromium is not installed, unless GARDA_E2E_REQUIRED=1 (CI sets it).
"""

import os
import shutil
from pathlib import Path

import pytest

from garda.tests.server import garda, scratch_env, serving

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and os.environ.get("GARDA_E2E_REQUIRED") != "1",
        reason="chromium is not installed (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    env = scratch_env(tmp_path_factory.mktemp("e2e-var"))
    garda("demo", "--no-serve", env=env)
    with serving({**env, "GARDA_DEMO": "1"}, "--no-migrate") as base:
        yield base


@pytest.fixture
def page(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(locale="id-ID")
        page = context.new_page()
        page.console_errors = []
        page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
        yield page
        browser.close()


def test_officer_logs_in_and_checks_a_nik_with_htmx(page, server, tmp_path):
    page.goto(f"{server}/accounts/login/")
    assert page.locator("h1").inner_text() == "Masuk"
    assert "faktor kedua" in page.locator(".banner").inner_text()  # demo banner
    page.fill("#id_username", "alice@demo.garda.id")
    page.fill("#id_password", "Sandi-Demo-2026")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Daftar kerja Anda hari ini"  # the home page

    page.click("nav >> text=Periksa NIK")
    page.fill("#id_nik", "3171014101900001")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.click("main form button[type=submit]")
    assert info.value.request.headers.get("hx-request") == "true"  # a partial, not a reload
    result = page.locator("#nik-result")
    result.locator("text=NIK valid").wait_for()
    assert "Gambir" in result.inner_text()
    assert page.url.endswith("/people/nik/")
    page.screenshot(path=str(tmp_path / "nik.png"), full_page=True)

    page.fill("#id_nik", "3171990101900001")
    page.click("main form button[type=submit]")
    result.locator("text=kode kecamatan 317199 tidak dikenal").wait_for()

    page.click(".lang button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check a NIK"
    assert page.console_errors == []  # includes Content-Security-Policy violations
