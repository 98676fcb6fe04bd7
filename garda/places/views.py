"""The region picker's options (places/forms.RegionPicker) for HTMX: the picker drawn
again for the choices in the query string. Region names are public data, but only the
forms behind the log-in use the picker, so it asks for a signed-in user (no throttle
needed for anonymous callers: there are none)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

from garda.places.forms import FIELD_NAME, RegionPicker


@login_required
@require_GET
def region_picker(request: HttpRequest) -> HttpResponse:
    name = request.GET.get("field", "")
    if not FIELD_NAME.match(name):
        return HttpResponseBadRequest()
    widget = RegionPicker()
    value = widget.value_from_datadict(request.GET, None, name)
    html = widget.render(name, value, attrs={"id": f"id_{name}"})
    return HttpResponse(html)
