"""The signed-in user of a portal request, typed."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def portal_user(request: HttpRequest) -> User:
    """Return the request's user; views are behind login_required."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user
