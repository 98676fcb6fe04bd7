"""The parts of a case a referral shares (models.Section), and nothing else.

`referred_case_data(case, sections)` builds what a receiving agency sees: one entry
per referred section, None for every other one. Identity numbers only with the
identity section; internal notes and shared messages never (no section covers them);
the screening answers only with the screening section. The partner's API, the
partner's page (and the printed letter) read the case through here.
"""

from garda.cases.models import Case, Screening
from garda.referrals.models import Section

ALL = tuple(Section.values)


def _summary(case: Case) -> dict:
    return {
        "status": case.status,
        "stage": case.stage,
        "severity": case.severity,
        "kinds": [k.kind for k in case.kinds.all()],
        "description": case.description,
        "created_at": case.created_at,
    }


def _person(case: Case) -> dict:
    person = case.person
    if person is not None:
        return {
            "name": person.full_name,
            "birth_date": person.birth_date,
            "sex": person.sex,
            "region": case.subject_region,
            "registry_reference": person.reference,
        }
    return {
        "name": case.subject_name,
        "birth_date": case.subject_birth_date,
        "sex": case.subject_sex,
        "region": case.subject_region,
        "registry_reference": None,
    }


def _identity(case: Case) -> dict:
    nik = case.person.nik if case.person is not None else case.subject_nik
    return {"nik": nik or ""}


def _whereabouts(case: Case) -> dict:
    return {
        "country": case.country_id,
        "country_name": case.country.name_id if case.country_id else "",
        "city": case.city,
        "employer_abroad": case.employer_abroad,
        "phone_abroad": case.phone_abroad,
        "last_contact_on": case.last_contact_on,
    }


def _reporter(case: Case) -> dict:
    return {
        "name": case.reporter_name,
        "phone": case.reporter_phone,
        "relationship": case.relationship,
    }


def _screening(case: Case) -> dict:
    latest = Screening.objects.filter(case=case).order_by("-asked_at", "-id").first()
    return {
        "level": case.screening_level,
        "task_force": case.task_force,
        "indicators": list(latest.indicators) if latest else [],
        "answers": dict(latest.answers) if latest else {},
        "asked_at": latest.asked_at if latest else None,
    }


def _services(case: Case) -> list[dict]:
    return [
        {
            "type": s.type,
            "timeframe": s.timeframe,
            "provider": s.provider,
            "due_at": s.due_at,
            "done_at": s.done_at,
        }
        for s in case.services.order_by("due_at", "id")
    ]


def _documents(case: Case) -> list[dict]:
    return [
        {
            "id": d.pk,
            "title": d.title,
            "content_type": d.content_type,
            "size": d.size,
            "uploaded_at": d.uploaded_at,
        }
        for d in case.documents.order_by("uploaded_at", "id")
    ]


BUILDERS = {
    Section.SUMMARY: _summary,
    Section.PERSON: _person,
    Section.IDENTITY: _identity,
    Section.WHEREABOUTS: _whereabouts,
    Section.REPORTER: _reporter,
    Section.SCREENING: _screening,
    Section.SERVICES: _services,
    Section.DOCUMENTS: _documents,
}


def referred_case_data(case: Case, sections) -> dict:
    """`case`'s referred `sections` (Section values), each under its name; every
    section not referred is None. Also the case's id, number and the sections."""
    chosen = [s for s in ALL if s in set(sections)]
    data: dict = {s: None for s in ALL}
    for section in chosen:
        data[section] = BUILDERS[section](case)
    data.update({"id": case.pk, "reference": case.reference, "referred_sections": chosen})
    return data


def section_labels(sections) -> list[str]:
    return [str(Section(s).label) for s in ALL if s in set(sections)]
