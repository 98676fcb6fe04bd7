"""Error pages: JSON in the API's format under /api/, a plain page elsewhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _respond(request, status: int, detail: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": detail, "errors": []}, status=status)
    return render(request, "error.html", {"status": status, "detail": detail}, status=status)


def not_found(request, exception=None):
    return _respond(request, 404, _("Not found."))


def forbidden(request, exception=None):
    return _respond(request, 403, _("You do not have permission."))


def bad_request(request, exception=None):
    return _respond(request, 400, _("Bad request."))


def server_error(request):
    # No template context beyond the basics: the failure may be in the database.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error.", "errors": []}, status=500)
    return render(request, "error.html", {"status": 500, "detail": _("Server error.")}, status=500)


def csrf_failure(request, reason=""):
    return _respond(request, 403, _("The form expired or was sent from elsewhere (CSRF)."))
