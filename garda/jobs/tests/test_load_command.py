"""`garda load_placement_agencies FILE` end to end: a new register, the same file
again (no change), a status change that becomes a dated history row, and a file with
errors that loads nothing and exits non-zero naming each line."""

import io
import subprocess
import sys
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from garda.jobs.models import AgencyStatusChange, PlacementAgency
from garda.jobs.tests.test_register_services import SAMPLE, csv_text, places

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _places():
    places()


def _load(path) -> str:
    out = io.StringIO()
    call_command("load_placement_agencies", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_load_the_sample_twice(tmp_path):
    assert "created 10, updated 0, unchanged 0, status changes 0" in _load(SAMPLE)
    assert "created 0, updated 0, unchanged 10, status changes 0" in _load(SAMPLE)
    assert PlacementAgency.objects.count() == 10
    revoked = PlacementAgency.objects.get(licence_number="KEP.110/2020")
    assert revoked.status == "revoked" and revoked.status_since == date(2025, 6, 30)
    assert not revoked.licensed_on(date(2026, 1, 1))


def test_a_status_change_becomes_a_dated_row(tmp_path):
    _load(SAMPLE)
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "KEP.104/2024,PT Duta Harapan Bersama,2024-01-08,2029-01-08,active,2024-01-08,,",
        "KEP.104/2024,PT Duta Harapan Bersama,2024-01-08,2029-01-08,suspended,2026-04-01,"
        "Tunda layanan: pengaduan,",
    )
    changed = tmp_path / "register.csv"
    changed.write_text(text, encoding="utf-8")
    assert "created 0, updated 1, unchanged 9, status changes 1" in _load(changed)
    duta = PlacementAgency.objects.get(licence_number="KEP.104/2024")
    assert (duta.status, duta.status_since) == ("suspended", date(2026, 4, 1))
    history = AgencyStatusChange.objects.filter(agency=duta).order_by("effective_on")
    assert [(h.status, h.effective_on) for h in history] == [
        ("active", date(2024, 1, 8)),
        ("suspended", date(2026, 4, 1)),
    ]


def test_a_file_with_errors_loads_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        csv_text(
            "KEP.1/2024,PT Satu,2024-01-01,,active,,,31.71,,,,",
            "KEP.1/2024,PT Satu Lagi,2024-01-01,,active,,,31.71,,,,",
            "KEP.3/2024,PT Tiga,,,active,,,31.99,,,,",
        ),
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("load_placement_agencies", str(bad), stdout=io.StringIO(), stderr=err)
    assert "3" in err.getvalue() and "4" in err.getvalue()
    assert "KEP.1/2024" in err.getvalue() and "31.99" in err.getvalue()
    assert not PlacementAgency.objects.exists()


def test_the_command_exits_non_zero_on_a_missing_file(tmp_path):
    """Through the real CLI: the exit status a script sees."""
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "garda", "load_placement_agencies", str(tmp_path / "none.csv")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "none.csv" in done.stderr
