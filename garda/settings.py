"""Garda settings: one file, read from the environment, safe local defaults.

Production (`GARDA_ENV=production`) refuses to start without real secrets; locally
nothing needs to be set: the database is `var/garda.sqlite3` in WAL mode.
"""

import base64
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
# Resolved once, so a relative GARDA_VAR_DIR means the same folder in every process
# (`garda serve` starts gunicorn, which may start from elsewhere).
VAR_DIR = Path(os.environ.get("GARDA_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("GARDA_ENV", "local")
if ENV not in {"local", "production", "test"}:
    raise ImproperlyConfigured(f"GARDA_ENV must be local, production or test, not {ENV!r}")
PRODUCTION = ENV == "production"


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# --- secrets -----------------------------------------------------------------
# Local defaults are public and only good for a laptop; production refuses them.
_LOCAL_SECRET = "garda-local-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
_LOCAL_FIELD_KEY = base64.urlsafe_b64encode(b"garda-local-field-key-not-secret").decode()

SECRET_KEY = os.environ.get("GARDA_SECRET_KEY", "")
FIELD_KEY = os.environ.get("GARDA_FIELD_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

if PRODUCTION:
    missing = [
        name
        for name, value in (
            ("GARDA_SECRET_KEY", SECRET_KEY),
            ("GARDA_FIELD_KEY", FIELD_KEY),
            ("ALLOWED_HOSTS", ALLOWED_HOSTS),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(
            "GARDA_ENV=production needs these environment variables: " + ", ".join(missing)
        )
    if len(SECRET_KEY) < 50 or SECRET_KEY == _LOCAL_SECRET:
        raise ImproperlyConfigured("GARDA_SECRET_KEY must be a random string of 50+ characters")
    if FIELD_KEY == _LOCAL_FIELD_KEY:
        raise ImproperlyConfigured("GARDA_FIELD_KEY must not be the public local key")
else:
    SECRET_KEY = SECRET_KEY or _LOCAL_SECRET
    FIELD_KEY = FIELD_KEY or _LOCAL_FIELD_KEY
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]

try:
    _field_key_bytes = base64.urlsafe_b64decode(FIELD_KEY.encode())
except (ValueError, TypeError) as exc:
    raise ImproperlyConfigured("GARDA_FIELD_KEY must be 32 bytes, url-safe base64") from exc
if len(_field_key_bytes) != 32:
    raise ImproperlyConfigured("GARDA_FIELD_KEY must be 32 bytes, url-safe base64")


def derive_key(purpose: str) -> bytes:
    """A 32-byte key for one purpose, derived from GARDA_FIELD_KEY with HKDF.

    Each purpose (field encryption, blind index, audit chain) gets its own key, so a
    leak of one derived key reveals nothing about the others.
    """
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"garda", info=purpose.encode()).derive(
        _field_key_bytes
    )


def _pinned_key(name: str, purpose: str) -> bytes:
    """The audit chain's and the blind indexes' key: derived from GARDA_FIELD_KEY, or
    pinned in its own variable so that it outlives a rotation of GARDA_FIELD_KEY (the
    chain's hashes and the stored indexes were made with it). `garda rotate_field_key
    --show-pinned-keys` prints both; docs/operations.md, "Rotating the field key"."""
    value = os.environ.get(name, "")
    if not value:
        return derive_key(purpose)
    try:
        raw = base64.urlsafe_b64decode(value.encode())
    except (ValueError, TypeError):
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{name} must be 32 bytes, url-safe base64")
    return raw


AUDIT_CHAIN_KEY = _pinned_key("GARDA_AUDIT_CHAIN_KEY", "audit-chain-v1")
BLIND_INDEX_KEY = _pinned_key("GARDA_BLIND_INDEX_KEY", "blind-index-v1")
FIELD_ENCRYPTION_KEY = derive_key("field-encryption-v1")


def _old_field_keys() -> list[bytes]:
    """Keys of earlier GARDA_FIELD_KEYs (comma-separated), kept to read old rows
    until `garda rotate_field_key` has re-encrypted them."""
    keys = []
    for item in env_list("GARDA_FIELD_KEYS_OLD"):
        raw = base64.urlsafe_b64decode(item.encode())
        if len(raw) != 32:
            raise ImproperlyConfigured("GARDA_FIELD_KEYS_OLD: each key must be 32 bytes")
        keys.append(
            HKDF(
                algorithm=hashes.SHA256(), length=32, salt=b"garda", info=b"field-encryption-v1"
            ).derive(raw)
        )
    return keys


FIELD_ENCRYPTION_KEYS_OLD = _old_field_keys()

# --- demo mode and second factor -----------------------------------------------
DEMO = env_bool("GARDA_DEMO", False)
REQUIRE_2FA = env_bool("GARDA_REQUIRE_2FA", not DEMO)
if PRODUCTION and (DEMO or not REQUIRE_2FA):
    raise ImproperlyConfigured("Production never runs in demo mode or without a second factor")

DEBUG = env_bool("GARDA_DEBUG", False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("GARDA_DEBUG must be off in production")

# --- applications -------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "ninja",
    "garda",
    "garda.places",
    "garda.accounts",
    "garda.audit",
    "garda.people",
    "garda.documents",
    "garda.destinations",
    "garda.accompaniment",
    "garda.training",
    "garda.jobs",
    "garda.cases",
    "garda.privacy",
    "garda.compliance",
    "garda.referrals",
    "garda.abroad",
    "garda.interceptions",
    "garda.family",
    "garda.reintegration",
    "garda.outreach",
    "garda.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "garda.links.RequestAddressMiddleware",
    "garda.audit.middleware.RequestContextMiddleware",
    "garda.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "garda.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "garda.accounts.middleware.SessionTimeoutMiddleware",
    "garda.accounts.middleware.RequireSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "garda.middleware.NoStoreMiddleware",
    "garda.middleware.ApiMethodNotAllowedMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "garda.urls"
WSGI_APPLICATION = "garda.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "garda.context_processors.garda",
                "garda.context_processors.notification_count",
                "garda.pagecache.csrf_placeholder",
            ],
        },
    }
]

# --- database -----------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "garda.sqlite3",
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at the
    # start of a transaction so concurrent writers wait (busy timeout) instead of
    # failing with "database is locked" halfway through.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache and background jobs -------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {"huey_class": "huey.RedisHuey", "name": "garda", "url": REDIS_URL}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "garda",
        "filename": str(VAR_DIR / "huey.sqlite3"),
    }
HUEY["immediate"] = env_bool("GARDA_TASKS_IMMEDIATE", ENV == "test")
# The nightly retention purge (garda/compliance/tasks.py): off unless switched on.
GARDA_PURGE_NIGHTLY = env_bool("GARDA_PURGE_NIGHTLY", False)
# Rate limits per client address (garda/cases/throttles.py) count in a cache every
# worker process shares: Redis when there is one, else files under VAR_DIR (the
# default locmem cache is per process, so each worker would keep its own count).
CACHES["throttle"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "throttle"),
        "OPTIONS": {"MAX_ENTRIES": 10000},
    }
)
CACHES["throttle"]["KEY_PREFIX"] = "throttle"
# Public pages that change only when rules change (garda/pagecache.py), shared by every
# worker process like the throttle counts; GARDA_PAGE_CACHE_SECONDS=0 turns it off.
CACHES["pages"] = (
    {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "pages"),
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
)
CACHES["pages"]["KEY_PREFIX"] = "pages"
GARDA_PAGE_CACHE_SECONDS = int(os.environ.get("GARDA_PAGE_CACHE_SECONDS", "60"))
# Fragments of signed-in pages that are the same for everyone (`{% cache %}`, e.g. "where
# to get each document"): each process's own memory, a few minutes.
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "garda-fragments",
}
# The public report of a protection case and its tracking (page and API share each
# budget): reports accepted, and tracking attempts, per client address ("N/s|m|h|d").
GARDA_REPORT_RATE = os.environ.get("GARDA_REPORT_RATE", "5/h")
GARDA_TRACK_RATE = os.environ.get("GARDA_TRACK_RATE", "20/h")
# Online registrations for outreach events by visitors without an account, per address.
GARDA_EVENT_REGISTRATION_RATE = os.environ.get("GARDA_EVENT_REGISTRATION_RATE", "10/h")
# The public "is this job real?" check (page and API share the budget): answers given
# per client address.
GARDA_JOB_CHECK_RATE = os.environ.get("GARDA_JOB_CHECK_RATE", "20/h")
# The public certificate verification by QR code, and the check by number and birth
# date (garda/training/throttles.py; page and API share each budget).
GARDA_CERTIFICATE_VERIFY_RATE = os.environ.get("GARDA_CERTIFICATE_VERIFY_RATE", "60/m")
GARDA_CERTIFICATE_CHECK_RATE = os.environ.get("GARDA_CERTIFICATE_CHECK_RATE", "30/h")
# Look-ups of a person by identity number (a NIK typed in the registry search, a number
# checked against a record; page and API share it), per user (garda/people/throttles.py).
GARDA_IDENTITY_LOOKUP_RATE = os.environ.get("GARDA_IDENTITY_LOOKUP_RATE", "20/h")
# Worker sign-up (issue 19): every sign-up and "send the link again" sends one e-mail,
# so both share one budget per address (garda/accounts/throttles.py). The link mailed
# works for GARDA_SIGNUP_LINK_HOURS; a sign-up nobody confirmed is deleted after
# GARDA_SIGNUP_UNCONFIRMED_DAYS (accounts/tasks.py), freeing the address.
GARDA_SIGNUP_RATE = os.environ.get("GARDA_SIGNUP_RATE", "10/h")
GARDA_SIGNUP_LINK_HOURS = int(os.environ.get("GARDA_SIGNUP_LINK_HOURS", "48"))
GARDA_SIGNUP_UNCONFIRMED_DAYS = int(os.environ.get("GARDA_SIGNUP_UNCONFIRMED_DAYS", "7"))

# --- authentication -----------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "garda.accounts.validators.AgencyNamePasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# django-axes: 5 failures for one account from one address lock that pair for 30
# minutes (issue 19: locking by e-mail alone let anyone lock any known account out
# with five wrong passwords; the owner, from her own address, still gets in). An
# address is refused altogether only after many failures on any accounts (password
# spraying): offices share one NAT address, and five typos there must not lock out
# the whole office. See accounts/views.LoginView.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "garda.audit.context.client_ip"
LOGIN_FAILURES_PER_IP = int(os.environ.get("GARDA_LOGIN_FAILURES_PER_IP", "50"))
# axes.W006 asks for "ip_address" among the lockout keys: it is there, combined with
# the e-mail; the per-address protection is the higher spraying threshold above,
# tested in accounts/tests/test_login.py. (Kept silenced in case axes reads only
# plain "ip_address" entries.)
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "garda.accounts.lockout.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions: rotated at login (Django), staff idle 30 min, absolute 12 h.
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_ABSOLUTE_SECONDS = 12 * 60 * 60
SESSION_IDLE_SECONDS_STAFF = 30 * 60
SESSION_IDLE_SECONDS_WORKER = 2 * 60 * 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "garda_session"
CSRF_COOKIE_NAME = "garda_csrftoken"

OTP_TOTP_ISSUER = "Garda"

# Trusted reverse proxies in front of the app (0: clients connect directly). The
# client IP for lockouts and audit rows is then read from X-Forwarded-For.
PROXY_COUNT = int(
    os.environ.get("GARDA_PROXY_COUNT", "1" if env_bool("GARDA_BEHIND_PROXY", False) else "0")
)
# django-ninja's throttles identify a client the same way (without this they would
# believe any X-Forwarded-For header a client sends, and a rate limit would be no limit).
NINJA_NUM_PROXIES = PROXY_COUNT

# --- security headers ------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("GARDA_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
    if PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i18n ---------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates "6 Maret 2026" / "6 Mar 2026", times "14.30" (garda/formats; docs/design-ui.md §4)
FORMAT_MODULE_PATH = ["garda.formats"]
USE_I18N = True
TIME_ZONE = "Asia/Jakarta"
USE_TZ = True

# --- static files ------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("GARDA_STATIC_ROOT", VAR_DIR / "static")).resolve()
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve straight from the app directories unless collectstatic was run for production.
WHITENOISE_USE_FINDERS = not PRODUCTION
if PRODUCTION:
    # Hashed names (cached by browsers for a year) and gzip copies, written by
    # collectstatic, which `garda serve` runs before it starts: a phone on a slow
    # connection fetches htmx once, as 16 KB instead of 52 (docs/design-ui.md, §6).
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
WHITENOISE_AUTOREFRESH = DEBUG

# --- e-mail ---------------------------------------------------------------------------
EMAIL_URL = os.environ.get("EMAIL_URL", "")
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Garda <no-reply@garda.local>")

# --- public address and the demo's mail folder (garda/links.py) -------------------------
# The address people reach the site at (https://garda.jakarta.go.id): printed in the QR
# code of certificates, in PDFs and in e-mailed links. Unset in development: the
# request's own address, or without a request where `garda serve` listens
# (GARDA_SERVE_URL, set by serve for its workers, not by hand). Production must set
# it (system check garda.E020).
GARDA_BASE_URL = os.environ.get("GARDA_BASE_URL", "").strip().rstrip("/")
GARDA_SERVE_URL = os.environ.get("GARDA_SERVE_URL", "").strip().rstrip("/")
# The demo writes every e-mail as a file here (one file per message), never to a
# server or among the set-up output.
GARDA_MAIL_DIR = Path(os.environ.get("GARDA_MAIL_DIR", VAR_DIR / "mail")).resolve()
EMAIL_FILE_PATH = GARDA_MAIL_DIR
if DEMO:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
# SMS/WhatsApp of outreach announcements (garda/outreach/senders.py): "console" (the
# log), "file" (VAR_DIR/sms/outbox.log, one line per message) or a gateway's class path.
OUTREACH_SMS_BACKEND = os.environ.get("GARDA_OUTREACH_SMS_BACKEND", "console").strip()

# --- uploaded documents ----------------------------------------------------------------
# Private files: encrypted, under random names, outside any static root; served only
# through a permission-checked view (docs/security.md, Files).
GARDA_FILES_DIR = Path(os.environ.get("GARDA_FILES_DIR", VAR_DIR / "files")).resolve()
# Largest document file accepted (bytes); a larger upload is refused with 413 before
# its body is read.
GARDA_DOCUMENT_MAX_BYTES = int(os.environ.get("GARDA_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))

# --- help channels (the help page, /bantuan/, and the home pages) ----------------------
# Filled by the operator; each is empty until then and an empty one is not shown (admins
# are told which are empty): a number nobody answers must never look real. The hotline
# itself is GARDA_HOTLINE. Examples: GARDA_HELP_HOURS="Senin–Jumat, 08.00–16.00 WIB",
# GARDA_HELP_CALL_COST="Gratis", GARDA_HELP_REPLY_TIME="Dibalas dalam 2 hari kerja",
# GARDA_HELP_OFFICE: an address (line breaks kept).
GARDA_HOTLINE = os.environ.get("GARDA_HOTLINE", "")
GARDA_HELP_HOURS = os.environ.get("GARDA_HELP_HOURS", "")
GARDA_HELP_CALL_COST = os.environ.get("GARDA_HELP_CALL_COST", "")
GARDA_HELP_EMAIL = os.environ.get("GARDA_HELP_EMAIL", "")
GARDA_HELP_WHATSAPP = os.environ.get("GARDA_HELP_WHATSAPP", "")
GARDA_HELP_REPLY_TIME = os.environ.get("GARDA_HELP_REPLY_TIME", "")
GARDA_HELP_OFFICE = os.environ.get("GARDA_HELP_OFFICE", "")

# --- logging: never log request bodies or identity numbers --------------------------
# Every handler carries the redaction filter (docs/security.md, test 16). Django's defaults
# give the "django" loggers handlers of their own that do not: "django" propagates to
# the root handler instead (mail_admins dropped: ADMINS is never set, and its e-mail
# quotes the request path), and runserver's access log is redacted too.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "garda.logging.RedactIdentityNumbers"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact"],
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GARDA_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

NINJA_PAGINATION_PER_PAGE = 50
NINJA_MAX_PER_PAGE_SIZE = 200
CSRF_FAILURE_VIEW = "garda.errors.csrf_failure"

if ENV == "test":
    # Argon2 is deliberately slow; tests only need a hasher that works. Production's
    # hasher list is checked by a test that loads the production settings.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# --- the service's owner (identifier strip and footer on every page) --------------------
GARDA_OWNER = os.environ.get("GARDA_OWNER", "Pemerintah Provinsi Daerah Khusus Jakarta")
