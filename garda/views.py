from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from garda.accounts import roles


def _home_links(user) -> list[dict]:
    """What this role can do today: only links to pages that exist and it may open."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    links: list[dict] = []
    if not user.is_authenticated:
        return links
    role = user.role
    if role in (roles.OFFICER, roles.SUPERVISOR, roles.ADMIN):
        links.append(
            {
                "url": reverse("people:list"),
                "title": _("Registry"),
                "text": _("Find a migrant worker by NIK, reference, phone or name."),
            }
        )
        links.append(
            {
                "url": reverse("people:register"),
                "title": _("Register a person"),
                "text": _("Register a walk-in: identity, address, contact, education."),
            }
        )
    if role == roles.WORKER:
        links.append(
            {
                "url": reverse("people:me"),
                "title": _("My profile"),
                "text": _("Your data in the registry, and your status."),
            }
        )
    if role in roles.STAFF:
        links.append(
            {
                "url": reverse("people:nik_check"),
                "title": _("Check a NIK"),
                "text": _("Validate a 16-digit NIK: region, birth date, sex."),
            }
        )
        links.append(
            {
                "url": reverse("accounts:agency_list"),
                "title": _("Agency directory"),
                "text": _("Contacts of the agencies Pasukan Putih works with."),
            }
        )
    if user.has_perm("audit.view_auditevent"):
        links.append(
            {
                "url": reverse("audit:event_list"),
                "title": _("Audit trail"),
                "text": _("Who did or saw what, with a verifiable chain.")
                if role == roles.ADMIN
                else _("Actions taken by your agency's staff."),
            }
        )
    if role == roles.ADMIN:
        links.append(
            {
                "url": reverse("admin:index"),
                "title": _("Administration"),
                "text": _("Manage users, roles and agencies."),
            }
        )
    links.append(
        {
            "url": reverse("accounts:account"),
            "title": _("My account"),
            "text": _("Password, two-factor sign-in and API tokens."),
        }
    )
    links.append(
        {
            "url": reverse("api:openapi-view"),
            "title": _("API documentation"),
            "text": _("The REST API for other systems (OpenAPI)."),
        }
    )
    return links


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"links": _home_links(request.user)})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Load balancers poll this: 200 when the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
