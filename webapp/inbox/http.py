"""Request typing and small response helpers shared by the inbox views."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

# The element the inbox's htmx requests swap.
RESULTS_ID = "inbox-results"


class InboxRequest(HttpRequest):
    """A signed-in request as the middleware leaves it."""

    htmx: HtmxDetails
    user: User


def wants_results_fragment(request: InboxRequest) -> bool:
    """Say if an htmx request asked for the inbox results only (not a history load)."""
    htmx = request.htmx
    return bool(htmx) and htmx.target == RESULTS_ID and not htmx.history_restore_request
