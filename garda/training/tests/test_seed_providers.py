"""`garda load_training_providers`: PPKD agencies linked, LPK agencies created, run
twice changes nothing; a clear error while the agencies are not loaded."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from garda.accounts.models import Agency
from garda.audit.models import AuditEvent
from garda.training.management.commands.load_training_providers import DEFAULT_FILE, DEMO_FILE
from garda.training.models import Provider
from garda.training.tests.factories import jakarta_cities, load_training_agencies

pytestmark = pytest.mark.django_db


@pytest.fixture
def jakarta(db):
    jakarta_cities()


@pytest.fixture
def ppkd_agencies(jakarta, tmp_path):
    """`garda load_agencies` with the PPKD rows of the real agencies file."""
    return load_training_agencies(tmp_path)


def _run(**kwargs) -> str:
    out = io.StringIO()
    call_command("load_training_providers", stdout=out, **kwargs)
    return out.getvalue()


def test_load_links_every_ppkd(ppkd_agencies):
    with DEFAULT_FILE.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["kind"] for r in rows} == {"ppkd"}  # invented LPKs stay out of real data
    agencies_before = Agency.objects.count()
    out = _run()
    assert f"{len(rows)} created, 0 updated, 0 LPK agencies created" in out
    assert Provider.objects.count() == len(rows)
    assert Agency.objects.count() == agencies_before
    for row in ppkd_agencies:
        provider = Provider.objects.get(agency__short_name=row["short_name"])
        assert provider.kind == "ppkd"
        assert provider.region_id == row["region"]
    timur = Provider.objects.get(agency__short_name="PPKD Jakarta Timur")
    # No accreditation grade is claimed that we have not seen.
    assert "Jl. Raya Bekasi" in timur.address and timur.accreditation == ""
    audited = AuditEvent.objects.filter(object_type="training.provider", action="create")
    assert audited.count() == len(rows)


def test_the_demo_file_creates_the_lpks(ppkd_agencies):
    with DEMO_FILE.open(encoding="utf-8") as fh:
        lpks = list(csv.DictReader(fh))
    assert lpks and {r["kind"] for r in lpks} == {"lpk"}
    agencies_before = Agency.objects.count()
    out = _run(file=DEMO_FILE)
    assert f"{len(lpks)} created, 0 updated, {len(lpks)} LPK agencies created" in out
    assert Agency.objects.count() == agencies_before + len(lpks)
    for row in lpks:
        provider = Provider.objects.select_related("agency").get(
            agency__short_name=row["short_name"]
        )
        assert provider.agency.kind == Agency.Kind.TRAINING
        assert provider.kind == "lpk" and provider.license_number == row["license_number"]
        assert provider.accreditation == row["accreditation"]


def test_running_again_changes_nothing(ppkd_agencies):
    _run()
    before = list(Provider.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    assert "0 created, 0 updated, 0 LPK agencies created" in _run()
    assert list(Provider.objects.order_by("pk").values()) == before
    assert AuditEvent.objects.count() == events


def test_a_changed_row_updates_the_provider(ppkd_agencies, tmp_path):
    _run(file=DEMO_FILE)
    text = DEMO_FILE.read_text(encoding="utf-8").replace(
        "563/LPK/31.75/2021,B,2027-06-30", "563/LPK/31.75/2021,A,2029-06-30"
    )
    path = tmp_path / "providers.csv"
    path.write_text(text, encoding="utf-8")
    assert "0 created, 1 updated" in _run(file=path)
    provider = Provider.objects.get(agency__short_name="LPK Las Cakung Mandiri")
    assert provider.accreditation == "A" and provider.accredited_until.year == 2029
    event = AuditEvent.objects.filter(object_type="training.provider", action="update").get()
    assert set(event.changed_fields) == {"accreditation", "accredited_until"}


def test_fails_clearly_when_the_agencies_are_not_loaded(jakarta):
    with pytest.raises(CommandError, match="load_agencies"):
        _run()
    assert not Provider.objects.exists()
    assert not Agency.objects.filter(kind="training").exists()


def test_fails_clearly_when_the_regions_are_not_loaded(db):
    with pytest.raises(CommandError, match="load_regions"):
        _run()
