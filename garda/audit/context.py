"""Per-request context (IP, request id) that services read when they audit.

Set by `RequestContextMiddleware`; commands and tasks leave it empty.
"""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    request_id: str = ""


# RequestContext is frozen, so sharing one default instance is safe.
_current: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "garda_request_context",
    default=RequestContext(),  # noqa: B039
)


def current() -> RequestContext:
    return _current.get()


def set_current(ctx: RequestContext) -> contextvars.Token:
    return _current.set(ctx)


def reset(token: contextvars.Token) -> None:
    _current.reset(token)
