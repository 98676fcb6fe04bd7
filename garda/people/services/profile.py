"""Writes to the parts of a profile that are lists: skills, languages, experience.

Split from registry.py (which holds the person record itself) to keep modules small;
the same rules apply: permission, one transaction, audit row.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from garda.accounts.models import User
from garda.audit.gate import deny
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record, audited_create
from garda.people.models import LanguageSkill, Person, Skill, WorkExperience
from garda.people.services.registry import _may_edit
from garda.places.models import Country

# ISCO-08 unit groups have 4 digits; KBJI 2014 extends them to 5 or 6.
_OCCUPATION = re.compile(r"^\d{4}(\d{1,2})?$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _check_occupation(code: str, field: str = "occupation_code") -> None:
    if not _OCCUPATION.match(code):
        raise ValidationError(
            {
                field: _(
                    "An occupation code has 4 digits (ISCO-08 unit "
                    "group), or 5-6 digits (KBJI 2014)."
                )
            }
        )


def skill_add(*, actor: User, person: Person, occupation_code: str, title: str) -> Skill:
    if not _may_edit(actor, person):
        deny(actor, "people.skill_add")
    _check_occupation(occupation_code)
    with transaction.atomic():
        return audited_create(
            actor=actor,
            obj=Skill(person=person, occupation_code=occupation_code, title=title.strip()),
            changed_fields=["occupation_code", "title"],
        )


def language_add(
    *, actor: User, person: Person, language: str, scale: str, level: str
) -> LanguageSkill:
    if not _may_edit(actor, person):
        deny(actor, "people.language_add")
    language = language.strip().lower()
    if not _LANGUAGE.match(language):
        raise ValidationError(
            {"language": _("Use the ISO 639 code of the language, e.g. ko, ja, en, ar.")}
        )
    levels = LanguageSkill.LEVELS.get(scale)
    if levels is None:
        raise ValidationError({"scale": _("Unknown scale.")})
    if level not in levels:
        raise ValidationError(
            {
                "level": _("On this scale the level is one of: %(levels)s.")
                % {"levels": ", ".join(levels)}
            }
        )
    with transaction.atomic():
        return audited_create(
            actor=actor,
            obj=LanguageSkill(person=person, language=language, scale=scale, level=level),
            changed_fields=["language", "scale", "level"],
        )


def experience_add(
    *,
    actor: User,
    person: Person,
    employer: str,
    country: Country,
    started_on: date,
    ended_on: date | None = None,
    occupation_code: str = "",
) -> WorkExperience:
    if not _may_edit(actor, person):
        deny(actor, "people.experience_add")
    if occupation_code:
        _check_occupation(occupation_code)
    if ended_on is not None and ended_on < started_on:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    with transaction.atomic():
        return audited_create(
            actor=actor,
            obj=WorkExperience(
                person=person,
                employer=employer.strip(),
                country=country,
                occupation_code=occupation_code,
                started_on=started_on,
                ended_on=ended_on,
            ),
            changed_fields=["employer", "country", "occupation_code", "started_on", "ended_on"],
        )


def profile_item_remove(*, actor: User, item) -> None:
    """Remove a skill, language or experience entry of a person."""
    if not _may_edit(actor, item.person):
        deny(actor, "people.profile_item_remove")
    with transaction.atomic():
        audit_record(actor=actor, action=AuditEvent.Action.DELETE, target=item)
        item.delete()
