"""The "Rujukan" block of the staff case page (cases/staff/detail.html loads it: the
cases app sits below this one and does not import it)."""

from django import template

from garda.referrals import display
from garda.referrals.access import visible_referrals
from garda.referrals.services.referrals import may_refer

register = template.Library()


@register.inclusion_tag("referrals/_case_block.html", takes_context=True)
def case_referrals(context, case):
    user = context["request"].user
    referrals = visible_referrals(user).filter(case=case).select_related("agency")
    return {
        "case": case,
        "rows": [display.row(r) for r in referrals.order_by("-requested_at", "-id")],
        "may_refer": case.is_open and may_refer(user, case),
    }
