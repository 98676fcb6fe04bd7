"""`garda screenshots [--out docs/screenshots]`: pictures of the pages people use most,
taken in Debian's chromium from a scratch demo served by `garda serve`.

- worker-home-360.png, worker-readiness-360.png: the demo worker (Wati) on a phone;
- officer-worklist-1280.png: the demo officer's (Alice's) worklist on a desktop;
- supervisor-figures-1280.png, supervisor-figures-cases-1280.png: the demo supervisor's
  (Bob's) registrations and cases dashboards; officer-figures-outreach-1280.png: the
  outreach funnels; public-statistics-360.png: the public statistics on a phone.

It needs the test extra (Playwright: `pip install -e '.[test]'`) and chromium
(`apt-get install chromium`), and no network: the demo is set up in a temporary folder
(never the database of GARDA_VAR_DIR or DATABASE_URL), served on a free loopback port,
and removed afterwards. The demo's dates are relative to today, so each run shows the
day it was taken.
"""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from garda.management.commands.demo import DEMO_PASSWORD

SHOTS = [
    # (file, user, path, viewport, screens: how many screen heights at most)
    ("worker-home-360.png", "wati@demo.garda.id", "/", "360", 2),
    ("worker-readiness-360.png", "wati@demo.garda.id", "/destinations/readiness/", "360", 3),
    ("officer-worklist-1280.png", "alice@demo.garda.id", "/accompaniment/", "1280", 1),
    ("supervisor-figures-1280.png", "bob@demo.garda.id", "/figures/registrations/", "1280", 3),
    ("supervisor-figures-cases-1280.png", "bob@demo.garda.id", "/figures/cases/", "1280", 3),
    ("officer-figures-outreach-1280.png", "alice@demo.garda.id", "/figures/outreach/", "1280", 2),
    ("public-statistics-360.png", "", "/figures/public/", "360", 3),
]


class Command(BaseCommand):
    help = (
        "Set up a scratch demo, serve it, and save screenshots of the worker's home and "
        "readiness (360 px), the officer's worklist, three dashboards (1280 px) and the "
        "public statistics (360 px) as PNG files."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", default="docs/screenshots", help="Folder for the PNG files (created)"
        )
        parser.add_argument(
            "--server",
            metavar="URL",
            help="Take them from this running demo (e.g. http://127.0.0.1:8000) instead of "
            "setting up and serving a scratch one",
        )

    def handle(self, *args, out, server, **options):
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise CommandError(
                "Playwright is not installed: pip install -e '.[test]' (and apt-get install "
                "chromium)."
            ) from None
        from garda.tests.browser import CHROMIUM
        from garda.tests.server import garda, scratch_env, serving

        if not Path(CHROMIUM).exists():
            raise CommandError(f"chromium not found at {CHROMIUM}: apt-get install chromium")
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        if server:
            self._shoot(sync_playwright, server.rstrip("/"), folder)
            return
        with tempfile.TemporaryDirectory(prefix="garda-screenshots-") as var:
            env = scratch_env(Path(var))
            self.stdout.write("Setting up a scratch demo…")
            garda("demo", "--no-serve", env=env)
            with serving({**env, "GARDA_DEMO": "1"}, "--no-migrate") as base:
                self._shoot(sync_playwright, base, folder)

    def _shoot(self, sync_playwright, base: str, folder: Path) -> None:
        from garda.tests.browser import VIEWPORTS, launch

        with sync_playwright() as pw:
            browser = launch(pw)
            try:
                for name, email, path, width, screens in SHOTS:
                    context = browser.new_context(
                        locale="id-ID", timezone_id="Asia/Jakarta", viewport=VIEWPORTS[width]
                    )
                    page = context.new_page()
                    if email:  # "" is a visitor without an account
                        _log_in(page, base, email)
                    page.goto(f"{base}{path}")
                    page.wait_for_load_state("networkidle")
                    # What the screen shows, as far down as `screens` screens (a page
                    # wider than the screen is cut where the phone cuts it).
                    size = VIEWPORTS[width]
                    height = page.evaluate("document.documentElement.scrollHeight")
                    clip = {"x": 0, "y": 0, "width": size["width"]}
                    clip["height"] = min(height, size["height"] * screens)
                    target = folder / name
                    page.screenshot(path=str(target), full_page=True, clip=clip)
                    context.close()
                    self.stdout.write(str(target))
            finally:
                browser.close()


def _log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    if "/accounts/login/" in page.url:
        raise CommandError(f"could not log in as {email}")
