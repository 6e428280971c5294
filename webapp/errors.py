"""Turn the services' domain errors into pages a person can act on.

Views call services and selectors and let their errors rise: ``NotFoundError`` (and
``ForbiddenError`` on objects the user may not know about, which selectors already
answer as not found) becomes 404, ``ForbiddenError`` 403, ``ConflictError`` 409 with
the reason, ``InvalidInputError`` 400 with the problems listed. htmx requests get
the message fragment only, so a swap shows the reason in place.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

from workflows.errors import (
    ConflictError,
    ForbiddenError,
    InvalidInputError,
    NotFoundError,
    RuntimeServiceError,
)

_STATUS: dict[type[RuntimeServiceError], int] = {
    NotFoundError: 404,
    ForbiddenError: 403,
    ConflictError: 409,
    InvalidInputError: 400,
}


def status_for(error: RuntimeServiceError) -> int:
    """Return the HTTP status a domain error answers with."""
    for kind, status in _STATUS.items():
        if isinstance(error, kind):
            return status
    return 500


class DomainErrorMiddleware:
    """Render domain errors raised by views as error pages with the right status."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, RuntimeServiceError):
            return None
        status = status_for(exception)
        if status == 500:
            return None
        context = {
            "status": status,
            "message": str(exception).splitlines()[0],
            "problems": getattr(exception, "problems", []),
        }
        partial = bool(getattr(request, "htmx", False))
        template = "errors/_message.html" if partial else "errors/domain_error.html"
        html = render_to_string(template, context, request=request)
        return HttpResponse(html, status=status)
