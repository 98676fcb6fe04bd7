"""The REST API at /api/v1/ (django-ninja), with one error format for every 4xx:

{"detail": str, "errors": [{"field": str, "code": str, "message": str}]}
"""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from garda.accounts.models import ApiToken
from garda.apiutils import error_body


class FieldError(Schema):
    field: str
    code: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


class GardaSessionAuth(SessionAuth):
    """The browser's session, with CSRF checked on unsafe methods.

    Without a signed-in session there is nothing to forge, so the CSRF check is
    skipped and the request falls through to bearer-token authentication (a stray
    anonymous session cookie must not block a system's POST).
    """

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>` for other systems; tokens from
    `garda create_api_token`. Revoked tokens and inactive users get 401."""

    def authenticate(self, request: HttpRequest, token: str):
        try:
            api_token = ApiToken.objects.select_related("user").get(
                key_hash=ApiToken.hash_key(token), revoked_at__isnull=True
            )
        except ApiToken.DoesNotExist:
            return None
        if not api_token.user.is_active:
            return None
        now = timezone.now()
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class GardaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        """An operation's id is its function's name ("person_list"), unique across the
        API, so it does not change when a module moves (ninja's default prefixes the
        module path)."""
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


# The answers every operation may give besides its own (issue 19, the API fuzzer: an
# answer must be documented): 400 for a NUL character anywhere in the request
# (garda/middleware.py), 401 and 403 where a sign-in is required, 404 and 422 where
# the request has input (it may name an object that is not there, or the caller may
# not see; it may not be valid).
ERROR_STATUSES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    422: "Unprocessable Content",
}


def document_errors(schema: dict) -> None:
    """Add the error answers of `ERROR_STATUSES` to each operation of `schema` (an
    OpenAPI document of this API) that may give them, in the one error format."""
    error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(error.pop("$defs", {}))
    components["ErrorOut"] = error
    ref = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for operations in schema["paths"].values():
        for operation in operations.values():
            statuses = [400]
            if operation.get("security"):
                statuses += [401, 403]
            if operation.get("parameters") or operation.get("requestBody"):
                statuses += [404, 422]
            responses = operation["responses"]
            for status in statuses:
                if status not in responses and str(status) not in responses:
                    responses[status] = {"description": ERROR_STATUSES[status], **ref}
            operation["responses"] = dict(sorted(responses.items(), key=lambda r: str(r[0])))


api = GardaAPI(
    title="Garda API",
    version="1",
    description="REST API of Garda. Browser: session cookie + CSRF. Systems: bearer token.",
    urls_namespace="api",
    auth=[GardaSessionAuth(), BearerTokenAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _loc(loc) -> str:
    # Drop ninja's container names ("body", "query", "path") from the field path.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": _loc(e.get("loc", ())),
            "code": e.get("type", "invalid"),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return api.create_response(request, error_body(_("The data is not valid."), errors), status=422)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc: DjangoValidationError) -> HttpResponse:
    errors = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            for err in field_errors:
                errors.append(
                    {
                        "field": "" if field == "__all__" else field,
                        "code": err.code or "invalid",
                        "message": " ".join(err.messages),
                    }
                )
    else:
        for err in exc.error_list:
            errors.append(
                {"field": "", "code": err.code or "invalid", "message": " ".join(err.messages)}
            )
    return api.create_response(request, error_body(_("The data is not valid."), errors), status=422)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc) -> HttpResponse:
    return api.create_response(request, error_body(_("Authentication required.")), status=401)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError) -> HttpResponse:
    response = api.create_response(request, error_body(str(exc)), status=exc.status_code)
    if getattr(exc, "retry_after", None):  # a 429 says when to come back
        response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_not_found(request, exc) -> HttpResponse:
    return api.create_response(request, error_body(_("Not found.")), status=404)


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc) -> HttpResponse:
    return api.create_response(request, error_body(_("You do not have permission.")), status=403)


def json_404(request: HttpRequest) -> HttpResponse:
    """Unknown routes under /api/ answer in the API's error format."""
    from django.http import JsonResponse

    return JsonResponse(error_body(_("Not found.")), status=404)


def actor_of(request: HttpRequest):
    user = getattr(request, "auth", None) or request.user
    return None if isinstance(user, AnonymousUser) else user


def _register_routers() -> None:
    """One router per app, in the order of the apps (docs/architecture.md)."""
    from garda.abroad.api import router as abroad
    from garda.accompaniment.api import router as accompaniment
    from garda.accounts.api import router as accounts
    from garda.audit.api import router as audit
    from garda.cases.api import router as cases
    from garda.compliance.api import router as compliance
    from garda.destinations.api import router as destinations
    from garda.documents.api import router as documents
    from garda.family.api import router as family
    from garda.interceptions.api import router as interceptions
    from garda.jobs.api import router as jobs
    from garda.outreach.api import router as outreach
    from garda.people.api import router as people
    from garda.places.api import router as places
    from garda.privacy.api import router as privacy
    from garda.referrals.api import router as referrals
    from garda.referrals.api.dashboard import router as referral_followup
    from garda.reintegration.api import router as reintegration
    from garda.reports.api import router as reports
    from garda.training.api import router as training

    for router in (
        accounts,
        places,
        people,
        audit,
        documents,
        destinations,
        accompaniment,
        training,
        jobs,
        cases,
        privacy,
        compliance,
        family,
        interceptions,
        # The dashboard before the referral routes: /referrals/dashboard is not a
        # referral id.
        referral_followup,
        referrals,
        abroad,
        reintegration,
        outreach,
        reports,
    ):
        api.add_router("/", router)


_register_routers()
