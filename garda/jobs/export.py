"""The placements export for the national placement system (SISKOP2MI), in the CSV
layout documented in docs/placement.md ("Export for the national system").

No NIK: the national system holds the worker's identity already (their e-KTP is how
they registered there); a row names the person by Garda's reference and name. The
BPJS number and the visa number are masked (garda.crypto.mask, the same token for
every number). Every cell goes through people.export.safe_cell (no formula runs in a
spreadsheet). The caller audits the export once (one EXPORT row, the row count)."""

import csv
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet

from garda.crypto import mask
from garda.jobs.models import Placement
from garda.people.export import safe_cell

# (column, what it holds); the order is the file's.
COLUMNS = [
    ("referensi_penempatan", "Garda placement id"),
    ("referensi_pmi", "Garda person reference"),
    ("nama_pmi", "full name"),
    ("jenis_kelamin", "L / P"),
    ("tanggal_lahir", "YYYY-MM-DD"),
    ("negara_penempatan", "ISO 3166-1 alpha-2"),
    ("skema", "placement scheme code"),
    ("jabatan_isco", "ISCO-08 unit group"),
    ("jabatan", "job title"),
    ("nomor_job_order", "Garda job order reference"),
    ("nomor_surat_permintaan", "demand letter number"),
    ("p3mi", "company (P3MI) name"),
    ("nomor_sip3mi", "company licence number"),
    ("nomor_sip2mi", "recruitment permit number"),
    ("pemberi_kerja", "employer name"),
    ("kota_kerja", "employer city"),
    ("tanggal_perjanjian_kerja", "YYYY-MM-DD"),
    ("lama_kontrak_bulan", "months"),
    ("gaji", "wage as signed, plain digits"),
    ("mata_uang", "ISO 4217"),
    ("periode_gaji", "month / hour"),
    ("beda_dengan_job_order", "ya / tidak"),
    ("nomor_kpj_bpjs", "masked"),
    ("program_bpjs", "JKK;JKM;JHT;JP"),
    ("tanggal_opp", "YYYY-MM-DD"),
    ("nomor_sertifikat_opp", "certificate number"),
    ("nomor_visa", "masked"),
    ("visa_berlaku_sampai", "YYYY-MM-DD"),
    ("tanggal_keberangkatan", "YYYY-MM-DD"),
    ("penerbangan", "flight"),
    ("tanggal_tiba", "YYYY-MM-DD"),
    ("kontrak_berakhir", "YYYY-MM-DD"),
    ("status", "preparing / departed / arrived / ended / cancelled"),
]
HEADER = [name for name, _what in COLUMNS]


def export_queryset(qs: QuerySet[Placement]) -> QuerySet[Placement]:
    return qs.select_related("person", "order", "employer", "agency").order_by(
        "departure_date", "pk"
    )


def _day(value) -> str:
    return value.isoformat() if value else ""


def export_rows(placements: Iterable[Placement]) -> Iterator[list[str]]:
    for p in placements:
        order, person = p.order, p.person
        wage = format(p.wage_amount.normalize(), "f") if p.wage_amount is not None else ""
        yield [
            safe_cell(v)
            for v in (
                p.pk,
                person.reference,
                person.full_name,
                "L" if person.sex == "M" else "P",
                _day(person.birth_date),
                order.destination,
                order.scheme,
                order.occupation_code,
                order.occupation_title,
                order.reference,
                order.number,
                p.agency.name if p.agency_id else "",
                p.agency.licence_number if p.agency_id else "",
                order.sip2mi_number,
                p.employer.name if p.employer_id else "",
                p.employer.city if p.employer_id else "",
                _day(p.contract_signed_on),
                p.contract_months or "",
                wage,
                p.wage_currency,
                p.wage_period,
                ("ya" if p.differences else "tidak") if p.contract_signed_on else "",
                mask(p.bpjs_number),
                ";".join(p.bpjs_programmes or []),
                _day(p.orientation_attended_on),
                p.orientation_certificate,
                mask(p.visa_number),
                _day(p.visa_valid_until),
                _day(p.departure_date),
                p.flight,
                _day(p.arrived_on),
                _day(p.ends_on),
                p.status,
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(placements: Iterable[Placement]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for row in export_rows(placements):
        yield writer.writerow(row)
