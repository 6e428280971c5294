"""AuditContextMiddleware binds request id and client IP around each request."""

from __future__ import annotations

import re

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from pytest_django.fixtures import Settings

from audit.context import AuditContext, current
from audit.middleware import AuditContextMiddleware


def _run(request: HttpRequest) -> tuple[HttpResponse, AuditContext]:
    seen: list[AuditContext] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(current())
        return HttpResponse("ok")

    response = AuditContextMiddleware(view)(request)
    assert isinstance(response, HttpResponse)
    return response, seen[0]


def test_generates_a_request_id_binds_it_and_echoes_it(rf: RequestFactory) -> None:
    response, context = _run(rf.get("/"))

    assert re.fullmatch(r"[0-9a-f]{32}", context.request_id)
    assert response["X-Request-ID"] == context.request_id
    assert context.via == "web"


def test_accepts_a_well_formed_incoming_request_id(rf: RequestFactory) -> None:
    incoming = "3f2c6d1e-aaaa-4bbb-8ccc-0123456789ab"
    response, context = _run(rf.get("/", HTTP_X_REQUEST_ID=incoming))

    assert context.request_id == incoming
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["has space", "x" * 65, "a;b", "名字", ""])
def test_replaces_a_malformed_incoming_request_id(
    rf: RequestFactory, incoming: str
) -> None:
    response, context = _run(rf.get("/", HTTP_X_REQUEST_ID=incoming))

    assert context.request_id != incoming
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_binds_remote_addr_and_ignores_forwarded_for_by_default(
    rf: RequestFactory,
) -> None:
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")

    _, context = _run(request)

    assert context.ip == "203.0.113.9"


def test_uses_the_last_forwarded_for_entry_when_the_proxy_is_trusted(
    rf: RequestFactory, settings: Settings
) -> None:
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    request = rf.get(
        "/",
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )

    _, context = _run(request)

    assert context.ip == "203.0.113.9"


def test_falls_back_to_remote_addr_when_forwarded_for_is_unusable(
    rf: RequestFactory, settings: Settings
) -> None:
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")

    _, context = _run(request)

    assert context.ip == "10.0.0.2"


def test_restores_the_previous_context_after_the_response(rf: RequestFactory) -> None:
    before = current()

    _run(rf.get("/", REMOTE_ADDR="203.0.113.9"))

    assert current() == before
