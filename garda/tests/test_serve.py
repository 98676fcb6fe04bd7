"""`garda serve` starts the production server and serves pages and static files."""

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import garda as garda_package
from garda.management.commands.demo import DEMO_PASSWORD
from garda.tests.server import garda, scratch_env, serving

pytestmark = pytest.mark.server


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 (loopback only)
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_serve_runs_gunicorn_with_static_files(tmp_path):
    with serving(scratch_env(tmp_path)) as base:
        status, _, body = _get(f"{base}/healthz")
        assert status == 200 and b'"ok"' in body
        status, headers, _ = _get(f"{base}/")
        assert status == 200 and headers["Server"].startswith("gunicorn")
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        status, _, js = _get(f"{base}/static/garda/htmx.min.js")
        assert status == 200 and len(js) > 40_000


@pytest.mark.parametrize("where", ["elsewhere", "package"])
def test_static_files_are_found_whatever_folder_serve_starts_in(tmp_path, where):
    """Started from another folder than the repository root (or from inside the
    package, whose logging.py would shadow the standard library's), the stylesheet
    and htmx are still served."""
    cwd = tmp_path / "elsewhere" if where == "elsewhere" else Path(garda_package.__file__).parent
    cwd.mkdir(exist_ok=True)
    with serving(scratch_env(tmp_path / "var"), cwd=cwd) as base:
        status, headers, css = _get(f"{base}/static/garda/garda.css")
        assert status == 200 and headers["Content-Type"].startswith("text/css")
        assert b"{" in css
        status, headers, js = _get(f"{base}/static/garda/htmx.min.js")
        assert status == 200 and "javascript" in headers["Content-Type"]
        assert b"htmx" in js
        status, _, page = _get(f"{base}/")
        assert status == 200 and b"/static/garda/garda.css" in page


class Browser:
    """Cookies and the CSRF token, enough to log in and download like a person."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> bytes:
        with self.opener.open(f"{self.base}{path}", timeout=20) as r:
            return r.read()

    def post(self, path: str, data: dict[str, str]) -> bytes:
        page = self.get(path).decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(f"{self.base}{path}", body, timeout=20) as r:
            return r.read()


def test_links_use_the_address_the_site_is_served_on(tmp_path):
    """Demo served on a free port, GARDA_BASE_URL unset: the certificate's verification
    link, its QR code in the PDF and the links in e-mails all carry that port."""
    env = {**scratch_env(tmp_path), "GARDA_DEMO": "1"}
    output = garda("demo", "--no-serve", "--port", "8123", env=env).stdout.decode()
    mail = tmp_path / "mail"
    # The set-up names the folder its e-mails are written to, and prints none of them.
    assert f"E-mails are written to {mail}/" in output and "Subject:" not in output
    setup_mails = {p: p.read_text() for p in mail.iterdir()}
    # E-mails sent while setting up link to where the demo will be served.
    assert setup_mails and all("127.0.0.1:8123/" in t for t in setup_mails.values())
    pk = (
        garda(
            "shell",
            "-c",
            "from garda.training.models import Certificate;"
            "print(Certificate.objects.filter(source='course', status='valid').first().pk)",
            env=env,
        )
        .stdout.decode()
        .split()[-1]
    )
    with serving(env, "--no-migrate") as base:
        assert not base.endswith(":8000")
        browser = Browser(base)
        browser.post(
            "/accounts/login/",
            {"username": "admin@demo.garda.id", "password": DEMO_PASSWORD},
        )
        page = browser.get(f"/training/certificates/{pk}/").decode()
        links = re.findall(r"https?://[^\s\"<]+/training/verify/[^\s\"<]+", page)
        assert links and all(link.startswith(f"{base}/training/verify/") for link in links)
        pdf = browser.get(f"/training/certificates/{pk}/pdf/")
        assert pdf.startswith(b"%PDF") and links[0].encode() in pdf  # the QR code's link
        assert b"127.0.0.1:8000" not in pdf
        Browser(base).post("/accounts/password/reset/", {"email": "wati@demo.garda.id"})
    mails = [p.read_text() for p in mail.iterdir() if p not in setup_mails]
    assert len(mails) == 1 and f"{base}/accounts/password/reset/" in mails[0]
