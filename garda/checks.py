"""Project system checks, run by `garda check` (and `--deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=False)
def csp_configured(app_configs, **kwargs):
    """docs/security.md: a project check that the Content-Security-Policy is in force."""
    errors = []
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        errors.append(Error("CSPMiddleware is not installed", id="garda.E001"))
    directives = getattr(settings, "CONTENT_SECURITY_POLICY", {}).get("DIRECTIVES", {})
    if directives.get("default-src") != ["'self'"]:
        errors.append(Error("CSP default-src must be 'self'", id="garda.E002"))
    if directives.get("frame-ancestors") != ["'none'"]:
        errors.append(Error("CSP frame-ancestors must be 'none'", id="garda.E003"))
    if any(
        "unsafe-inline" in v or "unsafe-eval" in v for vals in directives.values() for v in vals
    ):
        errors.append(Error("CSP must not allow unsafe-inline or unsafe-eval", id="garda.E004"))
    return errors


@register(Tags.security, deploy=True)
def production_second_factor(app_configs, **kwargs):
    if settings.PRODUCTION and not settings.REQUIRE_2FA:
        return [Error("Production must require a second factor for staff", id="garda.E010")]
    return []
