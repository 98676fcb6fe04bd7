from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from garda.accounts.decorators import role_required
from garda.accounts.roles import STAFF
from garda.people.forms import NikCheckForm
from garda.people.nik import parse_nik


@role_required(*STAFF)
@require_http_methods(["GET", "POST"])
def nik_check(request: HttpRequest) -> HttpResponse:
    """Check a NIK someone shows at the desk, before registering them.

    POST, not GET: the NIK must not end up in URLs, browser history or access logs.
    """
    form = NikCheckForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = parse_nik(
            form.cleaned_data["nik"],
            birth_date=form.cleaned_data["birth_date"],
            sex=form.cleaned_data["sex"] or None,
        )
    context = {"form": form, "result": result, "lang": get_language()}
    template = (
        "people/_nik_result.html" if request.headers.get("HX-Request") else "people/nik_check.html"
    )
    return render(request, template, context)
