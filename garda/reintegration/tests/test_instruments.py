"""Loading survey instruments: `garda reintegration_instrument FILE [--activate]`, the
refusal to overwrite a version, the active instrument (the packaged one when none
is loaded)."""

import json
import tomllib

import pytest
from django.core.management import CommandError, call_command

from garda.audit.models import AuditEvent
from garda.reintegration import policy
from garda.reintegration.instruments import active_instrument, questions
from garda.reintegration.models import Instrument
from garda.reintegration.tests.test_scoring import WEIGHTED

pytestmark = pytest.mark.django_db


def packaged_data() -> dict:
    with policy.current().default_instrument.open("rb") as fh:
        return tomllib.load(fh)


def test_the_packaged_instrument_is_loaded_when_none_is(db):
    assert not Instrument.objects.exists()
    instrument = active_instrument()
    assert (instrument.code, instrument.version, instrument.official) == ("rss", "garda-1", False)
    assert instrument.active and len(instrument.definition["indicators"]) == 15
    assert active_instrument() == instrument and Instrument.objects.count() == 1
    row = AuditEvent.objects.get(object_type="reintegration.instrument")
    assert row.action == "create" and row.actor is None


def test_the_command_loads_a_file_as_a_new_version_and_activates_it(tmp_path, capsys):
    active_instrument()
    official = packaged_data()
    official.update(version="official-1", official=True, source="IOM Handbook Annex 4")
    official["indicators"][0]["weight"] = 2.5
    path = tmp_path / "official.json"
    path.write_text(json.dumps(official), encoding="utf-8")

    call_command("reintegration_instrument", str(path))
    loaded = Instrument.objects.get(version="official-1")
    assert not loaded.active and active_instrument().version == "garda-1"
    assert "not active" in capsys.readouterr().out

    with pytest.raises(CommandError, match="loaded already"):
        call_command("reintegration_instrument", str(path), "--activate")

    official["version"] = "official-2"
    path.write_text(json.dumps(official), encoding="utf-8")
    call_command("reintegration_instrument", str(path), "--activate")
    active = active_instrument()
    assert active.version == "official-2" and active.official
    assert active.definition["indicators"][0]["weight"] == 2.5
    assert Instrument.objects.filter(code="rss", active=True).count() == 1


def test_a_toml_file_of_another_code_is_active_as_its_first_version(tmp_path):
    path = tmp_path / "weighted.toml"
    path.write_text(WEIGHTED, encoding="utf-8")
    call_command("reintegration_instrument", str(path))
    assert Instrument.objects.get(code="test").active


@pytest.mark.parametrize(
    "content, words",
    [
        ("code = ", "cannot be read"),
        ('code = "x"\nversion = "1"\ntitle = "t"\nsource = "s"\nofficial = false\n', "dimensions"),
    ],
)
def test_a_bad_file_is_refused_in_words_and_nothing_is_loaded(tmp_path, content, words):
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=words):
        call_command("reintegration_instrument", str(path))
    assert not Instrument.objects.exists()


def test_the_questions_are_shown_in_the_readers_language():
    instrument = active_instrument()
    id_ = questions(instrument, "id")
    en = questions(instrument, "en")
    assert [d["code"] for d in id_] == ["economic", "social", "psychosocial"]
    assert id_[0]["label"] == "Ekonomi" and en[0]["label"] == "Economic"
    assert id_[0]["indicators"][0]["options"][0]["label"] == "Sangat puas"
    assert en[0]["indicators"][0]["options"][0]["label"] == "Very satisfied"
