"""What every v1 view shares: audit context, auditors' read-only rule, throttles."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, viewsets
from rest_framework.request import Request
from rest_framework.views import APIView

from audit.context import bind
from webapp.api.throttles import WindowRateThrottle
from workflows.access.roles import is_auditor


def request_user(request: Request) -> User:
    """The signed-in user of a request that passed ``IsAuthenticated``."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


class AuditorsReadOnly(permissions.BasePermission):
    """Auditors read everything and change nothing: any write is refused (403)."""

    message = _("Auditors may read but not change anything.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return not is_auditor(request.user)


class ApiViewMixin:
    """Record audit events of API requests as ``via="api"``; apply the house rules."""

    permission_classes: Any = [permissions.IsAuthenticated, AuditorsReadOnly]
    throttle_classes: Any = [WindowRateThrottle]
    # Prefix for field names of service problems (e.g. "data." for task forms).
    problem_prefix = ""

    def dispatch(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        with bind(via="api"):
            response: HttpResponseBase = super().dispatch(  # type: ignore[misc]
                request, *args, **kwargs
            )
        return response


class ApiViewSet(ApiViewMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """A viewset whose actions call selectors and services."""


class PublicApiViewSet(ApiViewSet):
    """A viewset anyone may read, signed in or not."""

    permission_classes: Any = [permissions.AllowAny]
