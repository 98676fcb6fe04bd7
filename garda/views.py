from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from garda import nav


def _home_links(user) -> list[nav.Link]:
    """What this role can do today: the home page's cards from the navigation table."""
    return nav.cards_for(nav.role_of(user))


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
