"""Project system checks, run by `garda check` (and `--deploy`)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def public_address(app_configs, **kwargs):
    """garda/links.py: the QR code printed on a certificate and the links in e-mails use
    GARDA_BASE_URL; without it (or with a local address) they would point at this
    machine. An error in production, a warning elsewhere with DEBUG off."""
    from garda.links import is_local

    if settings.DEBUG and not settings.PRODUCTION:
        return []
    level = Error if settings.PRODUCTION else Warning
    base = settings.GARDA_BASE_URL
    hint = "Set GARDA_BASE_URL to the public address, e.g. https://garda.jakarta.go.id"
    if not base:
        return [
            level(
                "GARDA_BASE_URL is not set: QR codes on certificates and links in e-mails "
                "would fall back to a local address.",
                hint=hint,
                id="garda.E020" if settings.PRODUCTION else "garda.W020",
            )
        ]
    parts = urlsplit(base)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return [
            Error(f"GARDA_BASE_URL {base!r} is not an http(s) address", hint=hint, id="garda.E021")
        ]
    if is_local(base):
        return [
            level(
                f"GARDA_BASE_URL {base!r} points at this machine: a printed QR code would "
                "not open anywhere else.",
                hint=hint,
                id="garda.E022" if settings.PRODUCTION else "garda.W022",
            )
        ]
    if settings.PRODUCTION and parts.scheme != "https":
        return [Warning(f"GARDA_BASE_URL {base!r} is not https", hint=hint, id="garda.W023")]
    return []


@register(Tags.staticfiles)
def stylesheet_found(app_configs, **kwargs):
    """Pages without their stylesheet and scripts fail silently (a 404 in the browser
    only): say so at start-up instead, wherever the command runs from."""
    from django.contrib.staticfiles import finders

    missing = [name for name in ("garda/garda.css", "garda/htmx.min.js") if not finders.find(name)]
    return [
        Error(f"Static file {name} not found by the static files finders", id="garda.E030")
        for name in missing
    ]


# --- issue 19, weakness 13: production refuses weak keys and a mail-less set-up -------
# settings.py already refuses a missing, short or public key; these catch keys that are
# long enough but carry no secret (a repeated letter, 32 zero bytes) and a production
# site whose password-reset links would go to the log instead of the person. They run
# on every `garda check` and before `garda serve` starts gunicorn in production.

SECRET_KEY_MIN_DISTINCT = 10  # a random 50-character key has about 30
FIELD_KEY_MIN_DISTINCT_BYTES = 8  # 32 random bytes have about 30 distinct values
LOG_ONLY_MAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}


def weak_secret_key(value: str) -> bool:
    return len(set(value)) < SECRET_KEY_MIN_DISTINCT


def weak_field_key(value: str) -> bool:
    import base64

    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (ValueError, TypeError):
        return True
    return len(set(raw)) < FIELD_KEY_MIN_DISTINCT_BYTES


@register(Tags.security)
def production_keys(app_configs, **kwargs):
    if not settings.PRODUCTION:
        return []
    errors = []
    if weak_secret_key(settings.SECRET_KEY):
        errors.append(
            Error(
                "GARDA_SECRET_KEY has fewer than "
                f"{SECRET_KEY_MIN_DISTINCT} different characters: it is not random.",
                hint='Generate one with: python -c "import secrets; '
                'print(secrets.token_urlsafe(50))"',
                id="garda.E040",
            )
        )
    if weak_field_key(settings.FIELD_KEY):
        errors.append(
            Error(
                "GARDA_FIELD_KEY is not a random key (too few different bytes, e.g. all "
                "zeros): identity numbers would be encrypted with a guessable key.",
                hint='Generate one with: python -c "import base64, os; '
                'print(base64.urlsafe_b64encode(os.urandom(32)).decode())"',
                id="garda.E041",
            )
        )
    return errors


@register(Tags.security)
def production_mail(app_configs, **kwargs):
    if settings.PRODUCTION and settings.EMAIL_BACKEND in LOG_ONLY_MAIL_BACKENDS:
        return [
            Error(
                "Production has no mail server: password-reset and sign-up links would be "
                "written to the log, where anyone who reads it could use them.",
                hint="Set EMAIL_HOST (and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD).",
                id="garda.E042",
            )
        ]
    return []


DEVELOPMENT_WARNING = (
    "GARDA_ENV is not production: this server uses the PUBLIC development keys, cookies "
    "without Secure and no HSTS. Anyone can forge its sessions and read its encrypted "
    "fields. Never expose it to a network; for a real deployment set GARDA_ENV=production "
    "and its secrets (docs/security.md)."
)
