"""This app's routes in the policy matrix (garda/tests/policy.py merges them). Each part
of the app keeps its rules in `policy_parts/<part>.py`; the world is here.

The world (personas: rina, recruiter of PT Rina Sejahtera; alice, officer; bob,
supervisor):
- {jobs_agency}: rina's company (licensed); {jobs_other_agency}: another company;
- {jobs_employer}, {jobs_partner}: an employer and a partner in Hong Kong that rina's
  orders name; {jobs_other_employer}: an employer only the other company's order names;
- {jobs_draft}: a draft order of rina's company; {jobs_submitted}: one submitted (an
  officer may verify or reject it); {jobs_verified}: one verified and published (a
  vacancy); {jobs_other}: a submitted order of the other company (rina gets 404);
- {jobs_listing}: an active entry of the problematic list (an employer in Malaysia);
- {jobs_branch}: a branch of rina's company; {jobs_recruiter}: another recruiter's
  link to rina's company (an admin may remove it).
"""

from garda.jobs.tests.policy_parts import (
    api,
    applications,
    matching,
    orders,
    parties,
    placement,
    public,
    register,
)

PARTS = (public, orders, parties, register, api, applications, placement, matching)
POLICY: dict = {}
for _part in PARTS:
    _clash = POLICY.keys() & _part.POLICY.keys()
    assert not _clash, _clash
    POLICY.update(_part.POLICY)


def world(personas, base: dict) -> dict:
    """Objects this app's rules refer to as "{name}" placeholders."""
    from conftest import make_user
    from garda.accounts import roles
    from garda.jobs.models import AgencyBranch, ProblemListing, Recruiter
    from garda.jobs.services.orders import order_submit
    from garda.jobs.tests.factories import (
        make_agency,
        make_employer,
        make_order,
        make_partner,
        verified_order,
    )
    from garda.places.models import Region

    rina, alice = personas[roles.RECRUITER], personas[roles.OFFICER]
    agency = Recruiter.objects.get(user=rina).agency
    other_agency = make_agency("PT Lain Jaya", "KEP.LAIN/2025")
    other_recruiter = make_user("lain@example.org", roles.RECRUITER, full_name="Lain")
    Recruiter.objects.create(user=other_recruiter, agency=other_agency)
    employer = make_employer()
    partner = make_partner()
    other_employer = make_employer("Wong Household")
    listed = make_employer("Bad Boss Sdn Bhd", "MY", "legal_entity")
    draft = make_order(rina, employer=employer, partner=partner)
    submitted = order_submit(actor=rina, order=make_order(rina, employer=employer))
    verified = verified_order(rina, alice, employer=employer, partner=partner)
    other = order_submit(
        actor=other_recruiter, order=make_order(other_recruiter, employer=other_employer)
    )
    from datetime import date

    listing = ProblemListing.objects.create(
        employer=listed,
        country="MY",
        reason="Gaji tidak dibayar",
        source="Nota KBRI KL",
        listed_on=date(2026, 1, 5),
    )
    region, _ = Region.objects.get_or_create(
        code="31.71",
        defaults={
            "name": "KOTA ADM. JAKARTA PUSAT",
            "level": "regency",
            "first_edition": 2016,
            "last_edition": 2025,
        },
    )
    branch = AgencyBranch.objects.create(agency=agency, region=region)
    colleague = make_user("rekan@example.org", roles.RECRUITER, full_name="Rekan")
    link = Recruiter.objects.create(user=colleague, agency=agency)
    jobs = {
        "jobs_agency": agency.pk,
        "jobs_other_agency": other_agency.pk,
        "jobs_employer": employer.pk,
        "jobs_other_employer": other_employer.pk,
        "jobs_partner": partner.pk,
        "jobs_draft": draft.pk,
        "jobs_submitted": submitted.pk,
        "jobs_verified": verified.pk,
        "jobs_other": other.pk,
        "jobs_listing": listing.pk,
        "jobs_branch": branch.pk,
        "jobs_recruiter": link.pk,
        "jobs_region": region.pk,
    }
    for part in PARTS:
        if hasattr(part, "world"):
            jobs.update(part.world(personas, base, dict(jobs)))
    return jobs
