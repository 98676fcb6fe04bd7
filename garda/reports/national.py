"""The registrations export for the national placement system (SISKOP2MI), in the
layout of its CPMI registration (docs/reports.md, "National export"), as the
placements export does for placements (garda/jobs/export.py).

No NIK, as in the placements export: the national system holds the worker's identity
already (the e-KTP is how a CPMI registers there); a row names the person by Garda's
reference and name. No phone or e-mail: the national system has its own contact
channel, and the file travels by hand. Every cell goes through safe_cell. The caller
audits the export once (one EXPORT row with the row count)."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from garda.people.export import safe_cell
from garda.people.models import Person
from garda.reports.figures.common import in_period

# (column, what it holds); the order is the file's.
COLUMNS = [
    ("referensi_cpmi", "Garda person reference"),
    ("nama_cpmi", "full name as on the KTP"),
    ("jenis_kelamin", "L / P"),
    ("tempat_lahir", "birth place"),
    ("tanggal_lahir", "YYYY-MM-DD"),
    ("status_perkawinan", "belum_kawin / kawin / cerai_hidup / cerai_mati"),
    ("pendidikan_terakhir", "SD / SMP / SMA / SMK / D1-D4 / S1-S3 / tidak_sekolah"),
    ("kode_wilayah_domisili", "Kemendagri village code (10 digits, dotted)"),
    ("kode_kabupaten_kota", "Kemendagri kab/kota code (dotted)"),
    ("domisili_dki", "ya / tidak"),
    ("tanggal_registrasi", "YYYY-MM-DD (registered in Garda)"),
    ("status_cpmi", "Garda status"),
    ("skema_penempatan", "g2g / p3mi / independent / company, or empty"),
]
HEADER = [name for name, _what in COLUMNS]
MARITAL = {
    "single": "belum_kawin",
    "married": "kawin",
    "divorced": "cerai_hidup",
    "widowed": "cerai_mati",
}


def export_queryset(period: str) -> QuerySet[Person]:
    """The persons registered in `period` (not merged away), oldest first."""
    return (
        Person.objects.active()
        .filter(in_period("created_at", period))
        .order_by("created_at", "pk")
        .only(
            "reference",
            "full_name",
            "sex",
            "birth_place",
            "birth_date",
            "marital_status",
            "education_level",
            "village_id",
            "regency_code",
            "domicile_jakarta",
            "created_at",
            "status",
            "route",
        )
    )


def export_rows(persons: Iterable[Person]) -> Iterator[list[str]]:
    from django.utils import timezone

    for p in persons:
        education = p.education_level
        yield [
            safe_cell(v)
            for v in (
                p.reference,
                p.full_name,
                "L" if p.sex == "M" else "P",
                p.birth_place,
                p.birth_date.isoformat() if p.birth_date else "",
                MARITAL.get(p.marital_status, ""),
                "tidak_sekolah" if education == "none" else education.upper(),
                p.village_id or "",
                p.regency_code,
                "ya" if p.domicile_jakarta else "tidak",
                timezone.localtime(p.created_at).date().isoformat(),
                p.status,
                p.route,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(persons: Iterable[Person]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in export_rows(persons):
        yield writer.writerow(row)
