"""The site's public address, for links that leave the page: the QR code on a printed
certificate, the readiness summary PDF, links in e-mails.

One setting, GARDA_BASE_URL (e.g. https://garda.jakarta.go.id). When it is unset
(development, the demo):

- during a request, the address the request came in on (scheme, host and port), so a
  QR code scanned from a phone on the same network opens the page it was printed from;
- with no request (an e-mail sent by a command or a background task), the address
  `garda serve` listens on (GARDA_SERVE_URL, which `serve` sets for its workers),
  else http://127.0.0.1:8000.

Production never builds links from the request's Host header: a printed QR code must
point at the real public address, so production must set GARDA_BASE_URL (system
check garda.E020, and `garda serve` refuses to start without it).
"""

import contextvars
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "0.0.0.0", "::1", "::", ""}  # noqa: S104

_request: contextvars.ContextVar = contextvars.ContextVar("garda_links_request", default=None)


class RequestAddressMiddleware:
    """Remember the current request, for links built without one at hand (services
    sending e-mails, PDFs drawn from a Summary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def _request_base(request) -> str:
    try:
        return request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:
        return ""


def base_url(request=None) -> str:
    """The public base address, without a trailing slash (see the module docstring)."""
    if settings.GARDA_BASE_URL:
        return settings.GARDA_BASE_URL
    if not settings.PRODUCTION:
        request = request if request is not None else _request.get()
        if request is not None:
            base = _request_base(request)
            if base:
                return base
    return getattr(settings, "GARDA_SERVE_URL", "") or DEFAULT_BASE_URL


def absolute_url(path: str, request=None) -> str:
    """`path` (from reverse()) as an absolute URL on the public base address."""
    return f"{base_url(request)}{path}"


def serve_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches `garda serve --host H --port P` at
    (a wildcard host is reachable on the loopback address)."""
    if host in {"0.0.0.0", "", "*"}:  # noqa: S104
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def is_local(url: str) -> bool:
    """Whether `url` points at this machine (a printed QR code must never)."""
    host = (urlsplit(url).hostname or "").lower()
    return host in LOCAL_HOSTS or host.startswith("127.") or host.endswith(".localhost")
