"""End to end in a real browser (Debian's chromium driven by Playwright), on `garda serve`
with a scratch demo database, as a user would run it.

One journey per role, clicked through the pages as a person would (by role, label and
visible Indonesian text, never by CSS class), each at 360×780 and 1280×800: the worker
signs up, completes the profile, uploads a photo of a document, picks a target and
sees the next step, enrols in a batch (also without JavaScript up to readiness); the
officer registers a walk-in, verifies the document, sees readiness; the trainer marks
today's attendance; the public checks a certificate by opening its verification link.
Every page they visit goes through `PageChecks` (garda/tests/browser.py: overflow at
360 px, weight, lang, labels, axe-core, console errors); a journey reports all the
page problems it met at its end.

Skipped when chromium is not installed, unless GARDA_E2E_REQUIRED=1 (CI sets it).
"""

import email
import itertools
import re
import struct
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from garda.tests.browser import VIEWPORTS, PageChecks, chromium_available, launch
from garda.tests.server import garda, scratch_env, serving

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not chromium_available(), reason="chromium is not installed (apt-get install chromium)"
    ),
]

PASSWORD = "Sandi-Demo-2026"  # noqa: S105 (the demo's public password)
WORKER_PASSWORD = "Garam-Laut-4821"  # noqa: S105
viewports = pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())

# Run in the demo database before serving. The trainer's journey needs a session of
# one of teguh's batches today; the demo's batches start in the future (as of this
# writing), so the first session of JT-LISTRIK-DEMO-01 is moved to today with its whole
# schedule, unless the demo already has one. The public's journey needs a certificate
# issued in the demo (the closed batch JT-SMAW-DEMO-00 issues some).
SETUP = """
from django.db.models import F
from django.utils import timezone
from garda.training.models import Batch, Certificate, Session

today = timezone.localdate()
session = Session.objects.filter(
    date=today, batch__trainers__email="teguh@demo.garda.id",
    batch__closed_at=None, batch__cancelled_at=None,
).select_related("batch").first()
if session is None:
    batch = Batch.objects.get(code="JT-LISTRIK-DEMO-01")
    first = batch.sessions.order_by("number").first()
    shift = today - first.date
    Session.objects.filter(batch=batch).update(date=F("date") + shift)
    Batch.objects.filter(pk=batch.pk).update(
        starts_on=F("starts_on") + shift, ends_on=F("ends_on") + shift
    )
    session = batch.sessions.get(number=first.number)
cert = Certificate.objects.filter(source=Certificate.Source.COURSE).order_by("pk").first()
print("SETUP|" + "|".join([session.batch.code, str(session.number), cert.verification_code,
      cert.person.full_name]))
"""


@dataclass
class Demo:
    base: str
    batch_today: str
    session_today: int
    certificate_code: str
    certificate_holder: str
    mail_dir: Path  # where the served demo writes its e-mails, one file each


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    env = scratch_env(tmp_path_factory.mktemp("e2e-var"))
    garda("demo", "--no-serve", env=env)
    out = garda("shell", "-c", SETUP, env=env).stdout.decode()
    line = next(x for x in out.splitlines() if x.startswith("SETUP|"))
    _, batch, number, code, holder = line.split("|")
    with serving({**env, "GARDA_DEMO": "1"}, "--no-migrate") as base:
        yield Demo(base, batch, int(number), code, holder, Path(env["GARDA_VAR_DIR"]) / "mail")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch(pw)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def logged_in(browser, demo):
    """Storage state of a staff member logged in once for the whole module."""
    states = {}

    def state(email: str) -> dict:
        if email not in states:
            context = browser.new_context(locale="id-ID")
            page = context.new_page()
            log_in(page, demo.base, email)
            states[email] = context.storage_state()
            context.close()
        return states[email]

    return state


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_page(viewport, *, js=True, storage_state=None):
        context = browser.new_context(
            locale="id-ID",
            timezone_id="Asia/Jakarta",
            viewport=viewport,
            java_script_enabled=js,
            storage_state=storage_state,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def log_in(page, base: str, email: str, checks: PageChecks | None = None) -> None:
    page.goto(f"{base}/accounts/login/")
    if checks:
        checks.check()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.get_by_role("heading", level=1).wait_for()  # each role's own home page


def heading(page, text: str, level: int = 1):
    """Wait for the page's heading (a substring of it) and return it."""
    locator = page.get_by_role("heading", level=level, name=text)
    locator.wait_for()
    return locator


def see(page, text: str) -> None:
    """Wait until the text shows (a copy folded away in a closed <details> does not count)."""
    page.get_by_text(text).locator("visible=true").first.wait_for()


_serial = itertools.count(9001)


def new_nik(ddmmyy: str) -> str:
    """A NIK of Gambir (31.71.01) with the given birth date part (day + 40 for a woman)
    and a serial no demo person has."""
    return f"317101{ddmmyy}{next(_serial):04d}"


def png() -> bytes:
    """A small grey PNG: the 'photo' of a passport page."""
    raw = b"".join(b"\x00" + b"\x90\x90\x90" * 60 for _ in range(40))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 60, 40, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def menu(page, name: str) -> None:
    """Follow a link of the main menu as a person would: on a phone with JavaScript the
    links sit behind the "Menu" button; without JavaScript, or from 640 px up, they
    show."""
    toggle = page.get_by_role("button", name="Menu", exact=True)
    if toggle.is_visible():
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name=name, exact=True
    ).click()


def choose_country(page, checks, country: str) -> None:
    """The plan's first step: the country. With JavaScript the form reloads with that
    country's schemes; without it, "Lanjutkan" opens the second step."""
    page.get_by_label("Negara tujuan").select_option(label=country)
    if not checks.js:
        page.get_by_role("button", name="Lanjutkan").click()
        heading(page, "Di mana dan bagaimana Anda ingin bekerja?")  # the second step
        checks.check()
    page.get_by_label("Skema penempatan").wait_for()


def mailed_link(mail_dir: Path, to: str, pattern: str) -> str:
    """The first link matching `pattern` in the newest e-mail to `to` the served demo
    wrote to its mail folder (waits a few seconds for it)."""
    deadline = time.monotonic() + 10
    while True:
        for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            for raw in re.split(rb"\n-{79}\n", path.read_bytes()):
                message = email.message_from_bytes(raw.strip())
                if to not in str(message.get("To", "")):
                    continue
                part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
                found = re.search(pattern, part.get_payload(decode=True).decode())
                if found:
                    return found.group(0)
        assert time.monotonic() < deadline, f"no e-mail to {to} in {mail_dir}"
        time.sleep(0.2)


def worker_core_flow(page, demo: Demo, checks, address: str) -> None:
    """Sign up, open the link mailed, complete the profile, upload a passport photo,
    choose a target and see the next step: the worker's part that must work without
    JavaScript too."""
    base = demo.base
    page.goto(f"{base}/")
    checks.check()
    page.get_by_role("link", name="Daftar sebagai pekerja").first.click()
    heading(page, "Daftar sebagai pekerja")
    checks.check()
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Kata sandi", exact=True).fill(WORKER_PASSWORD)
    page.get_by_label("Konfirmasi kata sandi").fill(WORKER_PASSWORD)
    page.get_by_role("button", name="Daftar").click()

    # Issue 19: the same answer for any address; the account opens from the e-mail.
    heading(page, "Periksa e-mail Anda")
    see(page, "Kami mengirim tautan ke")
    checks.check()
    page.goto(mailed_link(demo.mail_dir, address, r"https?://\S+/accounts/signup/confirm/\S+/"))
    heading(page, "Selesaikan pendaftaran")
    checks.check()
    page.get_by_label("Kata sandi", exact=True).fill(WORKER_PASSWORD)
    page.get_by_role("button", name="Buka akun saya").click()

    heading(page, "Lengkapi profil Anda")
    checks.check()
    page.get_by_label("NIK", exact=True).fill(new_nik("550895"))
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Siti Aminah")
    page.get_by_label("Jenis kelamin").select_option(label="Perempuan")
    page.get_by_label("Tanggal lahir").fill("1995-08-15")
    page.get_by_label("Pendidikan", exact=True).select_option(label="SMA")
    # The village by name: search, then choose (with JavaScript the matches swap in
    # place; without it "Cari" shows the form again with them, nothing saved).
    page.get_by_label("Cari nama kelurahan, desa, atau kecamatan").fill("Gambir")
    page.get_by_role("button", name="Cari", exact=True).click()
    page.get_by_label("Kel. Gambir, Kec. Gambir, Kota Jakarta Pusat, DKI Jakarta").check()
    checks.check()
    page.get_by_role("button", name="Simpan", exact=True).click()
    see(page, "Profil Anda telah disimpan.")
    checks.check()

    page.get_by_role("link", name="Dokumen saya").first.click()
    heading(page, "Dokumen saya")
    checks.check()
    page.get_by_label("Dokumen", exact=True).select_option(label="Paspor")
    page.get_by_label("Nomor", exact=True).fill("C1234567")
    page.get_by_label("Tanggal terbit").fill("2025-01-10")
    page.get_by_label("Tanggal habis berlaku").fill("2035-01-10")
    page.get_by_label("Berkas").set_input_files(
        {"name": "paspor.png", "mimeType": "image/png", "buffer": png()}
    )
    page.get_by_role("button", name="Unggah").click()
    see(page, "Dokumen sudah diunggah.")
    card = page.get_by_role("listitem").filter(has_text="Paspor").filter(has_text="C1234567")
    assert "Menunggu verifikasi" in card.first.inner_text()
    checks.check()

    menu(page, "Kesiapan")
    heading(page, "Kesiapan saya")
    checks.check()
    choose_country(page, checks, "Jepang")
    page.get_by_label("Skema penempatan").select_option(
        label="Specified Skilled Worker Jepang (Tokutei Ginou)"
    )
    page.get_by_label("Sektor").select_option(label="Pengasuhan dan perawatan")
    page.get_by_role("button", name="Simpan rencana").click()
    see(page, "Rencana penempatan disimpan")
    next_step = page.get_by_role("heading", name="Langkah berikutnya untuk Anda")
    next_step.wait_for()  # one step, highlighted, with where to go
    heading(page, "Daftar periksa", level=2)
    # The passport she uploaded is on the checklist, waiting for an officer.
    passport = page.get_by_role("listitem").filter(has_text="Paspor").first
    assert "Menunggu verifikasi" in passport.inner_text()
    checks.check()


@viewports
def test_worker_signs_up_and_gets_ready(open_page, demo, viewport):
    page = open_page(viewport)
    checks = PageChecks(page, label=f"worker {viewport['width']}px")
    worker_core_flow(page, demo, checks, f"siti.{viewport['width']}@contoh.id")

    # Enrol in a course that meets a gap of the plan (Japanese for the JLPT).
    page.get_by_role("link", name="Pelatihan untuk memenuhi kekurangan ini").click()
    heading(page, "Kursus untuk saya")
    checks.check()
    page.get_by_role("link", name="NKJ-N5-DEMO-01").first.click()
    heading(page, "Bahasa Jepang Dasar (JLPT N5)")
    checks.check()
    page.get_by_role("button", name="Daftar", exact=True).click()
    see(page, "Pendaftaran berhasil: Anda kini peserta angkatan ini.")
    checks.check()
    checks.assert_clean()


@viewports
def test_worker_core_flow_without_javascript(open_page, demo, viewport):
    page = open_page(viewport, js=False)
    checks = PageChecks(page, label=f"worker without JS {viewport['width']}px", js=False)
    worker_core_flow(page, demo, checks, f"siti.nojs.{viewport['width']}@contoh.id")
    checks.assert_clean()  # console errors only: nothing can be measured without JS


@viewports
def test_officer_registers_a_walk_in_verifies_a_document_sees_readiness(open_page, demo, viewport):
    page = open_page(viewport)
    checks = PageChecks(page, label=f"officer {viewport['width']}px")
    log_in(page, demo.base, "alice@demo.garda.id", checks)
    checks.check()

    page.get_by_role("link", name="Daftarkan seseorang").first.click()
    heading(page, "Daftarkan seseorang")
    checks.check()
    page.get_by_label("NIK", exact=True).fill(new_nik("120590"))
    page.get_by_label("Nama lengkap (sesuai KTP)").fill("Budi Hartono")
    page.get_by_label("Jenis kelamin").select_option(label="Laki-laki")
    page.get_by_label("Tanggal lahir").fill("1990-05-12")
    page.get_by_role("button", name="Daftarkan").click()
    see(page, "Pendaftaran berhasil. Nomor referensi: PMI-")
    heading(page, "Budi Hartono")
    checks.check()

    # The walk-in brought a passport: the officer scans it, then checks it.
    page.get_by_role("link", name="Dokumen", exact=True).click()
    heading(page, "Dokumen")
    checks.check()
    page.get_by_label("Dokumen", exact=True).select_option(label="Paspor")
    page.get_by_label("Nomor", exact=True).fill("C7654321")
    page.get_by_label("Tanggal terbit").fill("2025-03-01")
    page.get_by_label("Tanggal habis berlaku").fill("2035-03-01")
    page.get_by_label("Berkas").set_input_files(
        {"name": "paspor.png", "mimeType": "image/png", "buffer": png()}
    )
    page.get_by_role("button", name="Unggah").click()
    see(page, "Dokumen sudah diunggah.")
    checks.check()
    page.get_by_role("row").filter(has_text="C7654321").get_by_role("link").first.click()
    heading(page, "Paspor")
    checks.check()
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    see(page, "Dokumen sudah diverifikasi.")
    checks.check()

    page.get_by_role("link", name="Budi Hartono").first.click()  # his documents
    page.get_by_role("link", name="Profil", exact=True).click()
    page.get_by_role("link", name="Kesiapan", exact=True).click()
    heading(page, "Kesiapan: Budi Hartono")
    checks.check()
    # No plan yet: the officer sets one with him, and the checklist counts the passport.
    choose_country(page, checks, "Jepang")
    page.get_by_label("Skema penempatan").select_option(
        label="Specified Skilled Worker Jepang (Tokutei Ginou)"
    )
    page.get_by_label("Sektor").select_option(label="Pengasuhan dan perawatan")
    page.get_by_role("button", name="Simpan rencana").click()
    heading(page, "Daftar periksa", level=2)
    passport = page.get_by_role("listitem").filter(has_text="Paspor").first
    assert "Berlaku sampai 1 Maret 2035" in passport.inner_text()
    checks.check()
    checks.assert_clean()


@viewports
def test_trainer_marks_todays_attendance(open_page, demo, logged_in, viewport):
    page = open_page(viewport, storage_state=logged_in("teguh@demo.garda.id"))
    checks = PageChecks(page, label=f"trainer {viewport['width']}px")
    page.goto(f"{demo.base}/")
    checks.check()
    # The home page lists today's sessions, each with its "Catat presensi" button.
    today = page.get_by_role("listitem").filter(has_text=demo.batch_today)
    today.get_by_role("link", name="Catat presensi").first.click()
    heading(page, "Kehadiran")
    checks.check()
    present = page.get_by_role("radio", name=": Hadir")  # "<trainee>: Hadir", one a row
    trainees = present.count()
    assert trainees > 0
    for i in range(trainees):
        present.nth(i).check()
    page.get_by_role("button", name="Simpan kehadiran").click()
    see(page, f"Kehadiran {trainees} peserta disimpan.")
    checks.check()
    checks.assert_clean()


@viewports
def test_public_checks_a_certificate_by_its_link(open_page, demo, viewport):
    page = open_page(viewport)
    checks = PageChecks(page, label=f"public {viewport['width']}px")
    page.goto(f"{demo.base}/training/verify/{demo.certificate_code}/")  # the QR code's link
    heading(page, "Verifikasi sertifikat")
    see(page, demo.certificate_holder)
    see(page, "Berlaku")
    checks.check()

    page.goto(f"{demo.base}/training/verify/{demo.certificate_code[:-2]}xx/")
    see(page, "Sertifikat tidak ditemukan")
    checks.check()
    checks.assert_clean()


def test_officer_checks_a_nik_with_htmx(open_page, demo, logged_in):
    """HTMX under the strict CSP: the NIK check answers in place, not by a reload."""
    page = open_page(VIEWPORTS["1280"], storage_state=logged_in("alice@demo.garda.id"))
    checks = PageChecks(page, label="officer NIK")
    page.goto(f"{demo.base}/")
    page.get_by_role("link", name="Periksa NIK").first.click()
    page.get_by_label("NIK", exact=True).fill("3171014101900001")
    with page.expect_response(lambda r: r.request.method == "POST") as info:
        page.get_by_role("button", name="Periksa").click()
    assert info.value.request.headers.get("hx-request") == "true"  # a partial, not a reload
    see(page, "NIK valid")
    see(page, "Gambir")
    assert page.url.endswith("/people/nik/")

    page.get_by_label("NIK", exact=True).fill("3171990101900001")
    page.get_by_role("button", name="Periksa").click()
    see(page, "kode kecamatan 317199 tidak dikenal")
    checks.check()

    page.get_by_role("button", name="English").click()
    heading(page, "Check a NIK")
    checks.check()
    checks.assert_clean()


def settled(page) -> None:
    """Wait until HTMX has finished swapping and settling (its classes are gone)."""
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    page.wait_for_function(f"() => !document.querySelector('{busy}')")


def test_pickers_update_in_place_with_htmx(open_page, demo, logged_in):
    """The region cascade swaps in place on the walk-in form, and the plan form
    offers the schemes of the country just chosen, under the strict CSP."""
    page = open_page(VIEWPORTS["360"], storage_state=logged_in("alice@demo.garda.id"))
    checks = PageChecks(page, label="officer pickers")
    page.goto(f"{demo.base}/people/new/")
    url = page.url
    with page.expect_response(lambda r: "/places/regions/picker/" in r.url):
        page.get_by_label("Kota atau kabupaten", exact=True).select_option(
            label="Kota Jakarta Pusat"
        )
    page.get_by_label("Kecamatan", exact=True).wait_for()  # swapped in
    settled(page)  # and wired: HTMX binds the new selects when it has settled
    with page.expect_response(lambda r: "/places/regions/picker/" in r.url):
        page.get_by_label("Kecamatan", exact=True).select_option(label="Kec. Gambir")
    page.get_by_label("Kelurahan atau desa", exact=True).wait_for()
    assert "Kel. Cideng" in page.get_by_label("Kelurahan atau desa", exact=True).inner_text()
    assert page.url == url  # never a reload
    checks.check()

    page.goto(f"{demo.base}/people/")
    page.get_by_role("table").get_by_role("link").first.click()  # the first person found
    page.wait_for_url("**/people/*/")
    person = page.url.rstrip("/").rsplit("/", 1)[1]
    page.goto(f"{demo.base}/destinations/people/{person}/plan/")  # the plan's own page
    page.get_by_label("Negara tujuan").select_option(label="Taiwan")
    schemes = page.get_by_label("Skema penempatan")
    schemes.locator("option", has_text="SP2T Taiwan").wait_for(state="attached")
    assert "EPS" not in schemes.inner_text()
    checks.check()
    checks.assert_clean()


def test_screenshots_command_saves_the_pictures(demo, tmp_path):
    """`garda screenshots` (here against the module's demo, `--server`; without it, it
    sets up its own): the worker's home and readiness at 360 px, the officer's worklist
    at 1280 px, three dashboards at 1280 px and the public statistics at 360 px."""
    env = scratch_env(tmp_path / "var")
    garda("screenshots", "--out", str(tmp_path / "shots"), "--server", demo.base, env=env)
    widths = {}
    for png_file in sorted((tmp_path / "shots").iterdir()):
        header = png_file.read_bytes()[:24]
        assert header.startswith(b"\x89PNG")
        widths[png_file.name] = struct.unpack(">I", header[16:20])[0]
    assert widths == {
        "officer-worklist-1280.png": 1280,
        "worker-home-360.png": 360,
        "worker-readiness-360.png": 360,
        "supervisor-figures-1280.png": 1280,
        "supervisor-figures-cases-1280.png": 1280,
        "officer-figures-outreach-1280.png": 1280,
        "public-statistics-360.png": 360,
    }


def family_reports_and_follows(page, base: str, checks) -> tuple[str, str]:
    """A mother reports for her daughter abroad from the public home page, writes down
    the number and the tracking code, and follows the report with them."""
    page.goto(base + "/")
    checks.check()
    page.get_by_role("link", name="Laporkan masalah").first.click()
    heading(page, "Laporkan masalah pekerja migran")
    checks.check()
    page.get_by_label("Nama Anda").fill("Sri Wahyuni")
    page.get_by_label("Nomor telepon Anda").fill("+6281234567001")
    page.get_by_label("Hubungan Anda dengan pekerja").select_option(label="Orang tua")
    page.get_by_label("Nama pekerja").fill("Siti Aminah")
    page.get_by_label("Negara tempat pekerja berada sekarang").select_option(label="Malaysia")
    page.get_by_label("Gaji tidak dibayar atau ditahan").check()
    page.get_by_label("Apa yang terjadi?").fill("Gaji anak saya belum dibayar tiga bulan.")
    page.get_by_role("button", name="Kirim laporan").click()
    heading(page, "Laporan diterima")
    checks.check()
    reference = page.locator("#reference").first.inner_text().strip()
    secret = page.locator("#secret").inner_text().strip()
    assert reference.startswith("KS-") and len(secret) >= 12
    page.get_by_role("link", name="Ikuti laporan").first.click()
    heading(page, "Ikuti laporan")
    checks.check()
    page.get_by_label("Nomor kasus").fill(reference)
    page.get_by_label("Kode pelacakan").fill(secret)
    page.get_by_role("button", name="Tampilkan laporan").click()
    page.locator("#tracked").wait_for()
    checks.check()
    assert page.locator("#reference").inner_text().strip() == reference
    assert page.locator("#stage").get_attribute("data-stage") == "new"
    return reference, secret


@viewports
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_family_reports_a_problem_abroad_and_follows_it(open_page, demo, viewport, js):
    page = open_page(viewport, js=js)
    checks = PageChecks(page, label=f"family {viewport['width']}px", js=js)
    family_reports_and_follows(page, demo.base, checks)
    # A wrong code reveals nothing: the same "not found" as an unknown number.
    page.goto(demo.base + "/cases/track/")
    page.get_by_label("Nomor kasus").fill("KS-2026-000001")
    page.get_by_label("Kode pelacakan").fill("salah")
    page.get_by_role("button", name="Tampilkan laporan").click()
    heading(page, "Laporan tidak ditemukan", level=2)
    checks.check()
    checks.assert_clean()


@viewports
def test_officer_takes_a_hotline_call_and_answers_the_family(open_page, demo, logged_in, viewport):
    """Alice types a hotline call (the caller's daughter has no passport and is locked
    in), reads the tracking code out, triages the case, takes it, starts handling it
    and writes a message the family can read; the family's tracking page shows the
    message and the stage, nothing internal."""
    page = open_page(viewport, storage_state=logged_in("alice@demo.garda.id"))
    checks = PageChecks(page, label=f"officer cases {viewport['width']}px")
    page.goto(demo.base + "/")
    menu(page, "Kasus")
    heading(page, "Kasus pelindungan")
    checks.check()
    page.get_by_role("link", name="Catat laporan").click()
    checks.check()
    page.get_by_label("Bagaimana laporan masuk").select_option(label="Telepon layanan pengaduan")
    page.get_by_label("Nama pelapor").fill("Ahmad Fauzi")
    page.get_by_label("Hubungan pelapor dengan pekerja").select_option(label="Orang tua")
    page.get_by_label("Nama pekerja").fill("Dewi Lestari")
    page.get_by_label("Negara tempat pekerja berada sekarang").select_option(label="Malaysia")
    page.get_by_label("Gaji tidak dibayar atau ditahan").check()
    page.get_by_label("Apa yang terjadi?").fill("Paspor ditahan majikan, tidak boleh keluar rumah.")
    page.get_by_role("button", name="Simpan laporan").click()
    page.get_by_role("link", name="Buka kasus").wait_for()
    checks.check()
    secret = page.locator("code").first.inner_text().strip()
    heading_text = page.get_by_role("heading", level=1).inner_text()
    reference = heading_text.split()[-1]
    page.get_by_role("link", name="Buka kasus").click()
    heading(page, heading_text)
    checks.check()

    def move(stage: str, reason: str) -> None:
        actions = page.locator("#actions")
        actions.get_by_label("Pindahkan ke").select_option(label=stage)
        actions.get_by_label("Alasan").first.fill(reason)
        page.get_by_role("button", name="Pindahkan", exact=True).click()
        page.wait_for_load_state()
        checks.check()

    move("Sudah dipilah", "Sudah dicek lewat telepon")
    page.get_by_role("button", name="Ambil kasus ini").click()
    page.wait_for_load_state()
    checks.check()
    move("Sedang ditangani", "Mulai menghubungi KBRI")
    page.locator("#notes").get_by_label("Catatan", exact=True).fill(
        "Kami sudah menghubungi KBRI Kuala Lumpur."
    )
    page.get_by_label("Bagikan kepada pekerja dan pelapor").check()
    page.get_by_role("button", name="Simpan catatan").click()
    page.wait_for_load_state()
    checks.check()
    see(page, "Kami sudah menghubungi KBRI Kuala Lumpur.")
    checks.assert_clean()

    family = open_page(viewport)
    family_checks = PageChecks(family, label=f"family tracking {viewport['width']}px")
    family.goto(demo.base + "/cases/track/")
    family.get_by_label("Nomor kasus").fill(reference)
    family.get_by_label("Kode pelacakan").fill(secret.lower())
    family.get_by_role("button", name="Tampilkan laporan").click()
    family.locator("#tracked").wait_for()
    family_checks.check()
    assert family.locator("#stage").get_attribute("data-stage") == "in_progress"
    see(family, "Kami sudah menghubungi KBRI Kuala Lumpur.")
    assert "Alice" not in family.locator("main").inner_text()
    family_checks.assert_clean()


@viewports
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_worker_abroad_reports_from_the_portal_and_sees_the_case(open_page, demo, viewport, js):
    """Wati, signed in on her phone, finds "Laporan saya" from her home page, reports
    unpaid wages about herself and lands on her case: its number, the stage in her
    words, and a form to add information."""
    page = open_page(viewport, js=js)
    checks = PageChecks(page, label=f"worker case {viewport['width']}px", js=js)
    log_in(page, demo.base, "wati@demo.garda.id", checks)
    page.get_by_role("link", name="Laporan saya").first.click()
    heading(page, "Laporan dan kasus saya")
    checks.check()
    page.get_by_role("link", name="Laporkan masalah").first.click()
    heading(page, "Laporkan masalah")
    checks.check()
    page.get_by_label("Gaji tidak dibayar atau ditahan").check()
    page.get_by_label("Apa yang terjadi?").fill("Gaji saya belum dibayar dua bulan.")
    page.get_by_role("button", name="Kirim laporan").click()
    page.get_by_role("heading", level=1, name="Kasus KS-").wait_for()
    checks.check()
    see(page, "Diterima")  # the stage, in her words
    # Her own words are kept on the case (folded under "what you reported").
    assert "Gaji saya belum dibayar dua bulan." in page.locator("main").text_content()
    page.get_by_role("button", name="Kirim", exact=True).wait_for()
    checks.assert_clean()


@viewports
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_worker_checks_a_job_offer_and_finds_the_verified_vacancies(
    open_page, demo, viewport, js
):
    """Someone offered a housekeeping job in Hong Kong by a suspended company, asked to
    pay for training, checks the offer from the home page: the answer says danger,
    names the suspension and the fee-free rule, and leads to the verified vacancies."""
    page = open_page(viewport, js=js)
    checks = PageChecks(page, label=f"job check {viewport['width']}px", js=js)
    page.goto(demo.base + "/")
    page.get_by_role("link", name="Lowongan ini asli?").first.click()
    heading(page, "Lowongan ini asli?")
    checks.check()
    page.get_by_label("Perusahaan penempatan (nama atau nomor izin)").fill("PT Harapan Jaya Migran")
    page.get_by_label("Negara tujuan").select_option(value="HK")
    page.get_by_label("Pekerjaan").select_option(value="9111")
    page.get_by_label("Gaji yang ditawarkan").fill("4000")
    page.get_by_label("Mata uang gaji").select_option(value="HKD")
    page.get_by_label("Untuk apa (biaya 1)").fill("Biaya pelatihan")
    page.get_by_label("Jumlah (biaya 1)").fill("8000000")
    page.get_by_role("button", name="Periksa lowongan ini").click()
    page.locator("#answer").wait_for()
    checks.check()
    assert page.locator("#answer").get_attribute("data-verdict") == "danger"
    answer = page.locator("main").inner_text()
    assert "tunda layanan" in answer.lower()
    assert "Perban BP2MI 9/2020" in answer
    page.goto(demo.base + "/jobs/")
    checks.check()
    page.locator("#vacancies").get_by_role("link").first.click()
    page.wait_for_load_state()
    checks.check()
    checks.assert_clean()


SG_JOB = "Pengurus rumah tangga"


@viewports
@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
def test_a_worker_applies_for_a_vacancy_and_follows_it(open_page, demo, viewport, js):
    """Wati, on her phone, opens the verified vacancy in Singapore, applies with one
    button and follows it on "Lamaran saya", where her application in Hong Kong, which
    the company shortlisted, reads in words (issue 15)."""
    page = open_page(viewport, js=js)
    checks = PageChecks(page, label=f"worker applies {viewport['width']}px", js=js)
    log_in(page, demo.base, "wati@demo.garda.id", checks)
    page.goto(demo.base + "/jobs/")
    # The demo's housekeeper order in Singapore: the recruiter's test publishes a cook's
    # order there too, and the random order may run it first.
    vacancies = page.locator("#vacancies li").filter(has_text="Singapura")
    vacancies.filter(has_text=SG_JOB).get_by_role("link").first.click()
    page.locator("#apply").wait_for()
    checks.check()
    apply = page.locator("#apply").get_by_role("button", name="Lamar pekerjaan ini")
    if apply.count():  # the other viewport's run may have applied already
        apply.click()
    else:
        page.locator("#apply").get_by_role("link", name="Lamaran saya").click()
    heading(page, "Lamaran saya")
    checks.check()
    cards = page.locator("#applications li")
    singapore = cards.filter(has_text="Singapura").filter(has_text=SG_JOB)
    assert singapore.count() == 1 and "Melamar" in singapore.inner_text()
    assert "Masuk daftar pendek" in cards.filter(has_text="Hong Kong").inner_text()
    checks.assert_clean()


@viewports
def test_a_recruiter_writes_an_order_and_an_officer_publishes_it(
    open_page, demo, logged_in, viewport
):
    """Sari (a licensed company's recruiter) writes a job order for a cook in Singapore
    and sends it; Alice finds it waiting, verifies it, and it is on the public board."""
    page = open_page(viewport, storage_state=logged_in("sari@demo.garda.id"))
    checks = PageChecks(page, label=f"recruiter {viewport['width']}px")
    page.goto(demo.base + "/")
    checks.check()
    page.get_by_role("link", name="Tulis job order").click()
    heading(page, "Job order baru")
    checks.check()
    city = f"Jurong {next(_serial)}"
    page.get_by_label("Negara tujuan").select_option(value="SG")
    page.get_by_label("Skema penempatan").select_option(value="p2p")
    page.get_by_label("Sektor").select_option(value="domestic")
    page.get_by_label("Pekerjaan", exact=True).select_option(value="5120")
    page.get_by_label("Kota").fill(city)
    page.get_by_label("Jumlah lowongan", exact=True).fill("2")
    page.get_by_label("Upah", exact=True).fill("700")
    page.get_by_label("Mata uang", exact=True).fill("SGD")
    page.get_by_label("Jam kerja per hari").fill("8")
    page.get_by_label("Hari kerja per minggu").fill("6")
    page.get_by_label("Hari libur per bulan").fill("4")
    page.get_by_label("Cuti berbayar").fill("14")
    page.get_by_label("Asuransi").fill("BPJS Ketenagakerjaan dan asuransi majikan")
    page.get_by_label("Lama kontrak").fill("24")
    page.get_by_label("Tiket dibayar oleh").select_option(value="employer")
    page.get_by_role("button", name="Simpan sebagai draf").click()
    page.get_by_role("button", name="Ajukan untuk verifikasi").wait_for()
    checks.check()
    reference = page.get_by_role("heading", level=1).inner_text().split()[-1]
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    page.wait_for_load_state()
    checks.check()
    checks.assert_clean()

    officer = open_page(viewport, storage_state=logged_in("alice@demo.garda.id"))
    officer_checks = PageChecks(officer, label=f"officer orders {viewport['width']}px")
    officer.goto(demo.base + "/jobs/orders/?status=submitted")
    officer_checks.check()
    officer.get_by_role("link", name=reference).click()
    heading(officer, reference)
    officer_checks.check()
    officer.get_by_role("button", name="Verifikasi dan tayangkan").click()
    officer.wait_for_load_state()
    officer_checks.check()
    officer_checks.assert_clean()

    public = open_page(viewport, js=False)
    public.goto(demo.base + "/jobs/?destination=SG")
    see(public, city)


# Staff pages a person of each role opens in the field, beyond the journeys above: a
# path to open, or a link to click on the page before it (by its visible text).
STAFF_PAGES = {
    "alice@demo.garda.id": [
        "/cases/",  # her cases
        ("row", 1),  # the first case
        "/cases/?view=queue",  # the intake queue
        "/accompaniment/",  # the worklist
        ("row", 1),  # the first person's accompaniment page
        "/documents/queue/",
        "/documents/expiring/",
        "/people/",
        ("row", 1),  # a registry profile
        "/people/duplicates/",
        "/jobs/orders/?status=submitted",
        ("row", 1),  # a job order waiting for verification
        "/jobs/listings/",
    ],
    "sari@demo.garda.id": ["/jobs/orders/", ("row", 1), "/jobs/employers/"],
    # a batch's roster, then its first competency unit's assessment sheet
    "teguh@demo.garda.id": ["/training/teach/", ("row", 1), ("units", 0)],
    "admin@demo.garda.id": [
        "/cases/dashboard/",
        "/audit/",
        "/accompaniment/workload/",
        "/destinations/manage/",
        "/destinations/manage/requirement-sets/",
        "/training/outcomes/?by=batch",
        "/jobs/register/",
        ("row", 1),  # a placement company's page
    ],
}


@viewports
@pytest.mark.parametrize("email", sorted(STAFF_PAGES))
def test_staff_pages_pass_the_page_checks(open_page, demo, logged_in, email, viewport):
    """The officer's, trainer's and admin's lists and detail pages: tables stack into
    cards at 360 px (no overflow), and every page passes the page checks."""
    page = open_page(viewport, storage_state=logged_in(email))
    checks = PageChecks(page, label=f"{email.split('@')[0]} {viewport['width']}px")
    for step in STAFF_PAGES[email]:
        if isinstance(step, str):
            assert page.goto(f"{demo.base}{step}").status == 200, step
        elif step[0] == "row":  # the first link of the table's first data row
            page.get_by_role("row").nth(step[1]).get_by_role("link").first.click()
            page.wait_for_load_state()
        else:
            page.get_by_role("heading", level=2, name="Asesmen").wait_for()
            page.locator("#units").get_by_role("link").nth(step[1]).click()
            page.wait_for_load_state()
        checks.check()
        if viewport["width"] == 360:
            assert page.locator("main table:not(.stack)").count() == 0, page.url
    checks.assert_clean()
