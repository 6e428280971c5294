"""Bind the audit context (request id, client IP) for each web request."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from audit.context import bind, is_valid_request_id, new_request_id, normalise_ip

REQUEST_ID_HEADER = "X-Request-ID"


def request_id_for(request: HttpRequest) -> str:
    """Return the caller's X-Request-ID if well-formed, else a fresh one."""
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    return incoming if is_valid_request_id(incoming) else new_request_id()


def client_ip_for(request: HttpRequest) -> str | None:
    """Return the client's IP address, trusting X-Forwarded-For only if configured.

    With ``AUDIT_TRUST_X_FORWARDED_FOR`` on, exactly one trusted reverse proxy is
    assumed in front of the app; it appends the peer it saw, so the *last* entry is
    the one it vouches for. Earlier entries are whatever the client chose to send.
    """
    remote = normalise_ip(request.META.get("REMOTE_ADDR"))
    if not getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    if not entries:
        return remote
    return normalise_ip(entries[-1]) or remote


class AuditContextMiddleware:
    """Bind request id, client IP and via="web" around the view, echo the id back.

    Synchronous only: under ASGI Django runs it in a thread and copies the context
    into it, so the binding still reaches the view.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_for(request)
        with bind(via="web", request_id=request_id, ip=client_ip_for(request)):
            response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response
