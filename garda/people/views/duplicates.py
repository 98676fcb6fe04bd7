"""The duplicate review queue: pairs the engine found, decided by an officer, or by a
supervisor when a pair involves someone another officer accompanies (issue 19)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from garda.accounts import roles
from garda.accounts.decorators import role_required
from garda.audit.models import AuditEvent
from garda.audit.services import audit_record
from garda.crypto import mask
from garda.people import matching
from garda.people.access import REGISTRY_ROLES, visible_people
from garda.people.models import DuplicateCandidate
from garda.people.services.duplicates import (
    DecisionNeedsSupervisor,
    duplicate_decide,
    duplicate_pairs_marked,
    record_for,
)

REASON_LABELS = {
    "nik_shared_different_person": gettext_lazy(
        "same NIK on what looks like another person (misuse?)"
    ),
    "other_id_shared_different_person": gettext_lazy(
        "same other identity number on what looks like another person (misuse?)"
    ),
    "same_nik": gettext_lazy("same NIK"),
    "same_other_id": gettext_lazy("same other identity number"),
    "nik_birth_date_differs": gettext_lazy("NIK equal but for the birth date (age falsification?)"),
    "similar_nik": gettext_lazy("NIK differs by a typo"),
    "similar_other_id": gettext_lazy("other identity number differs by a typo"),
    "same_name_birth_date": gettext_lazy("same name and birth date"),
    "same_name": gettext_lazy("same name"),
    "name_parts_swapped": gettext_lazy("name parts swapped"),
    "similar_name": gettext_lazy("similar name"),
    "name_abbreviated": gettext_lazy("name abbreviated"),
    "name_part_missing": gettext_lazy("a name part missing"),
    "same_birth_date": gettext_lazy("same birth date"),
    "similar_birth_date": gettext_lazy("similar birth date"),
    "same_phone": gettext_lazy("same phone"),
    "same_address": gettext_lazy("same address"),
    "same_region": gettext_lazy("same region"),
    "same_birth_place": gettext_lazy("same birth place"),
    "different_nik": gettext_lazy("different NIK"),
    "different_birth_date": gettext_lazy("different birth date"),
    "different_sex": gettext_lazy("different sex"),
    "linked_via_third_record": gettext_lazy("both match a third record"),
}


# What each field of the pair weighed (matching.Match.evidence), in words.
FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "birth_date": gettext_lazy("Birth date"),
    "nik": gettext_lazy("NIK"),
    "sex": gettext_lazy("Sex"),
    "phone": gettext_lazy("Phone"),
    "birth_place": gettext_lazy("Birth place"),
    "address": gettext_lazy("Address"),
    "other_id": gettext_lazy("Other identity number"),
    "region": gettext_lazy("Home area"),
}
LEVEL_LABELS = {
    "exact": gettext_lazy("exactly the same"),
    "same": gettext_lazy("the same"),
    "parts_swapped": gettext_lazy("the same parts in another order"),
    "typo": gettext_lazy("one typing slip apart"),
    "two_typos": gettext_lazy("two typing slips apart"),
    "abbreviated": gettext_lazy("one written short"),
    "part_missing": gettext_lazy("a part missing"),
    "part_missing_abbreviated": gettext_lazy("a part missing, another written short"),
    "part_missing_weak": gettext_lazy("a part missing (a short name)"),
    "similar": gettext_lazy("similar"),
    "different": gettext_lazy("different"),
    "day_month_swapped": gettext_lazy("day and month swapped"),
    "generation_apart": gettext_lazy("a generation apart"),
    "date_segment": gettext_lazy("the same but for the birth date part"),
    "sibling_serial": gettext_lazy("the next serial number (a sibling?)"),
    "region_typo": gettext_lazy("the same but for a slip in the region code"),
    "village": gettext_lazy("the same village"),
    "district": gettext_lazy("the same district"),
    "regency": gettext_lazy("the same regency or city"),
    "province": gettext_lazy("the same province"),
}


def weighed(pair: DuplicateCandidate) -> list[dict]:
    """The pair compared again with today's weights: each compared field, how alike
    its two values are, and what that weighed (bits: above 0 for one person, below 0
    for two), heaviest first. Blank fields weigh nothing and are left out."""
    match = matching.score_pair(record_for(pair.person_a), record_for(pair.person_b))
    rows = [
        {
            "field": FIELD_LABELS.get(field, field),
            "level": LEVEL_LABELS.get(level, level),
            "bits": bits,
        }
        for field, level, bits in match.evidence
        if level != "blank" and bits
    ]
    return sorted(rows, key=lambda row: -abs(row["bits"]))


def _pairs(user):
    people = visible_people(user)
    return duplicate_pairs_marked(
        user,
        DuplicateCandidate.objects.filter(person_a__in=people, person_b__in=people).select_related(
            "person_a__village", "person_b__village"
        ),
    )


def _queue(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    page = Paginator(_pairs(request.user).filter(status="open"), 25).get_page(
        request.GET.get("page")
    )
    for pair in page:
        pair.labels = [REASON_LABELS.get(r, r) for r in pair.reasons]
        pair.weighed = weighed(pair)
        for person in (pair.person_a, pair.person_b):
            person.nik_masked = mask(person.nik)
    audit_record(
        actor=request.user,
        action=AuditEvent.Action.VIEW,
        object_type="people.person",
        reason="duplicate queue",
    )
    context = {
        "page": page,
        # Supervisors and admins may keep the merged record's officers (issue 19).
        "may_keep_officers": request.user.role in (roles.SUPERVISOR, roles.ADMIN),
    }
    return render(request, "people/duplicate_queue.html", context, status=status)


@role_required(*REGISTRY_ROLES)
@require_GET
def duplicate_queue(request: HttpRequest) -> HttpResponse:
    """Open pairs, most likely first; an officer sees the pairs she may not decide
    as waiting for a supervisor."""
    return _queue(request)


@role_required(*REGISTRY_ROLES)
@require_POST
def duplicate_decision(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pair = _pairs(request.user).get(pk=pk)
    except DuplicateCandidate.DoesNotExist:
        raise Http404 from None
    same = request.POST.get("same") == "1"
    try:
        survivor = duplicate_decide(
            actor=request.user,
            candidate=pair,
            same=same,
            keep_officers=same and request.POST.get("keep_officers") == "1",
            move_account=same and request.POST.get("move_account") == "1",
        )
    except DecisionNeedsSupervisor as exc:
        # Refused, with a `denied` row: the queue again, the reason on top.
        messages.error(request, exc.message)
        return _queue(request, status=403)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people:duplicates")
    if same:
        messages.success(
            request, _("Merged into %(reference)s.") % {"reference": survivor.reference}
        )
        if survivor.account_moved:
            messages.info(
                request,
                _(
                    "The worker's own account moved to %(reference)s: they log in as "
                    "before and now see this record."
                )
                % {"reference": survivor.reference},
            )
        if survivor.officers_ended:
            messages.warning(
                request,
                ngettext(
                    "The accompaniment of the merged record ended: %(count)d officer. "
                    "Assign an officer on the person's page if needed.",
                    "The accompaniment of the merged record ended: %(count)d officers. "
                    "Assign an officer on the person's page if needed.",
                    survivor.officers_ended,
                )
                % {"count": survivor.officers_ended},
            )
    else:
        messages.success(
            request, _("Marked as different people; this pair will not be proposed again.")
        )
    return redirect("people:duplicates")
