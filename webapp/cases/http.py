"""Request helpers the staff pages (cases, console) share."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpRequest


class AuthedRequest(HttpRequest):
    """A request of a view behind ``login_required``: its user is signed in."""

    user: User


def query_without_page(request: HttpRequest) -> str:
    """Return the request's query string without ``page`` (for pagination links)."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
