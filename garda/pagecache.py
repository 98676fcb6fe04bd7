"""Public pages that change only when rules or data change, served from a shared cache
(issue 19: the destinations page rendered at 64 requests/s).

What may be cached, and why no visitor's data can leak through it:
- only a GET from an anonymous visitor who carries neither a session nor a messages
  cookie (nothing on the page can be theirs: no name, no flash message);
- the page's CSRF token is rendered as a placeholder and the visitor's own token is
  put in its place on every answer, so no token is ever shared;
- only a 200 answer that sets no cookie of its own;
- the key is the host, path, query, language and today's date (rules take effect on a
  day), plus a version per scope that every save or delete of a watched model changes
  (`watch`, from the apps' ``ready``); bulk updates that send no signal are covered by
  the short lifetime (GARDA_PAGE_CACHE_SECONDS, 60 s by default; 0 turns caching off).

The cache is the "pages" alias: Redis when REDIS_URL is set, else files under
GARDA_VAR_DIR, so every server process shares one copy and one version.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

CACHE_ALIAS = "pages"
# Rendered in place of the CSRF token while a cacheable page is rendered; never sent.
PLACEHOLDER = "garda-csrf-placeholder-2c1f0e"
_FLAG = "_garda_page_cache"
_WATCHED: dict[str, set[str]] = {}


def _cache():
    return caches[CACHE_ALIAS]


def _seconds() -> int:
    return int(getattr(settings, "GARDA_PAGE_CACHE_SECONDS", 60))


def bump(*scopes: str) -> None:
    """Pages of these scopes (all watched scopes if none named) are rendered afresh."""
    stamp = time.time_ns()
    _cache().set_many({f"v:{scope}": stamp for scope in scopes or list(_WATCHED) or ["-"]}, None)


def watch(scope: str, *labels: str) -> None:
    """Saving or deleting a row of these models ("app.Model") renders the scope afresh."""
    for label in labels:
        _WATCHED.setdefault(label.lower(), set()).add(scope)


def _changed(sender, **kwargs) -> None:
    scopes = _WATCHED.get(sender._meta.label_lower)
    if scopes:
        # After the commit: a page rendered before it is stored under the old version,
        # which nobody asks for once the new one is set.
        transaction.on_commit(lambda: bump(*scopes))


def changed(model) -> None:
    """A service that wrote `model`'s rows with a bulk UPDATE (which sends no signal)
    says so here: its scopes render afresh once the transaction commits."""
    _changed(model)


post_save.connect(_changed, dispatch_uid="garda.pagecache.save")
post_delete.connect(_changed, dispatch_uid="garda.pagecache.delete")


def _cacheable(request: HttpRequest) -> bool:
    return (
        _seconds() > 0
        and request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and getattr(settings, "MESSAGES_COOKIE_NAME", "messages") not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(request: HttpRequest, scope: str, version) -> str:
    query = sorted(request.GET.lists())
    raw = "|".join(
        [
            request.get_host(),
            request.path,
            repr(query),
            get_language() or "",
            timezone.localdate().isoformat(),
            str(version),
        ]
    )
    return f"page:{scope}:{hashlib.sha256(raw.encode()).hexdigest()}"


def _answer(request: HttpRequest, stored: tuple) -> HttpResponse:
    content, content_type, language = stored
    # The visitor's own token (a new one if they have none: the cookie goes with it).
    content = content.replace(PLACEHOLDER.encode(), get_token(request).encode())
    response = HttpResponse(content, content_type=content_type)
    if language:
        response["Content-Language"] = language
    return response


def public_page(scope: str):
    """View decorator: serve the anonymous visitor's copy of this page from the cache."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if not _cacheable(request):
                return view(request, *args, **kwargs)
            cache = _cache()
            version = cache.get(f"v:{scope}", 0)
            key = _key(request, scope, version)
            stored = cache.get(key)
            if stored is not None:
                return _answer(request, stored)
            setattr(request, _FLAG, True)
            try:
                response = view(request, *args, **kwargs)
            finally:
                delattr(request, _FLAG)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            if (
                response.status_code != 200
                or response.streaming
                or response.cookies
                or response.has_header("Set-Cookie")
            ):
                return _strip(request, response)
            stored = (
                response.content,
                response["Content-Type"],
                response.get("Content-Language", ""),
            )
            cache.set(key, stored, _seconds())
            return _answer(request, stored)

        return wrapped

    return decorator


def _strip(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An answer not stored still goes out with the visitor's real token."""
    if not response.streaming and PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(
            PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def csrf_placeholder(request: HttpRequest) -> dict:
    """Context processor: while a cacheable page renders, its CSRF token is the
    placeholder (replaced by each visitor's own token when served)."""
    if getattr(request, _FLAG, False):
        return {"csrf_token": PLACEHOLDER}
    return {}
