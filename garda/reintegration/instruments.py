"""Survey instruments as rows: loading a file as a new version, and the active one
(docs/reintegration.md, "The survey"). The definition is checked by scoring.validate;
an instrument once loaded is never changed (plans and follow-ups point at it)."""

import json
import tomllib
from pathlib import Path

from django.db import IntegrityError, transaction

from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.reintegration import policy, scoring
from garda.reintegration.models import Instrument

DEFAULT_CODE = "rss"


class InstrumentExists(scoring.InstrumentError):
    """This code and version are loaded already: load a new version instead."""


def read_file(path: str | Path) -> dict:
    """A TOML or JSON instrument file as data (by its ending; TOML otherwise)."""
    path = Path(path)
    try:
        if path.suffix.lower() == ".json":
            return json.loads(path.read_text(encoding="utf-8"))
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, ValueError) as exc:  # tomllib/json decode errors are ValueErrors
        raise scoring.InstrumentError(f"{path.name}: cannot be read ({exc})") from None


def instrument_load(*, actor, data: dict, activate: bool = False) -> Instrument:
    """Check `data` and keep it as a new instrument version; with `activate` it becomes
    the one new plans use (the other versions of its code stop being active). The
    first version of a code is active anyway. One transaction, one audit row."""
    definition = scoring.validate(data)
    with transaction.atomic():
        same_code = Instrument.objects.select_for_update().filter(code=definition["code"])
        if same_code.filter(version=definition["version"]).exists():
            raise InstrumentExists(
                f"{definition['code']} {definition['version']} is loaded already: "
                "give the file a new version"
            )
        active = activate or not same_code.filter(active=True).exists()
        if active:
            same_code.update(active=False)
        try:
            with transaction.atomic():
                instrument = Instrument.objects.create(
                    code=definition["code"],
                    version=definition["version"],
                    title=definition["title"],
                    source=definition["source"],
                    official=definition["official"],
                    definition=definition,
                    active=active,
                )
        except IntegrityError:
            raise InstrumentExists(
                f"{definition['code']} {definition['version']} is loaded already"
            ) from None
        audit_record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            target=instrument,
            reason="instrument loaded and activated" if active else "instrument loaded",
        )
    return instrument


def instrument_activate(*, actor, instrument: Instrument) -> Instrument:
    with transaction.atomic():
        Instrument.objects.select_for_update().filter(code=instrument.code).update(active=False)
        Instrument.objects.filter(pk=instrument.pk).update(active=True)
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            target=instrument,
            changed_fields=["active"],
            reason="instrument activated",
        )
    instrument.active = True
    return instrument


def active_instrument(code: str = DEFAULT_CODE) -> Instrument:
    """The instrument new plans use: the active version of `code`; when none is
    active, the packaged file's (data/policy.toml `default_instrument`), loaded now if
    it never was."""
    instrument = Instrument.objects.filter(code=code, active=True).order_by("-loaded_at").first()
    if instrument is not None:
        return instrument
    data = read_file(policy.current().default_instrument)
    packaged = Instrument.objects.filter(code=data.get("code"), version=data.get("version")).first()
    if packaged is not None:
        return instrument_activate(actor=None, instrument=packaged)
    try:
        return instrument_load(actor=None, data=data, activate=True)
    except InstrumentExists:  # loaded by a concurrent request a moment ago
        return Instrument.objects.get(code=data["code"], version=data["version"])


def questions(instrument: Instrument, language: str = "id") -> list[dict]:
    """The instrument's questions grouped per dimension, labels in `language` ("id"
    or "en"): what the survey form and the API show."""
    lang = "en" if (language or "").startswith("en") else "id"
    definition = instrument.definition
    out = []
    for dim in definition["dimensions"]:
        out.append(
            {
                "code": dim["code"],
                "label": dim[f"label_{lang}"],
                "weight": dim["weight"],
                "indicators": [
                    {
                        "code": ind["code"],
                        "question": ind[f"question_{lang}"],
                        "weight": ind["weight"],
                        "options": [
                            {"code": o["code"], "label": o[f"label_{lang}"], "value": o["value"]}
                            for o in ind["options"]
                        ],
                    }
                    for ind in definition["indicators"]
                    if ind["dimension"] == dim["code"]
                ],
            }
        )
    return out
