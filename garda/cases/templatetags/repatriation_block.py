"""The "Pemulangan" block of the staff case page: `{% repatriation_block %}` inside
cases/staff/detail.html: the case's repatriations with their progress, and the form
to start one for those who may handle the case (docs/repatriation.md)."""

from django import template

from garda.cases.repatriation_words import progress_text, with_steps

register = template.Library()


@register.inclusion_tag("cases/repatriation_block.html", takes_context=True)
def repatriation_block(context):
    from garda.cases.views.repatriation import StartForm

    case = context["case"]
    reps = list(with_steps(case.repatriations.all()).order_by("-created_at", "-id"))
    for rep in reps:
        rep.progress = progress_text(rep.steps.all())
    handle = context.get("may_handle") and case.is_open
    return {
        "case": case,
        "repatriations": reps,
        "start_form": StartForm(prefix="repatriation", auto_id="repatriation-%s")
        if handle
        else None,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
