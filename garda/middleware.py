from django.middleware.locale import LocaleMiddleware


class NoStoreMiddleware:
    """Pages and API answers may carry personal data: never let a browser or proxy
    cache them. Static files are served before this by WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class RejectNulBytesMiddleware:
    """A NUL character in the path, query string or a text body is never meaningful, and
    PostgreSQL refuses it in text (a 500 otherwise). Answer 400 instead."""

    def __init__(self, get_response):
        self.get_response = get_response

    # Bodies checked here: JSON and url-encoded forms. Multipart bodies are left to
    # the views (their files hold NUL bytes legitimately, and reading them here would
    # defeat the upload size checks); Django's form fields refuse NUL themselves.
    _TEXT_BODIES = ("application/json", "application/x-www-form-urlencoded")

    def __call__(self, request):
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in value for values in request.GET.lists() for value in values[1])
            or self._body_has_nul(request)
        ):
            from garda.errors import bad_request

            return bad_request(request)
        return self.get_response(request)

    def _body_has_nul(self, request) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        if not request.content_type.startswith(self._TEXT_BODIES):
            return False
        body = request.body
        return b"\x00" in body or b"\\u0000" in body.lower() or b"%00" in body


class ApiMethodNotAllowedMiddleware:
    """A wrong HTTP method under /api/ answers 405 in the API's error format."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and request.path_info.startswith("/api/"):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            allowed = response.get("Allow", "")
            response = JsonResponse({"detail": _("Method not allowed."), "errors": []}, status=405)
            if allowed:
                response["Allow"] = allowed
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Pages speak Bahasa Indonesia unless the user picked English (language cookie):
    many officers' browsers say English, but the service is Indonesian first. API
    clients choose with Accept-Language."""

    def process_request(self, request):
        if not request.path_info.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
