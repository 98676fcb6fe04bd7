"""The "Family" block of the staff case page: `{% family_block %}` inside
cases/staff/detail.html (which includes family/case_section.html), so the cases
app stays below this one (it imports nothing from here)."""

from django import template

from garda.family.display import case_family

register = template.Library()


@register.inclusion_tag("family/_case_block.html", takes_context=True)
def family_block(context):
    request = context["request"]
    return {
        **case_family(request.user, context["case"]),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }
