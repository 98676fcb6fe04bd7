"""The rules' services: admins only, audited, versioned, and each change marks the
cached readiness of the targets it touches as stale."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.formats import date_format

from garda.audit.models import AuditEvent
from garda.destinations.models import (
    Destination,
    Readiness,
    RequirementSet,
    Scheme,
    SectorRule,
)
from garda.destinations.services.rules import (
    DestinationData,
    RequirementData,
    RequirementSetTerms,
    VersionConflict,
    destination_update,
    requirement_set_create,
    requirement_set_revise,
    sector_rule_add,
)
from garda.people.tests.factories import register

KR_MANUFACTURING = "KR:g2g-kr-eps:manufacturing"


def codes(exc: ValidationError, field: str) -> list[str]:
    return [e.code for e in exc.error_dict.get(field, [])]


def refused(service, **kwargs) -> ValidationError:
    """The ValidationError that `service(**kwargs)` must raise."""
    with pytest.raises(ValidationError) as exc:
        service(**kwargs)
    return exc.value


@pytest.fixture
def cache(db):
    """Cached readiness rows for several targets, none stale."""
    person = register(serial=11)
    keys = [
        KR_MANUFACTURING,
        "KR:g2g-kr-eps:fishery",
        "SA:p2p:domestic",
        "SA:p2p:health",
        "QA:p2p:domestic",
        "MY:independent:domestic",
        "TW:p2p:care",
    ]
    for key in keys:
        Readiness.objects.create(person=person, target_key=key)
    return person


def stale_keys() -> set[str]:
    return set(Readiness.objects.filter(stale=True).values_list("target_key", flat=True))


def rule_kwargs(**overrides) -> dict:
    return {
        "sector": "domestic",
        "status": "open",
        "legal_basis": "Keputusan uji 1/2027",
        "effective_from": date(2027, 1, 1),
        **overrides,
    }


# --- destinations -------------------------------------------------------------------


@pytest.mark.django_db
def test_destination_update_is_versioned_and_audited(admin_user, cache):
    kr = Destination.objects.get(code="KR")
    data = replace(DestinationData.of(kr), embassy_phone="+82 2 0000", min_age=19)
    saved = destination_update(actor=admin_user, destination=kr, data=data, version=1)
    assert saved.version == 2 and saved.embassy_phone == "+82 2 0000"
    event = AuditEvent.objects.get(action="update", object_type="destinations.destination")
    assert event.changed_fields == ["embassy_phone", "min_age"]
    # The minimum age feeds readiness: Korea's cached rows are stale, no others.
    assert stale_keys() == {KR_MANUFACTURING, "KR:g2g-kr-eps:fishery"}
    with pytest.raises(VersionConflict) as conflict:
        destination_update(actor=admin_user, destination=kr, data=data, version=1)
    assert conflict.value.current.version == 2


@pytest.mark.django_db
def test_destination_update_refuses_bad_values(admin_user):
    kr = Destination.objects.get(code="KR")

    def update(**changes) -> ValidationError:
        return refused(
            destination_update,
            actor=admin_user,
            destination=kr,
            data=replace(DestinationData.of(kr), **changes),
            version=1,
        )

    assert codes(update(min_age=17), "min_age") == ["below_legal_age"]
    assert "embassy_website" in update(embassy_website="not a url").error_dict
    assert Destination.objects.get(code="KR").version == 1


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "alice", "wati"])
def test_only_admins_change_destinations(who, request):
    user = request.getfixturevalue(who)
    kr = Destination.objects.get(code="KR")
    with pytest.raises(PermissionDenied):
        destination_update(actor=user, destination=kr, data=DestinationData.of(kr), version=1)
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 1


# --- sector rules -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_rule_ends_the_rule_in_force_and_both_are_audited(admin_user, cache):
    qa = Destination.objects.get(code="QA")
    old = SectorRule.objects.get(destination=qa, sector="domestic")
    rule = sector_rule_add(actor=admin_user, destination=qa, **rule_kwargs())
    old.refresh_from_db()
    assert old.effective_to == date(2027, 1, 1) and old.status == "moratorium"
    assert rule.created_by == admin_user and rule.effective_to is None
    events = AuditEvent.objects.filter(object_type="destinations.sectorrule").order_by("id")
    assert [(e.action, e.object_id) for e in events] == [
        ("update", str(old.pk)),
        ("create", str(rule.pk)),
    ]
    assert events[0].changed_fields == ["effective_to"]
    assert stale_keys() == {"QA:p2p:domestic"}


@pytest.mark.django_db
def test_end_date_before_start_is_refused_with_a_clear_code(admin_user):
    qa = Destination.objects.get(code="QA")
    with pytest.raises(ValidationError) as exc:
        sector_rule_add(
            actor=admin_user,
            destination=qa,
            **rule_kwargs(effective_from=date(2027, 1, 1), effective_to=date(2026, 1, 1)),
        )
    assert codes(exc.value, "effective_to") == ["dates_ordered"]
    assert SectorRule.objects.filter(destination=qa).count() == 1


@pytest.mark.django_db
def test_missing_legal_basis_unknown_sector_and_status(admin_user):
    qa = Destination.objects.get(code="QA")
    with pytest.raises(ValidationError) as exc:
        sector_rule_add(
            actor=admin_user,
            destination=qa,
            **rule_kwargs(legal_basis="  ", sector="mining", status="closed"),
        )
    assert codes(exc.value, "legal_basis") == ["required"]
    assert codes(exc.value, "sector") == ["invalid_choice"]
    assert codes(exc.value, "status") == ["invalid_choice"]


@pytest.mark.django_db
def test_a_rule_starting_on_or_before_the_rule_in_force_is_refused(admin_user):
    qa = Destination.objects.get(code="QA")
    for start in (date(2015, 7, 1), date(2010, 1, 1)):
        with pytest.raises(ValidationError) as exc:
            sector_rule_add(actor=admin_user, destination=qa, **rule_kwargs(effective_from=start))
        assert codes(exc.value, "effective_from") == ["overlap"]
        assert date_format(date(2015, 7, 1)) in exc.value.error_dict["effective_from"][
            0
        ].message % (exc.value.error_dict["effective_from"][0].params or {})
    assert SectorRule.objects.get(destination=qa).effective_to is None


@pytest.mark.django_db
def test_history_can_be_filled_in_before_a_rule_but_never_overlap(admin_user):
    qa = Destination.objects.get(code="QA")
    earlier = sector_rule_add(
        actor=admin_user,
        destination=qa,
        **rule_kwargs(
            effective_from=date(2010, 1, 1), effective_to=date(2015, 7, 1), status="restricted"
        ),
    )
    assert earlier.effective_to == date(2015, 7, 1)
    # A closed rule that overlaps the recorded history.
    with pytest.raises(ValidationError) as exc:
        sector_rule_add(
            actor=admin_user,
            destination=qa,
            **rule_kwargs(effective_from=date(2012, 1, 1), effective_to=date(2013, 1, 1)),
        )
    assert codes(exc.value, "effective_from") == ["overlap"]
    # Temporary measure: ends the moratorium; the next rule continues the history.
    sector_rule_add(
        actor=admin_user,
        destination=qa,
        **rule_kwargs(effective_from=date(2027, 1, 1), effective_to=date(2027, 6, 1)),
    )
    with pytest.raises(ValidationError):
        sector_rule_add(
            actor=admin_user, destination=qa, **rule_kwargs(effective_from=date(2027, 3, 1))
        )
    sector_rule_add(
        actor=admin_user,
        destination=qa,
        **rule_kwargs(effective_from=date(2027, 6, 1), status="moratorium"),
    )
    statuses = list(
        SectorRule.objects.filter(destination=qa)
        .order_by("effective_from")
        .values_list("status", "effective_from", "effective_to")
    )
    assert statuses == [
        ("restricted", date(2010, 1, 1), date(2015, 7, 1)),
        ("moratorium", date(2015, 7, 1), date(2027, 1, 1)),
        ("open", date(2027, 1, 1), date(2027, 6, 1)),
        ("moratorium", date(2027, 6, 1), None),
    ]


@pytest.mark.django_db
def test_occupation_rules_have_their_own_history(admin_user):
    sa = Destination.objects.get(code="SA")
    spsk = SectorRule.objects.get(destination=sa, status="restricted")
    sector_rule_add(
        actor=admin_user,
        destination=sa,
        **rule_kwargs(occupation=spsk.occupation, status="moratorium"),
    )
    spsk.refresh_from_db()
    assert spsk.effective_to == date(2027, 1, 1)
    # The sector-wide moratorium is untouched.
    assert SectorRule.objects.get(destination=sa, occupation="").effective_to is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "alice", "wati"])
def test_only_admins_add_rules(who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        sector_rule_add(actor=user, destination=Destination.objects.get(code="QA"), **rule_kwargs())
    assert SectorRule.objects.filter(destination__code="QA").count() == 1


# --- requirement sets ---------------------------------------------------------------


def current(code: str) -> RequirementSet:
    return RequirementSet.objects.get(code=code, is_current=True)


def reqs(rs: RequirementSet) -> list[RequirementData]:
    return [RequirementData.of(r) for r in rs.requirements.select_related("document_type")]


@pytest.mark.django_db
def test_revision_makes_version_two_and_keeps_version_one(admin_user, cache):
    v1 = current("kr-eps-manufacturing")
    v1_types = [r.type_code for r in reqs(v1)]
    new_reqs = [r for r in reqs(v1) if r.type_code != "opp"] + [
        RequirementData("competency-certificate", note="Sertifikat las.")
    ]
    terms = replace(RequirementSetTerms.of(v1), max_age=38, effective_from=date(2026, 12, 1))
    v2 = requirement_set_revise(
        actor=admin_user, requirement_set=v1, terms=terms, requirements=new_reqs
    )
    v1.refresh_from_db()
    assert (v1.version, v1.is_current) == (1, False)
    assert (v2.version, v2.is_current, v2.code, v2.max_age) == (2, True, v1.code, 38)
    assert (v2.destination_id, v2.scheme_id, v2.sector) == (
        v1.destination_id,
        v1.scheme_id,
        v1.sector,
    )
    assert [r.type_code for r in reqs(v1)] == v1_types  # the history stays
    assert "opp" not in [r.type_code for r in reqs(v2)]
    assert reqs(v2)[-1].note == "Sertifikat las."
    create = AuditEvent.objects.get(action="create", object_type="destinations.requirementset")
    assert create.object_id == str(v2.pk)
    assert set(create.changed_fields) == {"effective_from", "max_age", "requirements"}
    update = AuditEvent.objects.get(action="update", object_type="destinations.requirementset")
    assert update.object_id == str(v1.pk) and update.changed_fields == ["is_current"]
    # Readiness of every target this set covers (Korea EPS manufacturing) is stale.
    assert stale_keys() == {KR_MANUFACTURING}


@pytest.mark.django_db
def test_baseline_revision_marks_every_destination_of_its_scheme(admin_user, cache):
    rs = current("independent")
    requirement_set_revise(
        actor=admin_user,
        requirement_set=rs,
        terms=replace(RequirementSetTerms.of(rs), note="Baru."),
        requirements=reqs(rs),
    )
    assert stale_keys() == {"MY:independent:domestic"}


@pytest.mark.django_db
def test_revising_an_old_version_is_a_conflict(admin_user):
    v1 = current("jp-ssw")
    requirement_set_revise(
        actor=admin_user,
        requirement_set=v1,
        terms=replace(RequirementSetTerms.of(v1), note="v2"),
        requirements=reqs(v1),
    )
    with pytest.raises(VersionConflict) as exc:
        requirement_set_revise(
            actor=admin_user,
            requirement_set=v1,
            terms=replace(RequirementSetTerms.of(v1), note="v2 again"),
            requirements=reqs(v1),
        )
    assert exc.value.current.version == 2
    assert RequirementSet.objects.filter(code="jp-ssw").count() == 2


@pytest.mark.django_db
def test_revision_with_no_change_is_refused(admin_user):
    rs = current("jp-ssw")
    with pytest.raises(ValidationError) as exc:
        requirement_set_revise(
            actor=admin_user,
            requirement_set=rs,
            terms=RequirementSetTerms.of(rs),
            requirements=reqs(rs),
        )
    assert exc.value.code == "no_change"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "requirements", "field", "code"),
    [
        ({"max_age": 20, "min_age": 25}, None, "max_age", "age_band"),
        ({"min_age": 16}, None, "min_age", "age_range"),
        ({"legal_basis": ""}, None, "legal_basis", "required"),
        ({"min_education": "phd"}, None, "min_education", "invalid_choice"),
        ({"conditions": [{"kind": "height", "cm": 160}]}, None, "conditions", "unknown_condition"),
        (
            {"conditions": [{"kind": "max_prior_stay_years", "country": "kr", "years": 5}]},
            None,
            "conditions",
            "invalid_country",
        ),
        ({"effective_from": date(2000, 1, 1)}, None, "effective_from", "backdated"),
        ({}, [RequirementData("visa-turis")], "requirements", "unknown_document_type"),
        ({}, [RequirementData("ktp"), RequirementData("ktp")], "requirements", "duplicate"),
        ({}, [RequirementData("jlpt", min_level="N6")], "requirements", "level"),
        ({}, [RequirementData("eps-topik", min_level="tinggi")], "requirements", "level"),
        ({}, [RequirementData("ktp", min_level="A2")], "requirements", "level"),
        ({}, [], "requirements", "required"),
    ],
)
def test_bad_revisions_are_refused_with_clear_codes(admin_user, change, requirements, field, code):
    rs = current("jp-ssw")
    terms = replace(RequirementSetTerms.of(rs), note="changed", **change)
    with pytest.raises(ValidationError) as exc:
        requirement_set_revise(
            actor=admin_user,
            requirement_set=rs,
            terms=terms,
            requirements=reqs(rs) if requirements is None else requirements,
        )
    assert code in codes(exc.value, field), exc.value
    assert RequirementSet.objects.filter(code="jp-ssw").count() == 1


@pytest.mark.django_db
def test_create_a_set_and_refuse_a_second_for_the_same_target(admin_user, cache):
    scheme = Scheme.objects.get(code="p2p")
    sa = Destination.objects.get(code="SA")
    terms = RequirementSetTerms(name="SA", name_en="SA", legal_basis="UU 18/2017 pasal 13")
    rs = requirement_set_create(
        actor=admin_user,
        code="sa-p2p-health",
        scheme=scheme,
        destination=sa,
        sector="health",
        terms=terms,
        requirements=[RequirementData("ktp"), RequirementData("nursing-registration")],
    )
    assert rs.version == 1 and rs.is_current and rs.requirements.count() == 2
    assert AuditEvent.objects.filter(action="create", object_id=str(rs.pk)).exists()
    assert stale_keys() == {"SA:p2p:health"}

    def second(**changes) -> ValidationError:
        return refused(
            requirement_set_create,
            actor=admin_user,
            scheme=scheme,
            destination=sa,
            terms=terms,
            requirements=[RequirementData("ktp")],
            **changes,
        )

    assert codes(second(code="sa-p2p-health-2", sector="health"), "sector") == ["duplicate_target"]
    assert codes(second(code="sa-p2p-health", sector="construction"), "code") == ["duplicate_code"]
    assert codes(second(code="Bad Code!", sector="construction"), "code") == ["invalid"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["bob", "alice", "teguh", "wati"])
def test_only_admins_create_or_revise_sets(who, request):
    user = request.getfixturevalue(who)
    rs = current("jp-ssw")
    with pytest.raises(PermissionDenied):
        requirement_set_revise(
            actor=user,
            requirement_set=rs,
            terms=replace(RequirementSetTerms.of(rs), note="x"),
            requirements=reqs(rs),
        )
    with pytest.raises(PermissionDenied):
        requirement_set_create(
            actor=user,
            code="x",
            scheme=rs.scheme,
            destination=None,
            sector="",
            terms=RequirementSetTerms.of(rs),
            requirements=reqs(rs),
        )
    assert RequirementSet.objects.filter(code="jp-ssw").count() == 1
    assert AuditEvent.objects.filter(actor=user, action="denied").count() == 2
