"""How django-axes sees the client, and the page a locked-out sign-in gets."""

from __future__ import annotations

from typing import Any

from axes.helpers import (
    get_cool_off,
    get_failure_limit,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from audit.middleware import client_ip_for


def client_ip(request: HttpRequest) -> str:
    """Return the client's address (X-Forwarded-For only when trusted), or ""."""
    return client_ip_for(request) or ""


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """Answer 429 with a page saying why, and for how long, signing in is locked."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": minutes,
    }
    response = render(request, "accounts/locked_out.html", context, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
