"""The product's page for a 405 (method not allowed).

Django has no `handler405`: `require_POST`, `require_GET` and `require_http_methods` answer
with an empty `HttpResponseNotAllowed`, which a browser shows as a blank page. People meet it
by opening the address a button sends its form to (from their history, a bookmark, a pasted
link), so this middleware gives that empty answer the page every other error has, keeping
the 405 status and the `Allow` header. One place covers every view, present and future; a
405 that already carries a body of its own is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render


class MethodNotAllowedPageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or getattr(response, "streaming", False)
            or not isinstance(response, HttpResponse)
            or response.content
        ):
            return response
        allowed = [m.strip() for m in response.get("Allow", "").split(",") if m.strip()]
        page = render(
            request,
            "405.html",
            {"allowed": allowed, "for_a_button": allowed == ["POST"]},
            status=405,
        )
        page["Allow"] = response.get("Allow", "")
        # The decorator has logged the 405 already; Django would log the new response again.
        page._has_been_logged = getattr(response, "_has_been_logged", False)  # type: ignore[attr-defined]
        return page
