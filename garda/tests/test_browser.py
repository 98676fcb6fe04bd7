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
    assert "Selamat datang" in page.locator("h1").inner_text()

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

    page.select_option("#lang-select", "en")
    page.click(".lang button")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Check a NIK"
    assert page.console_errors == []  # includes Content-Security-Policy violations


STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "garda" / "garda.css"
STAFF_PAGES = {
    # role -> pages a person of that role opens, each reached by clicking the first
    # link of a table cell or list ("main td a" etc.) from the page before it.
    "alice": [
        ("/accompaniment/", None),
        (None, "main td a[href*='/accompaniment/people/']"),  # a person's accompaniment
        ("/documents/queue/", None),
        (None, "main td a[href*='/documents/person/']"),  # that person's documents
        ("/people/", None),
        (None, "main td a[href*='/people/']"),  # a registry profile
        ("/people/duplicates/", None),
    ],
    "teguh": [
        ("/training/teach/", None),
        (None, "main td a[href*='/roster/']"),
        (None, "main a[href*='/attendance/']"),  # the trainer's attendance sheet
    ],
    "admin": [
        ("/audit/", None),
        ("/destinations/manage/", None),
        ("/destinations/manage/requirement-sets/", None),
        ("/accompaniment/workload/", None),
    ],
}


@pytest.mark.skipif(
    "table.stack" not in STYLESHEET.read_text(encoding="utf-8"),
    reason="needs the stylesheet's stacked tables (docs/design-ui.md §2.5)",
)
@pytest.mark.parametrize("width,height", [(360, 780), (1280, 800)])
@pytest.mark.parametrize("who", sorted(STAFF_PAGES))
def test_staff_pages_fit_the_screen(page, server, who, width, height):
    """An officer, a trainer and an admin in the field: no page of theirs scrolls
    sideways at 360 px (tables stack into cards), nor at 1280 px."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{server}/accounts/login/")
    page.fill("#id_username", f"{who}@demo.garda.id")
    page.fill("#id_password", "Sandi-Demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    for path, link in STAFF_PAGES[who]:
        if path:
            response = page.goto(f"{server}{path}")
            assert response.status == 200, path
        else:
            page.locator(link).first.click()
            page.wait_for_load_state()
        where = page.url
        assert page.evaluate("document.documentElement.scrollWidth") <= width, where
        if width == 360:
            assert page.locator("main table:not(.stack)").count() == 0, where
    assert page.console_errors == []
