from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from garda import home as homes
from garda import nav
from garda.accounts import roles

# The home page of each role: its template and what it shows (garda.home).
HOME_TEMPLATES = {
    roles.WORKER: "home_worker.html",
    roles.OFFICER: "home_officer.html",
    roles.SUPERVISOR: "home_officer.html",
    roles.ADMIN: "home_officer.html",
    roles.TRAINER: "home_trainer.html",
    roles.RECRUITER: "home_officer.html",
}
HOME_DATA = {
    roles.WORKER: homes.worker_home,
    roles.OFFICER: homes.officer_home,
    roles.SUPERVISOR: homes.supervisor_home,
    roles.ADMIN: homes.admin_home,
    roles.TRAINER: homes.trainer_home,
    roles.RECRUITER: homes.recruiter_home,
}


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Anonymous: what Garda is and the ways in. Signed in: what is next for this
    role (garda.home), then the role's other pages (garda.nav.MORE)."""
    user = request.user
    role = nav.role_of(user)
    context = {"links": nav.cards_for(role), "help": homes.help_channels()}
    if role == nav.ANONYMOUS:
        return render(request, "home.html", context)
    compose = HOME_DATA.get(role)
    if compose is not None:
        context["home"] = compose(user)
        if role == roles.WORKER:  # the menu's badge, without counting twice
            context["unread_notification_count"] = context["home"].unread
    return render(request, HOME_TEMPLATES.get(role, "home_other.html"), context)


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """ "Bantuan": the help channels the operator has set (garda.home.help_channels);
    an admin is also told which settings are still empty."""
    channels = homes.help_channels()
    user = request.user
    is_admin = user.is_authenticated and user.role == roles.ADMIN
    return render(
        request, "help.html", {"help": channels, "unset": channels.unset() if is_admin else []}
    )


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
