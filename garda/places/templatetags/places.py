"""Region names for templates: `{% load places %}{{ person.village_id|village_path }}`
shows "Kel. Gambir, Kec. Gambir, Kota Jakarta Pusat, DKI Jakarta" (two queries: use it
on a single record, not in a list)."""

from django import template

from garda.places.forms import village_path as _village_path

register = template.Library()


@register.filter
def village_path(code) -> str:
    return _village_path(str(code)) if code else ""
