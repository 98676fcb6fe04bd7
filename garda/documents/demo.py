"""Demo documents for `garda demo`: a realistic share of the demo persons get a few
documents each, in every state an officer meets (verified, pending, rejected with a
reason, expired, expiring), with small generated files (PNG pages and PDFs) stored
encrypted like real uploads.

Written in bulk (documents, files and their audit rows), so a few hundred persons take
seconds. Idempotent: a person who already has documents is skipped.
"""

import hashlib
import random
from datetime import date, timedelta
from io import BytesIO

from django.db import transaction
from django.utils import timezone
from fpdf import FPDF
from PIL import Image, ImageDraw

from garda.accounts.models import User
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record_many
from garda.documents import storage
from garda.documents.files import PDF, PNG
from garda.documents.models import Document, DocumentFile, DocumentType
from garda.documents.queries import add_months
from garda.people.models import Person

EXTENSION = {PDF: "pdf", PNG: "png"}
SHARE = 0.7  # of the persons get documents
# What a person in preparation usually has gathered, most common first.
COMMON = ["ktp", "kk", "birth-certificate", "diploma", "bpjs-tk", "skck", "passport", "medical"]
OCCASIONAL = ["marital-status", "consent", "competency-certificate", "jlpt", "eps-topik"]
REJECTIONS = [
    "Foto buram, tulisan tidak terbaca. Foto ulang di tempat terang.",
    "Halaman belakang tidak ada. Unggah kedua sisi dokumen.",
    "Nama tidak sama dengan KTP. Bawa dokumen asli ke kantor kami.",
    "Dokumen terpotong di bagian bawah. Unggah ulang seluruh halaman.",
]
# Years an issued document is valid, for the types with an expiry date.
VALID_YEARS = {
    "passport": 5,
    "skck": 0.5,
    "competency-certificate": 3,
    "work-visa": 2,
    "nursing-registration": 5,
}


def _png(label: str) -> bytes:
    image = Image.new("RGB", (320, 200), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 311, 191), outline=(40, 60, 90), width=3)
    draw.text((24, 30), "CONTOH / DEMO", fill=(160, 30, 30))
    draw.text((24, 70), label[:40], fill=(20, 20, 20))
    draw.text((24, 150), "Garda - data sintetis", fill=(90, 90, 90))
    out = BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _pdf(label: str) -> bytes:
    pdf = FPDF(format=(148, 210))  # A5, in mm
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, "CONTOH / DEMO")
    pdf.ln(12)
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 8, label.encode("latin-1", "replace").decode("latin-1"))
    return bytes(pdf.output())


def _number(rng: random.Random, code: str) -> str:
    if code == "passport":
        return f"{rng.choice('ABCEX')}{rng.randint(0, 9_999_999):07d}"
    if code == "bpjs-tk":
        return f"{rng.randint(10**10, 10**11 - 1)}"
    return f"{code[:3].upper()}/{rng.randint(100, 9999)}/{rng.randint(2019, 2026)}"


def _details(rng: random.Random, t: DocumentType, today: date, state: str) -> dict:
    """Dates, number and level for a document of type `t` that should end up in
    `state` (verified, pending, rejected, expired, expiring)."""
    values: dict = {"number": _number(rng, t.code) if t.has_number else ""}
    if t.validity_months:
        if state == "expired":
            issued = add_months(today, -(t.validity_months + 1))
        elif state == "expiring":
            issued = add_months(today, -t.validity_months) + timedelta(days=rng.randint(3, 25))
        else:
            issued = today - timedelta(days=rng.randint(5, 40))
        values["issued_on"] = issued
    elif t.has_expiry:
        years = VALID_YEARS.get(t.code, 2)
        if state == "expired":
            expires = today - timedelta(days=rng.randint(10, 200))
        elif state == "expiring":
            expires = today + timedelta(days=rng.randint(10, 170))
        else:
            span = int(years * 365)
            expires = today + timedelta(days=rng.randint(span // 3 + 31, span))
        values["expires_on"] = expires
        values["issued_on"] = add_months(expires, -int(years * 12))
    else:
        values["issued_on"] = today - timedelta(days=rng.randint(200, 4000))
    if t.level_list:
        values["level"] = rng.choice(t.level_list[:3])
    elif t.is_scored:
        values["level"] = str(rng.randint(120, 190))
    return values


def populate(persons: list[Person], officer: User, *, seed: int = 2026) -> int:
    """Give about SHARE of `persons` a few documents each, reviewed (where reviewed)
    by `officer`. Returns the number of documents created."""
    types = {t.code: t for t in DocumentType.objects.filter(is_active=True)}
    already = set(Document.objects.filter(person__in=persons).values_list("person_id", flat=True))
    samples: dict[str, tuple[bytes, str]] = {}
    now = timezone.now()
    today = timezone.localdate()
    documents: list[Document] = []
    pages: list[tuple[Document, bytes, str]] = []
    for person in persons:
        # One generator per person: a second run draws the same, so it adds nothing.
        rng = random.Random(f"{seed}:{person.pk}")  # noqa: S311 (demo data, not secrets)
        if person.pk in already or rng.random() > SHARE:
            continue
        codes = COMMON[: rng.randint(2, len(COMMON))]
        codes += rng.sample(OCCASIONAL, k=rng.randint(0, 2))
        for code in codes:
            t = types.get(code)
            if t is None:
                continue
            draw = rng.random()
            # Mostly in order; a few to fix, a few running out (an officer's week).
            state = (
                "verified"
                if draw < 0.55
                else "pending"
                if draw < 0.78
                else "rejected"
                if draw < 0.88
                else "expired"
                if draw < 0.91
                else "expiring"
            )
            if state in ("expired", "expiring") and not (t.has_expiry or t.validity_months):
                state = "verified"
            if state == "pending" and rng.random() < 0.9:
                # Waiting for verification: most arrived in the last two days, within
                # the officer's VERIFY_WITHIN_DAYS; a few have waited too long.
                uploaded = now - timedelta(hours=rng.randint(1, 48), minutes=rng.randint(0, 59))
            else:
                uploaded = now - timedelta(days=rng.randint(4, 60), minutes=rng.randint(0, 600))
            status = {
                "pending": Document.Status.PENDING,
                "rejected": Document.Status.REJECTED,
            }.get(state, Document.Status.VERIFIED)
            reviewed = status != Document.Status.PENDING
            reviewed_at = uploaded + timedelta(hours=rng.randint(1, 72)) if reviewed else None
            documents.append(
                Document(
                    person=person,
                    type=t,
                    status=status,
                    rejection_reason=rng.choice(REJECTIONS) if state == "rejected" else "",
                    uploaded_by=officer if rng.random() < 0.6 else person.user or officer,
                    uploaded_at=uploaded,
                    reviewed_by=officer if reviewed else None,
                    reviewed_at=reviewed_at,
                    changed_at=uploaded,
                    **_details(rng, t, today, state),
                )
            )
            if code not in samples:
                samples[code] = (_pdf(t.name), PDF) if rng.random() < 0.3 else (_png(t.name), PNG)
            pages.append((documents[-1], *samples[code]))
    if not documents:
        return 0
    stored: list[str] = []
    try:
        with transaction.atomic():
            Document.objects.bulk_create(documents, batch_size=500)
            files = []
            for document, data, content_type in pages:
                name = storage.save(data)
                stored.append(name)
                files.append(
                    DocumentFile(
                        document=document,
                        page=1,
                        storage_name=name,
                        content_type=content_type,
                        size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(),
                        original_name=f"{document.type.code}.{EXTENSION[content_type]}",
                    )
                )
            DocumentFile.objects.bulk_create(files, batch_size=500)
            audit_record_many(
                actor=officer,
                action=AuditEvent.Action.CREATE,
                targets=[(d, ["type", "files", "status"]) for d in documents],
                reason="demo",
            )
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return len(documents)
