"""Where a request came from, for the audit trail: the client's address resolved through the
trusted proxies (allauth's `get_client_ip`, which honours `ALLAUTH_TRUSTED_PROXY_COUNT`, the
same setting the sign-in limits use). Services have no request, so a middleware keeps the
request for its duration and `client_address()` resolves the address when one is recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("client_request", default=None)


def client_address() -> str | None:
    request = _request.get()
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # a malformed header must not lose the change
        return None


class ClientAddressMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
