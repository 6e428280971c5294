"""Who may use the auditors' workspace, and what every one of its pages shows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.selectors import chain_status
from webapp.auditing.forms import VerifyForm
from workflows.access.roles import is_auditor, is_system_admin
from workflows.errors import ForbiddenError


def require_auditor(user: User | AnonymousUser) -> User:
    """Let auditors and system administrators in; refuse everyone else."""
    if not isinstance(user, User) or not (is_auditor(user) or is_system_admin(user)):
        raise ForbiddenError(_("Only auditors may use the audit workspace."))
    return user


def workspace(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a workspace page with the chain status block every page carries."""
    context = {
        "chain": chain_status(),
        "verify_form": context.pop("verify_form", None) or VerifyForm(),
        **context,
    }
    return render(request, template, context, status=status)
